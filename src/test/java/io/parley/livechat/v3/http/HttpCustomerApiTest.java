package io.parley.livechat.v3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v3.V3Failure;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Web API client against a scripted LiveChat over real HTTP: every shape of answer and failure. */
class HttpCustomerApiTest {

    private static final String TOKEN = "dal:customer-token-secret";

    private static FakeLiveChat fake;
    private static HttpCustomerApi api;
    private static final BlockingQueue<WebApiCall> heard = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeLiveChat();
        api = new HttpCustomerApi(fake::uri, "org-1/2", "3.6", Duration.ofSeconds(10), 8);
        api.addCallListener(heard::add);
    }

    @BeforeEach
    void forget() {
        fake.forgetCalls();
        heard.clear();
        fake.answer(call -> new FakeLiveChat.Answer(200, "{}"));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        fake.close();
    }

    private static Map<String, Object> answer(CompletableFuture<Map<String, Object>> call) throws Exception {
        return call.get(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static V3Failure failure(CompletableFuture<Map<String, Object>> call) throws Exception {
        try {
            call.get(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return assertInstanceOf(V3Failure.class, e.getCause());
        }
        throw new AssertionError("the call succeeded");
    }

    private static WebApiCall heard(String action) throws InterruptedException {
        WebApiCall call = heard.poll(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(action, call == null ? null : call.action());
        return call;
    }

    @Test
    void anActionIsAPostOfJsonWithTheTokenAndTheOrganizationAndItsAnswerIsRead() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200,
                "{\"chat_id\":\"PJ0MRSHTDG\",\"thread_id\":\"PGDGHT5G\",\"event_ids\":[\"PGDGHT5G_1\"],\"n\":1.5,\"ok\":true,\"none\":null}"));
        Map<String, Object> event = Map.of("type", "message", "text", "Hi \"there\" ü", "recipients", "all",
                "custom_id", "m-1");
        Map<String, Object> chat = Map.of("access", Map.of("group_ids", List.of(0)),
                "thread", Map.of("events", List.of(event)));
        Map<String, Object> answer = answer(api.call(TOKEN, "start_chat", Map.of("chat", chat, "continuous", false)));

        FakeLiveChat.Call call = fake.nextCall();
        assertEquals("POST", call.method());
        assertEquals("/v3.6/customer/action/start_chat", call.path());
        assertEquals("organization_id=org-1%2F2", call.query());
        assertEquals("Bearer " + TOKEN, call.header("Authorization"));
        assertTrue(call.header("Content-Type").startsWith("application/json"), call.header("Content-Type"));
        assertNull(call.header("X-Region"), "a dal token needs no region");
        Map<String, Object> sent = JsonText.readObject(call.body());
        assertEquals(Boolean.FALSE, sent.get("continuous"));
        assertEquals("Hi \"there\" ü", ((Map<?, ?>) ((List<?>) ((Map<?, ?>) ((Map<?, ?>) sent.get("chat")).get("thread"))
                .get("events")).get(0)).get("text"));

        assertEquals("PJ0MRSHTDG", answer.get("chat_id"));
        assertEquals(List.of("PGDGHT5G_1"), answer.get("event_ids"));
        assertEquals(new BigDecimal("1.5"), answer.get("n"));
        assertEquals(Boolean.TRUE, answer.get("ok"));
        assertTrue(answer.containsKey("none") && answer.get("none") == null);

        WebApiCall measured = heard("start_chat");
        assertEquals(200, measured.status());
        assertTrue(measured.succeeded() && measured.answered());
    }

    @Test
    void anEmptyAnswerIsAnEmptyObject() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200, ""));
        assertEquals(Map.of(), answer(api.call(TOKEN, "deactivate_chat", Map.of("id", "PJ0MRSHTDG"))));
    }

    @Test
    void aFraTokenSaysItsRegion() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200, "{}"));
        answer(api.call("fra:customer-token", "get_customer", Map.of()));
        FakeLiveChat.Call call = fake.nextCall();
        assertEquals("fra", call.header("X-Region"));
        assertEquals("Bearer fra:customer-token", call.header("Authorization"));
    }

    @Test
    void theConfigurationActionsAreGetsWithTheirPayloadAsParameters() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"online_group_ids\":[0]}"));
        Map<String, Object> answer = answer(api.call(TOKEN, "get_dynamic_configuration", Map.of("group_id", 0)));
        FakeLiveChat.Call call = fake.nextCall();
        assertEquals("GET", call.method());
        assertEquals("/v3.6/customer/action/get_dynamic_configuration", call.path());
        assertTrue(call.query().contains("organization_id=org-1%2F2") && call.query().contains("group_id=0"), call.query());
        assertEquals(List.of(BigDecimal.ZERO), answer.get("online_group_ids"));
    }

    @Test
    void an401IsAnAuthenticationFailureThatDidNotLand() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(401,
                "{\"error\":{\"type\":\"authentication\",\"message\":\"Invalid access token dal:customer-token-secret\"}}"));
        V3Failure failure = failure(api.call(TOKEN, "send_event", Map.of("chat_id", "PJ0MRSHTDG")));
        assertEquals(V3Failure.Kind.AUTHENTICATION, failure.kind());
        assertEquals("authentication", failure.type());
        assertFalse(failure.ambiguous());
        assertFalse(failure.getMessage().contains("token-secret"), failure.getMessage());
        assertFalse(failure.getMessage().contains("PJ0MRSHTDG"), failure.getMessage());
        WebApiCall measured = heard("send_event");
        assertEquals(401, measured.status());
        assertEquals(failure, measured.failure());
    }

    @Test
    void errorTypesDecideTheKindAndAnUnknownOneFallsBackOnTheStatus() throws Exception {
        Map<String, V3Failure.Kind> kinds = Map.of(
                "chat_inactive", V3Failure.Kind.CHAT_INACTIVE,
                "groups_offline", V3Failure.Kind.GROUPS_OFFLINE,
                "validation", V3Failure.Kind.VALIDATION,
                "too_many_requests", V3Failure.Kind.TOO_MANY_REQUESTS,
                "not_found", V3Failure.Kind.NOT_FOUND,
                "authorization", V3Failure.Kind.AUTHORIZATION);
        for (Map.Entry<String, V3Failure.Kind> kind : kinds.entrySet()) {
            fake.answer(call -> new FakeLiveChat.Answer(400,
                    "{\"error\":{\"type\":\"" + kind.getKey() + "\",\"message\":\"No\"}}"));
            V3Failure failure = failure(api.call(TOKEN, "send_event", Map.of()));
            assertEquals(kind.getValue(), failure.kind(), kind.getKey());
            assertEquals(kind.getKey(), failure.type());
            assertFalse(failure.ambiguous(), kind.getKey());
        }
        fake.answer(call -> new FakeLiveChat.Answer(429, "<html>slow down</html>"));
        V3Failure limited = failure(api.call(TOKEN, "send_event", Map.of()));
        assertEquals(V3Failure.Kind.TOO_MANY_REQUESTS, limited.kind());
        assertNull(limited.type());
        fake.answer(call -> new FakeLiveChat.Answer(403, "{\"error\":{\"type\":\"something_new\",\"message\":\"?\"}}"));
        V3Failure unknown = failure(api.call(TOKEN, "send_event", Map.of()));
        assertEquals(V3Failure.Kind.AUTHORIZATION, unknown.kind());
        assertEquals("something_new", unknown.type());
    }

    @Test
    void a5xxIsAServerFailureThatMayHaveLanded() throws Exception {
        fake.answer(call -> new FakeLiveChat.Answer(503, "{\"error\":{\"type\":\"internal\",\"message\":\"Oops\"}}"));
        V3Failure failure = failure(api.call(TOKEN, "send_event", Map.of()));
        assertEquals(V3Failure.Kind.SERVER, failure.kind());
        assertEquals("internal", failure.type());
        assertTrue(failure.ambiguous());
        assertTrue(failure.passing());
    }

    @Test
    void noAnswerWithinTheTimeoutMayHaveLanded() throws Exception {
        fake.answer(call -> null);
        // A client of its own with a short timeout: the shared one's is long, so that no answer
        // the other tests expect times out on a busy machine.
        try (HttpCustomerApi impatient = new HttpCustomerApi(fake::uri, "org-1/2", "3.6", Duration.ofMillis(500), 2)) {
            impatient.addCallListener(heard::add);
            V3Failure failure = failure(impatient.call(TOKEN, "send_event", Map.of()));
            assertEquals(V3Failure.Kind.TIMEOUT, failure.kind());
            assertTrue(failure.ambiguous());
            assertEquals(0, heard("send_event").status());
        }
    }

    @Test
    void anUnreadable200MayHaveLanded() throws Exception {
        for (String body : List.of("{\"event_id\":", "[1,2]", "not json", "{} {}", "[".repeat(100) + "]".repeat(100))) {
            fake.answer(call -> new FakeLiveChat.Answer(200, body));
            V3Failure failure = failure(api.call(TOKEN, "send_event", Map.of()));
            assertEquals(V3Failure.Kind.MALFORMED, failure.kind(), body);
            assertTrue(failure.ambiguous(), body);
        }
    }

    @Test
    void aReadable200WithoutWhatTheCallDocumentsIsNoAnswer() throws Exception {
        // e.g. another call's answer, or a proxy's JSON: the chat's read must not take it as the upstream working
        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"events\":{\"oops\":true},\"success\":\"maybe\"}"));
        V3Failure failure = failure(api.call(TOKEN, "get_chat", Map.of("chat_id", "C1")));
        assertEquals(V3Failure.Kind.MALFORMED, failure.kind());
        assertTrue(failure.ambiguous());
        fake.answer(call -> new FakeLiveChat.Answer(200, "{\"thread_id\":\"T1\"}"));
        assertEquals(V3Failure.Kind.MALFORMED, failure(api.call(TOKEN, "start_chat", Map.of())).kind(), "no chat_id");
    }

    @Test
    void anAnswerLargerThanTheBoundIsMalformed() throws Exception {
        String huge = "{\"text\":\"" + "x".repeat(HttpCustomerApi.MAX_ANSWER_BYTES) + "\"}";
        fake.answer(call -> new FakeLiveChat.Answer(200, huge));
        V3Failure failure = failure(api.call(TOKEN, "get_chat", Map.of()));
        assertEquals(V3Failure.Kind.MALFORMED, failure.kind());
        assertTrue(failure.ambiguous());
    }

    @Test
    void aRefusedConnectionDidNotLand() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (HttpCustomerApi refused = new HttpCustomerApi(() -> nowhere, "org", "3.6", Duration.ofSeconds(5), 2)) {
            BlockingQueue<WebApiCall> calls = new LinkedBlockingQueue<>();
            refused.addCallListener(calls::add);
            V3Failure failure = failure(refused.call(TOKEN, "send_event", Map.of()));
            assertEquals(V3Failure.Kind.NETWORK, failure.kind());
            assertFalse(failure.ambiguous());
            WebApiCall call = calls.poll(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertFalse(call.answered(), "a refused connection is not billed");
        }
    }

    @Test
    void anUnknownAddressOrABadActionSendsNothing() throws Exception {
        try (HttpCustomerApi unknown = new HttpCustomerApi(() -> null, "org", "3.6", Duration.ofSeconds(5), 2)) {
            V3Failure failure = failure(unknown.call(TOKEN, "send_event", Map.of()));
            assertEquals(V3Failure.Kind.NETWORK, failure.kind());
            assertFalse(failure.ambiguous());
        }
        V3Failure bad = failure(api.call(TOKEN, "../admin", Map.of()));
        assertEquals(V3Failure.Kind.VALIDATION, bad.kind());
        assertFalse(bad.ambiguous());
        V3Failure unwritable = failure(api.call(TOKEN, "send_event", Map.of("when", new Object())));
        assertEquals(V3Failure.Kind.VALIDATION, unwritable.kind());
    }
}
