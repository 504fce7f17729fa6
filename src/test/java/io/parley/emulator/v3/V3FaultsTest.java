package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults of the v3 calls and sockets, set through the agent API's {@code /faults}, and the call counts. */
class V3FaultsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> events(String token, String chatId) throws Exception {
        return (List<Map<String, Object>>) map(client.ok(token, "get_chat", "{\"chat_id\":\"" + chatId + "\"}")
                .get("thread")).get("events");
    }

    private static String message(String chatId, String customId) {
        return "{\"chat_id\":\"" + chatId + "\",\"event\":{\"type\":\"message\",\"text\":\"x\",\"custom_id\":\""
                + customId + "\"}}";
    }

    /** Whether a list_chats answer is the documented JSON object. */
    private static boolean documented(String body) {
        try {
            return CustomerClient.JSONB.fromJson(body, Object.class) instanceof Map<?, ?> json
                    && json.get("chats_summary") instanceof List;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @AfterEach
    void clearFaults() throws Exception {
        PARLEY.agent().clearFaults();
    }

    @Test
    void anErrorBeforeTheEffectLeavesNothingAndOneAfterItLeavesTheEvent() throws Exception {
        String token = client.customerToken();
        String chatId = (String) client.ok(token, "start_chat", "{}").get("chat_id");
        PARLEY.agent().faults("error_rate", "1", "error_status", "503", "calls", "send_event");
        Http.Answer before = client.call(token, "send_event", message(chatId, "before"));
        assertEquals(503, before.status(), before.body());
        PARLEY.agent().faults("error_after_rate", "1", "calls", "send_event");
        assertEquals(500, client.call(token, "send_event", message(chatId, "after")).status());
        PARLEY.agent().clearFaults();
        List<Object> ids = events(token, chatId).stream().map(event -> event.get("custom_id")).toList();
        assertEquals(List.of("after"), ids);
    }

    @Test
    void malformedAndCutAnswersAreNotTheDocumentedJson() throws Exception {
        String token = client.customerToken();
        PARLEY.agent().faults("malformed_rate", "1", "calls", "list_chats");
        for (int i = 0; i < 4; i++) {
            Http.Answer answer = client.call(token, "list_chats", "{}");
            assertEquals(200, answer.status());
            assertFalse(documented(answer.body()), answer.body());
        }
        PARLEY.agent().faults("drop_rate", "1", "calls", "get_customer");
        try {
            Http.Answer cut = client.call(token, "get_customer", "{}");
            throw new AssertionError("a dropped answer arrived whole: " + cut.body());
        } catch (java.io.IOException expected) {
            // the connection broke mid-answer
        }
    }

    @Test
    void theAccountsCallsTakeFaultsByTheirNames() throws Exception {
        PARLEY.agent().faults("error_rate", "1", "calls", "accounts_customer_token");
        String agent = client.agentToken();
        assertEquals(500, client.customerGrant(agent, null).status());
    }

    @Test
    void rtmRequestsTakeFaultsAndLatencyFillsThePendingLimit() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            PARLEY.agent().faults("error_rate", "1", "calls", "list_chats");
            Map<String, Object> failed = rtm.request("list_chats", Map.of());
            assertEquals(false, failed.get("success"));
            assertEquals("internal", map(map(failed.get("payload")).get("error")).get("type"));

            PARLEY.agent().faults("latency_ms", "400", "calls", "get_customer");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                ids.add(rtm.send("get_customer", Map.of()));
            }
            Map<String, Object> refused = rtm.await("a refused request", frame -> Boolean.FALSE.equals(frame.get("success")));
            assertEquals("pending_requests_limit_reached", map(map(refused.get("payload")).get("error")).get("type"));
            for (int i = 0; i < 10; i++) {
                String id = ids.get(i);
                assertEquals(true, rtm.await("response " + id, frame -> id.equals(frame.get("request_id"))).get("success"));
            }
        }
    }

    @Test
    void socketsDropOnRequestAndPushesGetLost() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            Map<String, Object> dropped = Http.post(PARLEY.server().uri("/emulator/agent/api/rtm/drop"), Map.of()).object();
            assertTrue(((Number) dropped.get("dropped")).intValue() >= 1, dropped.toString());
            assertEquals(1011, rtm.awaitClosed());
        }
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            String chatId = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            rtm.push("incoming_chat");
            PARLEY.agent().faults("push_loss_rate", "1");
            rtm.ok("send_event", Map.of("chat_id", chatId, "event", Map.of("type", "message", "text", "lost",
                    "custom_id", "l-1")));
            PARLEY.agent().clearFaults();
            rtm.ok("send_event", Map.of("chat_id", chatId, "event", Map.of("type", "message", "text", "kept",
                    "custom_id", "k-1")));
            Map<String, Object> pushed = rtm.push("incoming_event");
            assertEquals("k-1", map(map(pushed.get("payload")).get("event")).get("custom_id"), "the lost one never came");
            assertEquals(List.of("l-1", "k-1"), events(token, chatId).stream().map(event -> event.get("custom_id")).toList());

            PARLEY.agent().faults("rtm_drop_rate", "1");
            rtm.send("send_event", Map.of("chat_id", chatId, "event", Map.of("type", "message", "text", "drop")));
            assertEquals(1011, rtm.awaitClosed());
        }
    }

    @Test
    void aSilentSocketIsClosedAfterTheIdleTimeout() throws Exception {
        PARLEY.agent().faults("rtm_idle_timeout_ms", "300");
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), client.customerToken())) {
            int code = rtm.awaitClosed();
            assertTrue(code == 1001 || code == 1000 || code == 1006, "closed with " + code);
        }
    }

    @Test
    void billedWebCallsAreCountedApartFromRtmRequests() throws Exception {
        long web = PARLEY.agent().calls("web:get_customer");
        long rtmCount = PARLEY.agent().calls("rtm:get_customer");
        String token = client.customerToken();
        client.ok(token, "get_customer", "{}");
        client.ok(token, "get_customer", "{}");
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("get_customer", Map.of());
        }
        assertEquals(web + 2, PARLEY.agent().calls("web:get_customer"));
        assertEquals(rtmCount + 1, PARLEY.agent().calls("rtm:get_customer"));
        assertTrue(PARLEY.agent().calls("web:total") >= 2);
        assertTrue(PARLEY.agent().calls("accounts:customer_token") >= 1);
        assertEquals(URI.create(PARLEY.server().emulatorUri() + "/x").getPort(), PARLEY.server().uri().getPort());
    }
}
