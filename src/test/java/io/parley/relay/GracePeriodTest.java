package io.parley.relay;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With no tab, a chat stays alive for the grace period, past the upstream's keep-alive timeout
 * (here 1 s instead of ~30 s, and a 3 s grace instead of minutes), then is closed upstream.
 */
class GracePeriodTest {

    private static final Duration GRACE = Duration.ofSeconds(3);

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast("emulator-chat-timeout", "1s",
                "grace-period", GRACE.toMillis() + "ms", "poll-fast-window", "0s"));

    private static TestTab chatting(String name) throws Exception {
        return TestTab.chatting(PARLEY.server().webSocketUri(), name, "first", "Hello");
    }

    @Test
    void aChatWithoutTabsOutlivesTheKeepAliveThenClosesAfterTheGracePeriod() throws Exception {
        TestTab tab = chatting("Navigator");
        int chat = PARLEY.agent().chatNumberOf("Navigator");
        String token = tab.token();
        Instant left = Instant.now();
        tab.close();

        Map<String, Object> closed = PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> "closed".equals(c.get("state")));
        Duration alive = Duration.between(left, Instant.now());
        assertEquals("visitor", closed.get("closed_by"), "closed by the relay after the grace period, not by timeout");
        assertTrue(alive.compareTo(GRACE.minusMillis(500)) >= 0, "closed after only " + alive);

        try (TestTab later = TestTab.resume(PARLEY.server().webSocketUri(), token, 1)) {
            Map<String, Object> welcome = later.received().get(0);
            assertNotEquals(token, welcome.get("token"), "the conversation was dropped");
            assertEquals("idle", welcome.get("state"));
        }
    }

    @Test
    void aTabBackWithinTheGracePeriodFindsTheChatOpen() throws Exception {
        TestTab tab = chatting("Sleeper");
        int chat = PARLEY.agent().chatNumberOf("Sleeper");
        long seen = tab.lastSeq();
        tab.drop();
        long polls = number(PARLEY.agent().chat(chat).get("polls"));
        // Idle polls every 300 ms: five of them outlast the 1 s keep-alive timeout.
        PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> number(c.get("polls")) >= polls + 5);
        PARLEY.agent().say(chat, "Are you still there?");

        try (TestTab back = TestTab.resume(PARLEY.server().webSocketUri(), tab.token(), seen)) {
            assertEquals("waiting", back.received().get(0).get("state"));
            back.awaitText("Are you still there?");
            assertEquals("chatting", PARLEY.agent().chat(chat).get("state"), "the agent's reply went into the same chat");
        }
    }
}
