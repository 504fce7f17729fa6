package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RTM socket against src/pages/messaging/customer-chat-api/rtm-reference/index.mdx (login,
 * request and response format) and src/pages/messaging/customer-chat-api/rtm-pushes/index.mdx.
 */
class RtmContractTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    private int consoleNumber(String name) throws Exception {
        return PARLEY.agent().awaitChatNumberOf(name);
    }

    @Test
    void loginAnswersTheCustomerAndTheDynamicConfigTheSdkNeeds() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.connect(RtmClient.uri(PARLEY.server(), "3.6"))) {
            Map<String, Object> response = rtm.request("login", Map.of("token", "Bearer " + token,
                    "customer", Map.of("name", "Maria"), "customer_page", Map.of("url", "https://example.com/")));
            assertEquals("login", response.get("action"));
            assertEquals("response", response.get("type"));
            assertEquals(true, response.get("success"));
            Map<String, Object> payload = map(response.get("payload"));
            assertTrue(payload.keySet().containsAll(Set.of("customer", "has_active_thread", "chats",
                    "__priv_dynamic_config")), payload.toString());
            assertEquals("Maria", map(payload.get("customer")).get("name"));
            assertEquals(false, payload.get("has_active_thread"));
            Map<String, Object> dynamic = map(payload.get("__priv_dynamic_config"));
            assertEquals(List.of(BigDecimal.ZERO), dynamic.get("online_groups_ids"));
            assertEquals(BigDecimal.ZERO, map(map(dynamic.get("customer_groups")).get("monitoring")).get("id"));
            // ping answers with the ping action
            Map<String, Object> ping = rtm.request("ping", Map.of());
            assertEquals("ping", ping.get("action"));
            assertEquals(true, ping.get("success"));
        }
    }

    @Test
    void anotherOrganizationIsToldItsLicenseIsNotFound() throws Exception {
        java.net.URI wrong = java.net.URI.create(RtmClient.uri(PARLEY.server(), "3.5").toString()
                .replace(DemoAccount.ORGANIZATION_ID, "00000000-0000-0000-0000-000000000000"));
        try (RtmClient rtm = RtmClient.connect(wrong)) {
            assertEquals(Map.of("reason", "license_not_found"), rtm.push("customer_disconnected").get("payload"));
            assertEquals(1000, rtm.awaitClosed());
        }
    }

    @Test
    void aBadTokenIsRefusedAndActionsNeedALogin() throws Exception {
        try (RtmClient rtm = RtmClient.connect(RtmClient.uri(PARLEY.server(), "3.6"))) {
            Map<String, Object> early = rtm.request("list_chats", Map.of());
            assertEquals(false, early.get("success"));
            assertEquals("authentication", map(map(early.get("payload")).get("error")).get("type"));
            Map<String, Object> login = rtm.request("login", Map.of("token", "Bearer dal:wrong"));
            assertEquals(false, login.get("success"));
            assertEquals("authentication", map(map(login.get("payload")).get("error")).get("type"));
        }
    }

    @Test
    void pushesFollowTheChatAndCarryTheRequestersId() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token);
                RtmClient other = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Pushy"));
            String startId = rtm.send("start_chat", Map.of("chat", Map.of("thread", Map.of("events",
                    List.of(Map.of("type", "message", "text", "Hello", "custom_id", "c-1"))))));
            Map<String, Object> response = rtm.await("start_chat response",
                    frame -> "response".equals(frame.get("type")) && startId.equals(frame.get("request_id")));
            String chatId = (String) map(response.get("payload")).get("chat_id");

            // incoming_chat: to the requester with its request_id, after the response; to the other socket without
            Map<String, Object> incoming = rtm.push("incoming_chat");
            assertEquals(startId, incoming.get("request_id"));
            assertEquals("3.6", incoming.get("version"));
            Map<String, Object> chat = map(map(incoming.get("payload")).get("chat"));
            assertEquals(chatId, chat.get("id"));
            assertEquals("c-1", ((List<Map<String, Object>>) map(chat.get("thread")).get("events")).get(0).get("custom_id"));
            assertFalse(other.push("incoming_chat").containsKey("request_id"));

            // send_event: incoming_event with the custom_id, carrying the request_id
            String sendId = rtm.send("send_event", Map.of("chat_id", chatId, "event",
                    Map.of("type", "message", "text", "Still there?", "custom_id", "c-2")));
            Map<String, Object> echoed = rtm.push("incoming_event");
            assertEquals(sendId, echoed.get("request_id"));
            assertEquals("c-2", map(map(echoed.get("payload")).get("event")).get("custom_id"));

            // the agent joins and answers: user_added_to_chat, incoming_event
            int number = consoleNumber("Pushy");
            assertEquals(200, PARLEY.agent().say(number, "Here I am").status());
            Map<String, Object> added = map(rtm.push("user_added_to_chat").get("payload"));
            assertEquals(chatId, added.get("chat_id"));
            assertEquals("Sam", map(added.get("user")).get("name"));
            Map<String, Object> reply = rtm.await("agent's message", frame -> "incoming_event".equals(frame.get("action"))
                    && "Here I am".equals(map(map(frame.get("payload")).get("event")).get("text")));
            assertFalse(reply.containsKey("request_id"));

            // the agent closes: incoming_event (a system message) and chat_deactivated
            assertEquals(200, PARLEY.agent().close(number).status());
            Map<String, Object> deactivated = map(rtm.push("chat_deactivated").get("payload"));
            assertEquals(chatId, deactivated.get("chat_id"));
            assertEquals(map(added.get("user")).get("id"), deactivated.get("user_id"));
        }
    }

    @Test
    void onlyTheIndirectAnswersCarryTheRequestId() throws Exception {
        // LiveChat's Customer SDK fails on a request_id it does not wait for any more
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), client.customerToken())) {
            String chatId = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            rtm.push("incoming_chat");
            String deactivateId = rtm.send("deactivate_chat", Map.of("id", chatId));
            rtm.await("deactivate_chat response", frame -> deactivateId.equals(frame.get("request_id"))
                    && "response".equals(frame.get("type")));
            Map<String, Object> closing = rtm.push("incoming_event");
            assertEquals("system_message", map(map(closing.get("payload")).get("event")).get("type"));
            assertFalse(closing.containsKey("request_id"), closing.toString());
            assertEquals(chatId, map(rtm.push("chat_deactivated").get("payload")).get("chat_id"));
            String resumeId = rtm.send("resume_chat", Map.of("chat", Map.of("id", chatId)));
            assertEquals(resumeId, rtm.push("incoming_chat").get("request_id"));
        }
    }

    @Test
    void theAgentApiShowsTheApiAndTheLoginButNoIds() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Shown"));
            rtm.ok("start_chat", Map.of());
            int number = consoleNumber("Shown");
            Map<String, Object> chat = PARLEY.agent().chat(number);
            assertEquals("v3", chat.get("api"));
            assertEquals(true, chat.get("rtm_logged_in"));
            String shown = chat.toString();
            assertFalse(shown.contains(token.substring(4)), shown);
            String customerId = (String) rtm.ok("get_customer", Map.of()).get("id");
            assertFalse(shown.contains(customerId), shown);
        }
    }
}
