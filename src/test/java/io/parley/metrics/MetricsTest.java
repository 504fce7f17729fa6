package io.parley.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.emulator.EmulatedChat;
import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import io.parley.testing.Scrape;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "emulator-demo-agent", "false", "poll-fast-interval", "100ms", "poll-interval", "200ms",
            "poll-idle-interval", "300ms", "messages-per-visitor", "2/1m"));

    private static URI metrics() {
        return PARLEY.server().uri("/metrics");
    }

    @Test
    void aChatShowsInEveryMeter() throws Exception {
        TestServer server = PARLEY.server();
        try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Measured", "m1", "Count me")) {
            int chat = PARLEY.agent().awaitChatNumberOf("Measured");
            PARLEY.agent().say(chat, "Counted");
            tab.awaitText("Counted");
            tab.send("type", "send", "id", "m2", "text", "Again");
            tab.ack("m2");
            tab.send("type", "send", "id", "m3", "text", "Too many");
            assertEquals("rate_limited", tab.next("error").get("code"));

            Scrape.await(metrics(), "parley_tabs", v -> v == 1);
            Scrape.await(metrics(), "parley_conversations", v -> v >= 1);
            Scrape.await(metrics(), "parley_rate_limited_total", v -> v == 1, "limit=\"messages_per_visitor\"");
            Scrape.await(metrics(), "parley_agent_message_latency_seconds_count", v -> v >= 1);
            if (TestedUpstream.current() == TestedUpstream.V2) {
                pollsShow(server, chat);
            } else {
                socketsShow();
            }
            Scrape scrape = Scrape.of(metrics());
            assertTrue(scrape.value("jvm_memory_used_bytes").isPresent(), "JVM memory");
            assertTrue(scrape.value("jvm_threads_live_threads").isPresent(), "JVM threads");
        }
        Scrape.await(metrics(), "parley_tabs", v -> v == 0);
    }

    /** v2: starts, sends and polls, their failures, and no upstream id. */
    private static void pollsShow(TestServer server, int chat) throws Exception {
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v == 1, "call=\"start\"", "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1, "call=\"send\"", "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 3, "call=\"poll\"", "outcome=\"ok\"");
        PARLEY.agent().faults("error_rate", "1", "error_status", "503", "calls", "get_pending_messages");
        try {
            Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1,
                    "call=\"poll\"", "outcome=\"server_error\"");
        } finally {
            PARLEY.agent().clearFaults();
        }
        Scrape scrape = Scrape.of(metrics());
        assertTrue(scrape.value("parley_upstream_calls_seconds_bucket", "call=\"poll\"", "outcome=\"ok\"", "le=\"")
                .isPresent(), "poll latency is a histogram");
        assertTrue(scrape.value("jetty_client_requests_seconds_count",
                "uri=\"/visitors/{visitor_id}/chat/get_pending_messages\"").isPresent(), "the upstream HTTP client");
        EmulatedChat upstream = server.parley().emulator().orElseThrow().upstream().chat(chat).orElseThrow();
        assertFalse(scrape.text().contains(upstream.visitorId()), "no visitor id in the metrics");
        assertFalse(scrape.text().contains(upstream.sessionId()), "no session id in the metrics");
    }

    /** v3: tokens, the start and sends through the Web API, the RTM socket and its logins, and no token. */
    private static void socketsShow() throws Exception {
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1, "call=\"customer_token\"",
                "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v == 1, "call=\"start_chat\"",
                "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1, "call=\"send_event\"",
                "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1, "call=\"rtm_login\"",
                "outcome=\"ok\"");
        Scrape.await(metrics(), "parley_rtm_sockets", v -> v == 1);
        Scrape.await(metrics(), "parley_rtm_fallback_chats", v -> v == 0);
        PARLEY.agent().faults("error_rate", "1", "error_status", "503", "calls", "login");
        PARLEY.agent().dropSockets();
        try {
            Scrape.await(metrics(), "parley_upstream_calls_seconds_count", v -> v >= 1,
                    "call=\"rtm_login\"", "outcome=\"server\"");
        } finally {
            PARLEY.agent().clearFaults();
        }
        Scrape.await(metrics(), "parley_rtm_sockets", v -> v == 1);
        assertFalse(Scrape.of(metrics()).text().contains("dal:"), "no LiveChat token in the metrics");
    }

    @Test
    void theMetricsAreInPrometheusTextFormatAndNeverCached() throws Exception {
        Http.Answer answer = Http.get(metrics());
        assertEquals(200, answer.status());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", answer.contentType().toLowerCase());
        assertEquals("no-store", answer.header("Cache-Control"));
        assertTrue(answer.body().contains("# TYPE parley_conversations gauge"), answer.body());
    }

    @Test
    void aMetricsTokenIsRequiredWhenSet() throws Exception {
        try (TestServer server = TestServer.start(Map.of("metrics-token", "s3cret-token-0123"))) {
            URI uri = server.uri("/metrics");
            Http.Answer none = Http.get(uri);
            assertEquals(401, none.status());
            assertEquals("Bearer realm=\"metrics\"", none.header("WWW-Authenticate"));
            assertEquals(200, statusWith(uri, "Bearer s3cret-token-0123"));
            assertEquals(401, statusWith(uri, "Bearer s3cret-token-012X"));
            assertEquals(401, statusWith(uri, "Bearer s3cret-token-0123-and-more"));
            assertEquals(401, statusWith(uri, "Basic czNjcmV0LXRva2Vu"));
            assertEquals(200, statusWith(uri, "bearer  s3cret-token-0123 "));
        }
    }

    /**
     * A client of its own for each request: the JDK's shared client replays an Authorization
     * header it has seen answered, in place of the one a later request sets.
     */
    private static int statusWith(URI uri, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).header("Authorization", authorization).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
