package io.parley.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class HealthTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "emulator-demo-agent", "false", "poll-fast-interval", "100ms", "poll-interval", "200ms",
            "poll-idle-interval", "300ms", "upstream-timeout", "1s", "unready-after", "1s"));

    @Test
    void aRunningNodeIsLiveAndReady() throws Exception {
        Http.Answer live = Http.get(PARLEY.server().uri("/healthz"));
        assertEquals(200, live.status());
        assertEquals(Map.of("status", "up"), live.object());
        assertEquals("no-store", live.header("Cache-Control"));
        assertEquals(200, Http.get(PARLEY.server().uri("/healthz/")).status());
        assertEquals(404, Http.get(PARLEY.server().uri("/healthz/other")).status());

        Http.Answer ready = Http.get(PARLEY.server().uri("/healthz/ready"));
        assertEquals(200, ready.status());
        assertEquals("ready", ready.object().get("status"));
    }

    @Test
    void readinessIsJudgedByTheUpstreamsAnswersNotByItsSocket() throws Exception {
        Logger parleyLog = (Logger) LoggerFactory.getLogger("io.parley");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        parleyLog.addAppender(lines);
        try (TestTab tab = TestTab.chatting(PARLEY.server().webSocketUri(), "Health Check", "h1", "Are you there?")) {
            awaitReadiness(200, answer -> "ok".equals(upstream(answer).get("state")));

            // Every read is answered 200 over a working connection, with a body that is no answer.
            TestedUpstream upstream = TestedUpstream.current();
            PARLEY.agent().faults(upstream.malformedEverywhere());
            if (upstream == TestedUpstream.V3) {
                PARLEY.agent().dropSockets();
            }
            try {
                Map<String, Object> unready = awaitReadiness(503, answer -> true);
                assertEquals("not_ready", unready.get("status"));
                assertEquals("failing", upstream(unready).get("state"));
                // v2 reads the unreadable answer; a v3 socket waits for a login answer it can read, and times out
                String failure = (String) upstream(unready).get("last_failure");
                assertTrue(failure.equals("poll: malformed") || failure.startsWith("rtm_login: "), failure);
                String reason = (String) unready.get("reason");
                assertEquals(true, reason.startsWith("every upstream call has failed for "), reason);
                assertEquals(200, Http.get(PARLEY.server().uri("/healthz")).status(), "still alive: no reason to restart");
            } finally {
                PARLEY.agent().clearFaults();
            }
            awaitReadiness(200, answer -> "ok".equals(upstream(answer).get("state")));
            tab.send("type", "send", "id", "h2", "text", "Back again");
            tab.ack("h2");
        } finally {
            parleyLog.detachAppender(lines);
        }
        List<ILoggingEvent> logged;
        synchronized (lines) {
            logged = List.copyOf(lines.list);
        }
        List<String> warnings = logged.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(1, warnings.size(), "the outage is one warning for the node, not one a chat: " + warnings);
        assertTrue(warnings.get(0).startsWith("The upstream has failed every call for "), warnings.get(0));
        assertEquals(1, logged.stream().filter(e -> e.getFormattedMessage().startsWith("The upstream answers again")).count(),
                "and its end one line");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> upstream(Map<String, Object> answer) {
        return (Map<String, Object>) answer.get("upstream");
    }

    /** Asks again until {@code /healthz/ready} answers this status and the condition holds; at most ten seconds. */
    private static Map<String, Object> awaitReadiness(int status, Predicate<Map<String, Object>> condition)
            throws Exception {
        URI uri = PARLEY.server().uri("/healthz/ready");
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (true) {
            Http.Answer answer = Http.get(uri);
            if (answer.status() == status && condition.test(answer.object())) {
                return answer.object();
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("readiness did not become " + status + ": " + answer.status() + " " + answer.body());
            }
            Thread.onSpinWait();
        }
    }
}
