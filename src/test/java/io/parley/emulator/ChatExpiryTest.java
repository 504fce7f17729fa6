package io.parley.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The upstream's ~30 s keep-alive, shortened to 2 s: short enough for a test, long enough that a
 * poll every quarter of it keeps a chat open on a busy machine.
 */
class ChatExpiryTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration POLL_EVERY = TIMEOUT.dividedBy(4);

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false",
                "emulator-chat-timeout", TIMEOUT.toMillis() + "ms"));

    private static String start(String visitor, String name) throws Exception {
        return (String) Http.post(PARLEY.server().uri("/emulator/visitors/" + visitor + "/chat/start"),
                Http.form("licence_id", "1", "welcome_message", "Hi", "name", name), "X-API-Version", "2")
                .object().get("secured_session_id");
    }

    private static Http.Answer poll(String visitor, String session) throws Exception {
        return Http.get(URI.create(PARLEY.server().uri("/emulator/visitors/" + visitor + "/chat/get_pending_messages")
                + "?licence_id=1&secured_session_id=" + session), "X-API-Version", "2");
    }

    @Test
    void aChatNobodyPollsClosesAndSaysSo() throws Exception {
        String session = start("quiet", "Quiet");
        int chat = PARLEY.agent().chatNumberOf("Quiet");

        Map<String, Object> closed = PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> "closed".equals(c.get("state")));

        assertEquals("timeout", closed.get("closed_by"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) poll("quiet", session).object().get("events");
        assertEquals("chat_closed", events.get(events.size() - 1).get("type"));
    }

    @Test
    void aChatPolledWithinTheTimeoutStaysOpen() throws Exception {
        String session = start("busy", "Busy");
        int chat = PARLEY.agent().chatNumberOf("Busy");
        int polls = 12; // three timeouts long
        CountDownLatch done = new CountDownLatch(polls);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try {
            poller.scheduleAtFixedRate(() -> {
                try {
                    if (poll("busy", session).status() != 200) {
                        failure.compareAndSet(null, new AssertionError("a poll of an open chat failed"));
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                }
                done.countDown();
            }, 0, POLL_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            assertTrue(done.await(30, TimeUnit.SECONDS), "the polls did not all run");
        } finally {
            poller.shutdownNow();
        }
        assertEquals(null, failure.get());
        assertEquals("waiting", PARLEY.agent().chat(chat).get("state"));
    }
}
