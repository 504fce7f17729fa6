package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the agents' side does to a v3 customer: typing, group status, seen marks, sneak peeks and
 * ratings, against src/pages/messaging/customer-chat-api/rtm-pushes/index.mdx and
 * src/pages/messaging/customer-chat-api/index.mdx (Start Chat, List Group Statuses, Get Dynamic
 * Configuration).
 */
class AgentSidePushesTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    private static Http.Answer agentPost(String path, String... form) throws Exception {
        return Http.post(PARLEY.server().uri("/emulator/agent/api/" + path), Http.form(form));
    }

    @AfterEach
    void groupZeroOnline() throws Exception {
        agentPost("groups/0/status", "status", "online");
    }

    @Test
    void typingReachesTheCustomer() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Typist"));
            String chatId = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            int number = PARLEY.agent().awaitChatNumberOf("Typist");
            assertEquals(200, agentPost("chats/" + number + "/typing", "is_typing", "true").status());
            Map<String, Object> typing = map(rtm.push("incoming_typing_indicator").get("payload"));
            assertEquals(chatId, typing.get("chat_id"));
            assertTrue(typing.get("thread_id") instanceof String);
            Map<String, Object> indicator = map(typing.get("typing_indicator"));
            assertEquals(true, indicator.get("is_typing"));
            assertTrue(indicator.get("author_id") instanceof String);
            agentPost("chats/" + number + "/typing", "is_typing", "false");
            assertEquals(false, map(map(rtm.push("incoming_typing_indicator").get("payload")).get("typing_indicator"))
                    .get("is_typing"));
            assertEquals(400, agentPost("chats/" + number + "/typing", "is_typing", "maybe").status());
        }
    }

    @Test
    void anOfflineGroupRefusesChatsUnlessContinuousAndEveryoneHearsOfIt() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            assertEquals(200, agentPost("groups/0/status", "status", "offline").status());
            Map<String, Object> update = map(rtm.push("groups_status_updated").get("payload"));
            assertEquals(List.of(Map.of("id", BigDecimal.ZERO, "status", "offline")), update.get("groups"));

            Http.Answer refused = client.call(token, "start_chat", "{}");
            assertEquals(400, refused.status(), refused.body());
            assertEquals("groups_offline", map(refused.object().get("error")).get("type"));
            Map<String, Object> overRtm = rtm.request("start_chat", Map.of());
            assertEquals("groups_offline", map(map(overRtm.get("payload")).get("error")).get("type"));
            assertTrue(client.ok(token, "start_chat", "{\"continuous\":true}").containsKey("chat_id"));

            assertEquals(Map.of("groups_status", Map.of("0", "offline")),
                    client.ok(token, "list_group_statuses", "{\"all\":true}"));
            Http.Answer dynamic = Http.get(client.uri("/v3.6/customer/action/get_dynamic_configuration?organization_id="
                    + DemoAccount.ORGANIZATION_ID + "&group_id=0"));
            assertEquals(200, dynamic.status(), dynamic.body());
            assertTrue(!map(dynamic.object().get("livechat")).containsKey("online_group_ids"), dynamic.body());

            agentPost("groups/0/status", "status", "online_for_queue");
            assertEquals("online_for_queue", map(((List<?>) map(rtm.push("groups_status_updated").get("payload"))
                    .get("groups")).get(0)).get("status"));
            assertTrue(client.ok(token, "start_chat", "{}").containsKey("chat_id"));
        }
    }

    @Test
    void seenMarksSneakPeeksAndRatingsAreShownToTheAgent() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Rater"));
            Map<String, Object> started = rtm.ok("start_chat", Map.of());
            String chatId = (String) started.get("chat_id");
            int number = PARLEY.agent().awaitChatNumberOf("Rater");
            rtm.ok("send_sneak_peek", Map.of("chat_id", chatId, "sneak_peek_text", "I am typ"));
            rtm.ok("mark_events_as_seen", Map.of("chat_id", chatId, "seen_up_to", "2030-01-02T03:04:05.123456Z"));
            Map<String, Object> seen = map(rtm.push("events_marked_as_seen").get("payload"));
            assertEquals(chatId, seen.get("chat_id"));
            assertEquals("2030-01-02T03:04:05.123456Z", seen.get("seen_up_to"));
            // rating as LiveChat's Customer SDK sends it: the newest thread of list_threads
            String threadId = (String) ((List<Map<String, Object>>) rtm.ok("list_threads", Map.of("chat_id", chatId))
                    .get("threads")).get(0).get("id");
            rtm.ok("update_thread_properties", Map.of("chat_id", chatId, "thread_id", threadId,
                    "properties", Map.of("rating", Map.of("score", 1, "comment", "Great"))));
            assertEquals(threadId, map(rtm.push("thread_properties_updated").get("payload")).get("thread_id"));

            Map<String, Object> shown = PARLEY.agent().chat(number);
            assertEquals("I am typ", shown.get("sneak_peek"));
            assertEquals("2030-01-02T03:04:05.123456Z", shown.get("customer_seen_up_to"));
            assertEquals(Map.of("score", BigDecimal.ONE, "comment", "Great"), map(shown.get("thread_properties")).get("rating"));
            Map<String, Object> customer = rtm.ok("get_customer", Map.of());
            assertTrue(customer.get("statistics") instanceof Map, customer.toString());
        }
    }

    @Test
    void theAgentMarksTheCustomersMessagesSeenAndPutsTheChatInTheQueueUntilAnAgentJoins() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Queued"));
            String chatId = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            String threadId = (String) map(map(rtm.ok("get_chat", Map.of("chat_id", chatId)).get("thread"))).get("id");
            int number = PARLEY.agent().awaitChatNumberOf("Queued");
            assertTrue(!map(rtm.ok("get_chat", Map.of("chat_id", chatId)).get("thread")).containsKey("queue"),
                    "present only if the chat is in the queue");

            assertEquals(200, agentPost("chats/" + number + "/queue", "position", "3", "wait_time", "120").status());
            Map<String, Object> queued = map(rtm.push("queue_position_updated").get("payload"));
            assertEquals(Map.of("chat_id", chatId, "thread_id", threadId,
                    "queue", Map.of("position", BigDecimal.valueOf(3), "wait_time", BigDecimal.valueOf(120))), queued);
            Map<String, Object> inThread = map(map(rtm.ok("get_chat", Map.of("chat_id", chatId)).get("thread")).get("queue"));
            assertEquals(BigDecimal.valueOf(3), inThread.get("position"));
            assertEquals(BigDecimal.valueOf(120), inThread.get("wait_time"));
            assertTrue(inThread.get("queued_at") instanceof String);
            assertEquals(Map.of("position", BigDecimal.valueOf(3), "wait_time", BigDecimal.valueOf(120)),
                    map(PARLEY.agent().chat(number).get("queue")).entrySet().stream()
                            .filter(e -> !e.getKey().equals("queued_at"))
                            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
            assertEquals(400, agentPost("chats/" + number + "/queue", "position", "0", "wait_time", "5").status());
            assertEquals(400, agentPost("chats/" + number + "/queue", "position", "two").status());

            assertEquals(200, agentPost("chats/" + number + "/seen").status());
            Map<String, Object> seen = map(rtm.push("events_marked_as_seen").get("payload"));
            assertEquals(chatId, seen.get("chat_id"));
            String agentId = (String) seen.get("user_id");
            assertTrue(agentId != null && !agentId.equals(map(rtm.ok("get_customer", Map.of())).get("id")),
                    "marked by the agent, not the customer");
            assertTrue(java.time.Instant.parse((String) seen.get("seen_up_to")) != null, "an RFC 3339 date-time");

            PARLEY.agent().join(number, "Ada");
            rtm.push("user_added_to_chat");
            assertTrue(!map(rtm.ok("get_chat", Map.of("chat_id", chatId)).get("thread")).containsKey("queue"),
                    "out of the queue once an agent has the chat");
            assertEquals(409, agentPost("chats/" + number + "/queue", "position", "1", "wait_time", "5").status());
        }
    }

    @Test
    void theConsoleOffersSeenAndQueueForAWaitingV3ChatAndItsFormsPushThem() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Console"));
            rtm.ok("start_chat", Map.of());
            int number = PARLEY.agent().awaitChatNumberOf("Console");
            String page = Http.get(PARLEY.server().uri("/emulator/agent/chats/" + number)).body();
            assertTrue(page.contains("id=\"mark-seen\"") && page.contains("id=\"queue-chat\"")
                    && page.contains("id=\"sneak-peek\""), page);

            Http.post(PARLEY.server().uri("/emulator/agent/chats/" + number + "/queue"),
                    Http.form("position", "5", "wait_time", "300"));
            assertEquals(BigDecimal.valueOf(5), map(map(rtm.push("queue_position_updated").get("payload")).get("queue"))
                    .get("position"));
            Http.post(PARLEY.server().uri("/emulator/agent/chats/" + number + "/seen"), Map.of());
            assertTrue(map(rtm.push("events_marked_as_seen").get("payload")).get("seen_up_to") instanceof String);
        }
    }

    @Test
    void anAgentLeavingIsPushed() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Left"));
            rtm.ok("start_chat", Map.of());
            int number = PARLEY.agent().awaitChatNumberOf("Left");
            PARLEY.agent().join(number, "Sam");
            String agentId = (String) map(map(rtm.push("user_added_to_chat").get("payload")).get("user")).get("id");
            assertEquals(200, agentPost("chats/" + number + "/leave").status());
            assertEquals(agentId, map(rtm.push("user_removed_from_chat").get("payload")).get("user_id"));
        }
    }

    @Test
    void anAgentGreetsACustomerBetweenChatsWhoAcceptsOrCancelsItAsDocumented() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Greeted"));
            String chatId = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            int number = PARLEY.agent().awaitChatNumberOf("Greeted");
            assertEquals(409, agentPost("chats/" + number + "/greeting", "text", "Hi").status(), "not while chatting");
            rtm.ok("deactivate_chat", Map.of("id", chatId));
            assertEquals(400, agentPost("chats/" + number + "/greeting").status(), "a greeting needs a text");

            Http.Answer sent = agentPost("chats/" + number + "/greeting", "text", "Can I help?");
            assertEquals(200, sent.status(), sent.body());
            assertEquals(true, sent.object().get("delivered"), "a socket of the customer's took it");
            // incoming_greeting: id, unique_id, displayed_first_time, subtype, is_exit_intent, event (a Message), agent
            Map<String, Object> greeting = map(rtm.push("incoming_greeting").get("payload"));
            assertTrue(greeting.get("id") instanceof BigDecimal, greeting.toString());
            String uniqueId = (String) greeting.get("unique_id");
            assertTrue(uniqueId.matches("[A-Z0-9]{10}"), uniqueId);
            assertEquals(true, greeting.get("displayed_first_time"));
            assertEquals("announcement", greeting.get("subtype"));
            assertEquals(false, greeting.get("is_exit_intent"));
            Map<String, Object> event = map(greeting.get("event"));
            assertEquals("message", event.get("type"));
            assertEquals("Can I help?", event.get("text"));
            Map<String, Object> agent = map(greeting.get("agent"));
            assertEquals(event.get("author_id"), agent.get("id"));
            assertTrue(agent.get("name") instanceof String && agent.containsKey("job_title") && agent.containsKey("avatar"));
            assertEquals(false, agent.get("is_bot"));
            assertEquals(Map.of("text", "Can I help?", "state", "sent"), PARLEY.agent().chat(number).get("greeting"));

            // accept_greeting: greeting_id and unique_id, no response payload, greeting_accepted pushed
            assertEquals("validation", map(map(rtm.request("accept_greeting", Map.of("unique_id", uniqueId))
                    .get("payload")).get("error")).get("type"), "greeting_id is required");
            assertEquals(Map.of(), rtm.ok("accept_greeting", Map.of("greeting_id", greeting.get("id"), "unique_id", uniqueId)));
            assertEquals(Map.of("unique_id", uniqueId), map(rtm.push("greeting_accepted").get("payload")));
            assertEquals("accepted", map(PARLEY.agent().chat(number).get("greeting")).get("state"));

            agentPost("chats/" + number + "/greeting", "text", "Still there?");
            String second = (String) map(rtm.push("incoming_greeting").get("payload")).get("unique_id");
            assertEquals(Map.of(), client.ok(token, "cancel_greeting", "{\"unique_id\":\"" + second + "\"}"));
            assertEquals(Map.of("unique_id", second), map(rtm.push("greeting_canceled").get("payload")));
            assertEquals(Map.of("text", "Still there?", "state", "canceled"), PARLEY.agent().chat(number).get("greeting"));
            assertEquals(404, client.call(token, "cancel_greeting", "{\"unique_id\":\"NOSUCHGREET\"}").status());
        }
    }

    @Test
    void theAgentSeesThePageTheCustomerIsOnFromTheLoginAndEachUpdate() throws Exception {
        String token = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), token)) {
            rtm.ok("update_customer", Map.of("name", "Browsing"));
            rtm.ok("start_chat", Map.of());
            int number = PARLEY.agent().awaitChatNumberOf("Browsing");
            assertEquals(Map.of("url", "https://example.com/", "title", "Example"),
                    PARLEY.agent().chat(number).get("customer_page"), "the login's customer_page");
            // update_customer_page: url (required), title (optional), no response payload
            assertEquals(Map.of(), rtm.ok("update_customer_page", Map.of("url", "https://example.com/shoes")));
            assertEquals(Map.of("url", "https://example.com/shoes"), PARLEY.agent().chat(number).get("customer_page"));
            rtm.ok("update_customer_page", Map.of("url", "https://example.com/boots", "title", "Boots"));
            assertEquals(Map.of("url", "https://example.com/boots", "title", "Boots"),
                    PARLEY.agent().chat(number).get("customer_page"));
            assertEquals("validation", map(map(rtm.request("update_customer_page", Map.of("title", "No address"))
                    .get("payload")).get("error")).get("type"));
        }
    }
}
