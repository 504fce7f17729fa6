package io.parley.livechat.v2.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v2.CloseResult;
import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.SendResult;
import io.parley.livechat.v2.StartResult;
import io.parley.livechat.v2.UpstreamEvent;
import io.parley.livechat.v2.UpstreamFailure;
import io.parley.livechat.v2.UpstreamSession;
import io.parley.livechat.v2.UserType;
import io.parley.testing.RunningParley;
import io.parley.upstream.ChatStart;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP client against the emulator's real HTTP contract, every outcome included. */
class HttpUpstreamClientTest {

    /**
     * Long enough that no answer the tests expect times out on a busy machine; the test of a slow
     * answer delays its answer well beyond it.
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(4);

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private static HttpUpstreamClient client;

    @BeforeAll
    static void start() throws Exception {
        client = new HttpUpstreamClient(PARLEY.server()::emulatorUri, "123", TIMEOUT, 8, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    @AfterEach
    void clearFaults() throws Exception {
        PARLEY.agent().clearFaults();
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(60, TimeUnit.SECONDS);
    }

    private static String visitorId() {
        return "v-" + UUID.randomUUID();
    }

    private static UpstreamSession started(String visitorId, String name) throws Exception {
        StartResult result = await(client.start(visitorId,
                new ChatStart("Hello, how can we help?", name, name + "@example.com", OptionalInt.of(2))));
        return assertInstanceOf(StartResult.Started.class, result).session();
    }

    private static List<UpstreamEvent> poll(UpstreamSession session, long after) throws Exception {
        return assertInstanceOf(PollResult.Polled.class, await(client.poll(session, after))).events();
    }

    @Test
    void aWholeChatThroughEveryCall() throws Exception {
        String visitorId = visitorId();
        UpstreamSession session = started(visitorId, "Whole");
        assertEquals(visitorId, session.visitorId());
        int chat = PARLEY.agent().chatNumberOf("Whole");
        Map<String, Object> shown = PARLEY.agent().chat(chat);
        assertEquals("Whole@example.com", shown.get("email"));
        assertEquals("2", shown.get("group").toString());
        assertEquals("Hello, how can we help?", shown.get("welcome_message"));

        assertEquals(List.of(), poll(session, 0));
        PARLEY.agent().join(chat, "Grace");
        PARLEY.agent().say(chat, "Hi, I'm Grace.");
        assertEquals(new SendResult.Sent(), await(client.send(session, "I need help with ünïcödé & more")));

        List<UpstreamEvent> events = poll(session, 0);
        assertEquals(3, events.size());
        UpstreamEvent.AgentDetails joined = assertInstanceOf(UpstreamEvent.AgentDetails.class, events.get(0));
        assertEquals("Grace", joined.name());
        assertEquals(1, joined.messageId());
        assertEquals(new UpstreamEvent.Message(2, events.get(1).timestamp(), UserType.AGENT, "Hi, I'm Grace."),
                events.get(1));
        assertEquals(new UpstreamEvent.Message(3, events.get(2).timestamp(), UserType.VISITOR,
                "I need help with ünïcödé & more"), events.get(2));

        assertEquals(List.of(events.get(2)), poll(session, 2), "last_message_id returns only later events");
        assertEquals(List.of(), poll(session, 3));

        assertEquals(new CloseResult.Closed(), await(client.close(session)));
        UpstreamEvent.ChatClosed closed = assertInstanceOf(UpstreamEvent.ChatClosed.class, poll(session, 3).get(0));
        assertEquals(4, closed.messageId());
        assertEquals(UserType.VISITOR, closed.by());
        assertEquals("closed", PARLEY.agent().chat(chat).get("state"));
    }

    @Test
    void callsOnAClosedChatAreSessionGone() throws Exception {
        UpstreamSession session = started(visitorId(), "Closer");
        PARLEY.agent().close(PARLEY.agent().chatNumberOf("Closer"));

        List<UpstreamEvent> events = poll(session, 0);
        assertEquals(UserType.AGENT, assertInstanceOf(UpstreamEvent.ChatClosed.class, events.get(0)).by());
        assertInstanceOf(UpstreamFailure.SessionGone.class, await(client.send(session, "still there?")));
        assertInstanceOf(UpstreamFailure.SessionGone.class, await(client.close(session)));
        UpstreamFailure.SessionGone gone = assertInstanceOf(UpstreamFailure.SessionGone.class,
                await(client.poll(session, events.get(0).messageId())));
        assertEquals(404, gone.status());
        assertFalse(gone.retryable());
    }

    @Test
    void anUnknownSessionIsSessionGone() throws Exception {
        UpstreamSession stranger = new UpstreamSession(visitorId(), "CS1.deadbeef");
        assertInstanceOf(UpstreamFailure.SessionGone.class, await(client.poll(stranger, 0)));
        UpstreamSession real = started(visitorId(), "Owner");
        UpstreamSession stolen = new UpstreamSession(visitorId(), real.securedSessionId());
        assertInstanceOf(UpstreamFailure.SessionGone.class, await(client.poll(stolen, 0)),
                "a session answers only for its own visitor");
    }

    @Test
    void aBannedVisitorIsToldSo() throws Exception {
        String visitorId = visitorId();
        started(visitorId, "Troll");
        PARLEY.agent().ban(PARLEY.agent().chatNumberOf("Troll"));
        assertInstanceOf(StartResult.Banned.class, await(client.start(visitorId, ChatStart.withWelcome("Hi"))));
    }

    @Test
    void invalidCallsAreRejectedWithTheUpstreamsMessage() throws Exception {
        UpstreamFailure.Rejected rejected = assertInstanceOf(UpstreamFailure.Rejected.class,
                await(client.start(visitorId(), ChatStart.withWelcome("x".repeat(1025)))));
        assertEquals(400, rejected.status());
        assertEquals("Invalid parameter welcome_message: longer than 1024 characters", rejected.message());
        assertFalse(rejected.retryable());

        rejected = assertInstanceOf(UpstreamFailure.Rejected.class,
                await(client.start("v".repeat(1025), ChatStart.withWelcome("Hi"))));
        assertEquals("Invalid parameter visitor_id: must be 1 to 1024 characters", rejected.message());
    }

    @Test
    void upstreamErrorsAreServerErrorsThatMayHaveTakenEffect() throws Exception {
        UpstreamSession session = started(visitorId(), "Errors");
        PARLEY.agent().faults("error_rate", "1", "error_status", "503");
        UpstreamFailure.ServerError error = assertInstanceOf(UpstreamFailure.ServerError.class,
                await(client.poll(session, 0)));
        assertEquals(503, error.status());
        assertTrue(error.retryable());
        PARLEY.agent().faults("error_after_rate", "1", "calls", "send_message");
        error = assertInstanceOf(UpstreamFailure.ServerError.class, await(client.send(session, "landed anyway")));
        assertTrue(error.ambiguous(), "a 5xx does not prove that the send did not land");
        PARLEY.agent().clearFaults();
        assertEquals("landed anyway", ((UpstreamEvent.Message) poll(session, 0).get(0)).text());
    }

    @Test
    void slowAnswersTimeOut() throws Exception {
        UpstreamSession session = started(visitorId(), "Slow");
        PARLEY.agent().faults("latency_ms", String.valueOf(TIMEOUT.toMillis() * 3), "calls", "send_message");
        UpstreamFailure.TimedOut timedOut = assertInstanceOf(UpstreamFailure.TimedOut.class,
                await(client.send(session, "are you there?")));
        assertEquals(TIMEOUT, timedOut.after());
        assertTrue(timedOut.ambiguous(), "a timed-out send may have landed");
        assertEquals("are you there?", ((UpstreamEvent.Message) poll(session, 0).get(0)).text(),
                "the emulator applies the call before the delayed answer, as a slow network would");
    }

    @Test
    void aDroppedConnectionIsAmbiguousAndAClosedPortIsNotSent() throws Exception {
        UpstreamSession session = started(visitorId(), "Dropped");
        PARLEY.agent().faults("drop_rate", "1", "calls", "get_pending_messages");
        assertTrue(assertInstanceOf(UpstreamFailure.ConnectionFailed.class, await(client.poll(session, 0))).ambiguous(),
                "the request went out: it may have taken effect");

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (HttpUpstreamClient nowhere = new HttpUpstreamClient(() -> URI.create("http://127.0.0.1:" + closedPort),
                "123", Duration.ofSeconds(2), 2, Clock.systemUTC())) {
            UpstreamFailure.NotSent failed = assertInstanceOf(UpstreamFailure.NotSent.class,
                    await(nowhere.start(visitorId(), ChatStart.withWelcome("Hi"))));
            assertTrue(failed.retryable());
            assertFalse(failed.ambiguous(), "nothing reached the upstream: it surely did not take effect");
        }
    }

    @Test
    void malformedAnswersOfEveryKindAreMalformed() throws Exception {
        UpstreamSession session = started(visitorId(), "Malformed");
        PARLEY.agent().faults("malformed_rate", "1", "seed", "7");
        Set<String> reasons = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            reasons.add(assertInstanceOf(UpstreamFailure.MalformedAnswer.class, await(client.poll(session, 0))).reason());
            assertInstanceOf(UpstreamFailure.MalformedAnswer.class, await(client.send(session, "x")));
            assertInstanceOf(UpstreamFailure.MalformedAnswer.class,
                    await(client.start(visitorId(), ChatStart.withWelcome("Hi"))));
        }
        assertEquals(Set.of("the answer is not JSON", "the answer is not a JSON object", "the answer has no events array",
                "the answer breaks off"), reasons);
    }

    @Test
    void callsHoldNoThreadWhileTheyWait() throws Exception {
        // 100 slow polls through a client whose pool has at most 8 threads: all must be in flight
        // at once, which a thread-per-call client could not do before its first answer came back.
        int calls = 100;
        try (HttpUpstreamClient wide = new HttpUpstreamClient(PARLEY.server()::emulatorUri, "123", Duration.ofSeconds(40),
                calls, Clock.systemUTC())) {
            UpstreamSession session = started(visitorId(), "Patient");
            long before = PARLEY.agent().calls("get_pending_messages");
            PARLEY.agent().faults("latency_ms", "15000", "calls", "get_pending_messages");
            List<CompletableFuture<PollResult>> polls = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                polls.add(wide.poll(session, 0));
            }
            Instant deadline = Instant.now().plusSeconds(12); // within the latency: none may have been answered
            while (PARLEY.agent().calls("get_pending_messages") - before < calls) {
                assertTrue(Instant.now().isBefore(deadline), "not every poll reached the upstream at once");
            }
            assertTrue(polls.stream().noneMatch(CompletableFuture::isDone),
                    "every poll is still waiting for its delayed answer");
            for (var poll : polls) {
                assertEquals(List.of(), assertInstanceOf(PollResult.Polled.class, await(poll)).events());
            }
        }
    }

    @Test
    void aBurstBeyondThePoolWaitsInTheQueueInsteadOfFailing() throws Exception {
        // As after a restart: every conversation polls at once, far more calls than connections.
        int burst = 2000;
        try (HttpUpstreamClient narrow = new HttpUpstreamClient(PARLEY.server()::emulatorUri, "123", Duration.ofSeconds(20),
                4, burst, Clock.systemUTC())) {
            UpstreamSession session = started(visitorId(), "Burst");
            List<CompletableFuture<PollResult>> polls = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                polls.add(narrow.poll(session, 0));
            }
            for (CompletableFuture<PollResult> poll : polls) {
                assertInstanceOf(PollResult.Polled.class, await(poll));
            }
        }
    }

    @Test
    void aStartAnsweredNotFoundIsRejected() throws Exception {
        try (HttpUpstreamClient wrongPath = new HttpUpstreamClient(() -> PARLEY.server().uri("/emulator/agent/api/nowhere"),
                "123", Duration.ofSeconds(2), 1, Clock.systemUTC())) {
            UpstreamFailure.Rejected rejected = assertInstanceOf(UpstreamFailure.Rejected.class,
                    await(wrongPath.start(visitorId(), ChatStart.withWelcome("Hi"))));
            assertEquals(404, rejected.status());
        }
    }

    @Test
    void anAddressNotKnownYetIsNotSent() throws Exception {
        try (HttpUpstreamClient unknown = new HttpUpstreamClient(() -> null, "123", Duration.ofSeconds(1), 1,
                Clock.systemUTC())) {
            UpstreamSession session = new UpstreamSession("v", "s");
            assertInstanceOf(UpstreamFailure.NotSent.class, await(unknown.poll(session, 0)));
            assertInstanceOf(UpstreamFailure.NotSent.class, await(unknown.send(session, "x")));
        }
    }
}
