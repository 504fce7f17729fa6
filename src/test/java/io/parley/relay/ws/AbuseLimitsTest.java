package io.parley.relay.ws;

import static io.parley.testing.AgentApi.visitorTexts;
import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each limit refuses with a {@code rate_limited} error that says when to retry, and lets through
 * what is within it. Addresses come from the trusted proxy header, its last entry only.
 */
class AbuseLimitsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "emulator-demo-agent", "false",
            "client-ip-header", "X-Forwarded-For",
            "connections-per-ip", "3/1h",
            "chat-starts-per-visitor", "1/1h",
            "chat-starts-per-ip", "2/1h",
            "messages-per-visitor", "3/1m"));

    private static URI ws() {
        return PARLEY.server().webSocketUri();
    }

    private static TestTab openFrom(String forwardedFor) throws Exception {
        TestTab tab = TestTab.connect(ws(), "X-Forwarded-For", forwardedFor);
        tab.send("type", "hello");
        tab.next("welcome");
        return tab;
    }

    private static void assertRateLimited(Map<String, Object> error, Duration atMost) {
        assertEquals("rate_limited", error.get("code"));
        long retryAfter = number(error.get("retry_after"));
        assertTrue(retryAfter >= 1 && retryAfter <= atMost.toSeconds(), "retry_after " + retryAfter);
    }

    @Test
    void connectionsPerAddressAreLimitedAndOtherAddressesAreNot() throws Exception {
        for (int i = 0; i < 3; i++) {
            openFrom("10.0.0.1").close();
        }
        // What the client put before the proxy's entry is ignored: this is 10.0.0.1 again.
        try (TestTab refused = TestTab.connect(ws(), "X-Forwarded-For", "192.0.2.99, 10.0.0.1")) {
            assertRateLimited(refused.next("error"), Duration.ofMinutes(20));
            assertEquals(1013, refused.awaitClose(), "try again later");
        }
        openFrom("10.0.0.2").close();
    }

    @Test
    void messagesPerVisitorAreLimitedAndTheRefusedOneIsNotSent() throws Exception {
        try (TestTab tab = openFrom("10.0.1.1")) {
            tab.send("type", "start", "id", "m1", "text", "one", "name", "Limited Sender");
            tab.ack("m1");
            tab.send("type", "send", "id", "m2", "text", "two");
            tab.ack("m2");
            tab.send("type", "send", "id", "m3", "text", "three");
            tab.ack("m3");
            tab.send("type", "send", "id", "m4", "text", "four");
            Map<String, Object> error = tab.next("error");
            assertEquals("m4", error.get("id"));
            assertRateLimited(error, Duration.ofSeconds(20));
            tab.await(f -> "state".equals(f.get("type")) && "waiting".equals(f.get("state")));
            int chat = PARLEY.agent().chatNumberOf("Limited Sender"); // the upstream chat exists once waiting
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> visitorTexts(c).size() == 3);
            assertFalse(visitorTexts(PARLEY.agent().chat(chat)).contains("four"));
        }
    }

    @Test
    void chatStartsPerVisitorAndPerAddressAreLimited() throws Exception {
        try (TestTab tab = openFrom("10.0.2.1")) {
            tab.send("type", "start", "id", "s1", "text", "first chat", "name", "Starter");
            tab.ack("s1");
            tab.await(f -> "state".equals(f.get("type")) && "waiting".equals(f.get("state")));
            int chat = PARLEY.agent().chatNumberOf("Starter");
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> visitorTexts(c).contains("first chat"));
            tab.send("type", "close");
            tab.await(f -> "state".equals(f.get("type")) && "closed".equals(f.get("state")));
            tab.send("type", "start", "id", "s2", "text", "second chat");
            assertRateLimited(tab.next("error"), Duration.ofHours(1));
        }
        // A second visitor from the same address may start; a third may not.
        try (TestTab second = openFrom("10.0.2.1"); TestTab third = openFrom("10.0.2.1")) {
            second.send("type", "start", "id", "s3", "text", "another visitor");
            second.ack("s3");
            third.send("type", "start", "id", "s4", "text", "one too many");
            assertRateLimited(third.next("error"), Duration.ofHours(1));
        }
    }
}
