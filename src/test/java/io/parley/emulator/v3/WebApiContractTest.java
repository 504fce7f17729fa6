package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Web API against its documentation, src/pages/messaging/customer-chat-api/index.mdx (v3.6),
 * and the data structures of src/pages/messaging/customer-chat-api/data-structures/index.mdx.
 */
class WebApiContractTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private static final String ISO_MICROS = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z";

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    private static String firstMessage(String text, String customId) {
        return "{\"chat\":{\"access\":{\"group_ids\":[0]},\"thread\":{\"events\":[{\"type\":\"message\",\"text\":\""
                + text + "\",\"recipients\":\"all\",\"custom_id\":\"" + customId + "\"}]}},\"continuous\":false}";
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    private static void assertError(Http.Answer answer, int status, String type) {
        assertEquals(status, answer.status(), answer.body());
        Map<String, Object> error = map(answer.object().get("error"));
        assertEquals(type, error.get("type"), answer.body());
        assertTrue(error.get("message") instanceof String message && !message.isBlank(), answer.body());
    }

    @Test
    void aWholeChatHasTheDocumentedShapes() throws Exception {
        String token = client.customerToken();
        // Start Chat: {chat_id, thread_id, event_ids}
        Map<String, Object> started = client.ok(token, "start_chat", firstMessage("Hello", "tab-1"));
        assertEquals(Set.of("chat_id", "thread_id", "event_ids"), started.keySet());
        String chatId = (String) started.get("chat_id");
        String threadId = (String) started.get("thread_id");
        assertTrue(chatId.matches("[A-Z0-9]{10}"), chatId);
        assertEquals(List.of(threadId + "_1"), started.get("event_ids"));

        // Send Event: {event_id}; custom_id echoed on the event
        Map<String, Object> sent = client.ok(token, "send_event", "{\"chat_id\":\"" + chatId
                + "\",\"event\":{\"type\":\"message\",\"text\":\"More\",\"recipients\":\"all\",\"custom_id\":\"tab-2\"}}");
        assertEquals(Set.of("event_id"), sent.keySet());
        String eventId = (String) sent.get("event_id");

        // the agent answers, from the agent API
        int number = PARLEY.agent().chats().stream().filter(chat -> "v3".equals(chat.get("api")))
                .map(chat -> ((BigDecimal) chat.get("id")).intValueExact()).findFirst().orElseThrow();
        assertEquals(200, PARLEY.agent().say(number, "Hi, I'm Sam").status());

        // Get Chat: {id, thread, users, access, properties}
        Map<String, Object> chat = client.ok(token, "get_chat", "{\"chat_id\":\"" + chatId + "\"}");
        assertEquals(Set.of("id", "thread", "users", "access", "properties"), chat.keySet());
        assertEquals(Map.of("group_ids", List.of(BigDecimal.ZERO)), chat.get("access"));
        Map<String, Object> thread = map(chat.get("thread"));
        assertEquals(threadId, thread.get("id"));
        assertEquals(true, thread.get("active"));
        assertTrue(((String) thread.get("created_at")).matches(ISO_MICROS), thread.toString());
        List<Map<String, Object>> events = list(thread.get("events"));
        assertEquals(3, events.size(), events.toString());
        Map<String, Object> first = events.get(0);
        assertEquals(Set.of("id", "custom_id", "created_at", "type", "text", "author_id", "recipients"), first.keySet());
        assertEquals("tab-1", first.get("custom_id"));
        assertEquals(eventId, events.get(1).get("id"));
        assertEquals("tab-2", events.get(1).get("custom_id"));
        assertTrue(((String) first.get("created_at")).matches(ISO_MICROS), first.toString());
        Map<String, Object> reply = events.get(2);
        assertEquals("Hi, I'm Sam", reply.get("text"));
        List<Map<String, Object>> users = list(chat.get("users"));
        String customerId = (String) client.ok(token, "get_customer", "{}").get("id");
        assertEquals(customerId, first.get("author_id"));
        assertEquals(customerId, users.get(0).get("id"));
        assertEquals("customer", users.get(0).get("type"));
        Map<String, Object> agent = users.get(1);
        assertEquals(Set.of("id", "type", "name", "avatar", "job_title", "present"), agent.keySet());
        assertEquals("agent", agent.get("type"));
        assertEquals("Sam", agent.get("name"));
        assertEquals(true, agent.get("present"));
        assertEquals(agent.get("id"), reply.get("author_id"));

        // Deactivate Chat: no payload; then the chat is inactive
        assertEquals(Map.of(), client.ok(token, "deactivate_chat", "{\"id\":\"" + chatId + "\"}"));
        assertError(client.call(token, "send_event", "{\"chat_id\":\"" + chatId
                + "\",\"event\":{\"type\":\"message\",\"text\":\"Late\"}}"), 400, "chat_inactive");
        assertError(client.call(token, "deactivate_chat", "{\"id\":\"" + chatId + "\"}"), 400, "chat_inactive");
        // attach_to_last_thread adds to the inactive chat's last thread (ids go on past the agent joining, _3)
        assertEquals(threadId + "_6", client.ok(token, "send_event", "{\"chat_id\":\"" + chatId
                + "\",\"attach_to_last_thread\":true,\"event\":{\"type\":\"message\",\"text\":\"PS\"}}").get("event_id"));

        // Resume Chat: {thread_id}, a new thread in the same chat; the first stays readable
        Map<String, Object> resumed = client.ok(token, "resume_chat", "{\"chat\":{\"id\":\"" + chatId
                + "\",\"thread\":{\"events\":[{\"type\":\"message\",\"text\":\"Back\",\"custom_id\":\"tab-3\"}]}}}");
        String second = (String) resumed.get("thread_id");
        assertFalse(second.equals(threadId));
        assertEquals(List.of(second + "_1"), resumed.get("event_ids"));
        Map<String, Object> old = client.ok(token, "get_chat", "{\"chat_id\":\"" + chatId + "\",\"thread_id\":\""
                + threadId + "\"}");
        Map<String, Object> oldThread = map(old.get("thread"));
        assertEquals(false, oldThread.get("active"));
        assertEquals(second, oldThread.get("next_thread_id"));
        assertEquals("system_message", list(oldThread.get("events")).get(3).get("type"));
        assertEquals("PS", list(oldThread.get("events")).get(4).get("text"));

        // List Threads: {threads, found_threads}, newest first, three by default
        Map<String, Object> threads = client.ok(token, "list_threads", "{\"chat_id\":\"" + chatId + "\"}");
        assertEquals(new BigDecimal(2), threads.get("found_threads"));
        assertEquals(second, list(threads.get("threads")).get(0).get("id"));
        assertEquals(threadId, list(threads.get("threads")).get(0).get("previous_thread_id"));

        // List Chats: summaries
        Map<String, Object> chats = client.ok(token, "list_chats", "{}");
        assertEquals(BigDecimal.ONE, chats.get("total_chats"));
        Map<String, Object> summary = list(chats.get("chats_summary")).get(0);
        assertEquals(chatId, summary.get("id"));
        assertEquals(second, summary.get("last_thread_id"));
        assertEquals(true, summary.get("active"));
        assertTrue(map(summary.get("last_event_per_type")).containsKey("message"));
    }

    @Test
    void listThreadsPagesWithPageIds() throws Exception {
        String token = client.customerToken();
        String chatId = (String) client.ok(token, "start_chat", firstMessage("One", "p-1")).get("chat_id");
        for (int i = 0; i < 3; i++) {
            client.ok(token, "deactivate_chat", "{\"id\":\"" + chatId + "\"}");
            client.ok(token, "resume_chat", "{\"chat\":{\"id\":\"" + chatId + "\"}}");
        }
        Map<String, Object> first = client.ok(token, "list_threads", "{\"chat_id\":\"" + chatId
                + "\",\"limit\":3,\"sort_order\":\"asc\"}");
        assertEquals(3, list(first.get("threads")).size());
        assertEquals(new BigDecimal(4), first.get("found_threads"));
        String next = (String) first.get("next_page_id");
        Map<String, Object> second = client.ok(token, "list_threads", "{\"chat_id\":\"" + chatId + "\",\"page_id\":\""
                + next + "\"}");
        assertEquals(1, list(second.get("threads")).size());
        assertEquals(true, list(second.get("threads")).get(0).get("active"));
        assertTrue(second.containsKey("previous_page_id"));
        assertFalse(second.containsKey("next_page_id"));
        assertError(client.call(token, "list_threads", "{\"chat_id\":\"" + chatId + "\",\"page_id\":\"" + next
                + "\",\"limit\":2}"), 400, "validation");
    }

    @Test
    void aThreadsRatingIsUpdatedAndDeletedAsThreadPropertiesAndTheAgentSeesIt() throws Exception {
        String token = client.customerToken();
        client.ok(token, "update_customer", "{\"name\":\"Rater\"}");
        Map<String, Object> started = client.ok(token, "start_chat", firstMessage("Rate me", "r-1"));
        String ids = "\"chat_id\":\"" + started.get("chat_id") + "\",\"thread_id\":\"" + started.get("thread_id") + "\"";
        client.ok(token, "deactivate_chat", "{\"id\":\"" + started.get("chat_id") + "\"}");
        assertEquals(Map.of(), client.ok(token, "update_thread_properties",
                "{" + ids + ",\"properties\":{\"rating\":{\"score\":1,\"comment\":\"Kind\"}}}"));
        Map<String, Object> rated = ratedChat(started);
        assertEquals(Map.of("score", BigDecimal.ONE, "comment", "Kind"), map(map(rated.get("thread_properties")).get("rating")));

        assertEquals(Map.of(), client.ok(token, "delete_thread_properties",
                "{" + ids + ",\"properties\":{\"rating\":[\"comment\"]}}"));
        assertEquals(Map.of("score", BigDecimal.ONE), map(map(ratedChat(started).get("thread_properties")).get("rating")));
        client.ok(token, "delete_thread_properties", "{" + ids + ",\"properties\":{\"rating\":[\"score\"]}}");
        assertFalse(ratedChat(started).containsKey("thread_properties"), "nothing left of the rating");
        assertError(client.call(token, "delete_thread_properties", "{" + ids + ",\"properties\":{\"rating\":\"score\"}}"),
                400, "validation");
    }

    /** The agent's view of the chat started with this answer. */
    private static Map<String, Object> ratedChat(Map<String, Object> started) throws Exception {
        assertTrue(started.containsKey("chat_id"));
        return PARLEY.agent().chats().stream().filter(chat -> "Rater".equals(chat.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("the agent does not see the chat"));
    }

    @Test
    void errorsHaveTheDocumentedFormat() throws Exception {
        String token = client.customerToken();
        assertError(client.call("dal:not-a-token", "list_chats", "{}"), 401, "authentication");
        assertError(CustomerClient.json(client.uri("/v3.6/customer/action/list_chats?organization_id="
                + DemoAccount.ORGANIZATION_ID), "{}"), 401, "authentication");
        assertError(client.call(token, "get_chat", "{\"chat_id\":\"NOSUCHCHAT\"}"), 404, "not_found");
        assertError(client.call(token, "get_chat", "{}"), 400, "validation");
        assertError(client.call(token, "send_event", "not json"), 400, "validation");
        // another customer's chat is not found, as if it did not exist
        String chatId = (String) client.ok(token, "start_chat", firstMessage("Mine", "x-1")).get("chat_id");
        assertError(client.call(client.customerToken(), "get_chat", "{\"chat_id\":\"" + chatId + "\"}"), 404, "not_found");
    }

    @Test
    void v35IsServedForTheSdk() throws Exception {
        String token = client.customerToken();
        Http.Answer answer = CustomerClient.json(client.uri("/v3.5/customer/action/list_chats?organization_id="
                + DemoAccount.ORGANIZATION_ID), "{}", "Authorization", "Bearer " + token);
        assertEquals(200, answer.status(), answer.body());
        assertEquals(BigDecimal.ZERO, answer.object().get("total_chats"));
    }

    @Test
    void aContinuousChatStartsWhileItsGroupIsOfflineAndWaitsForAPersonNotTheDemoAgent() throws Exception {
        String token = client.customerToken();
        assertEquals(200, PARLEY.agent().groupStatus(6, "offline").status());
        try {
            String offlineStart = "{\"chat\":{\"access\":{\"group_ids\":[6]},\"thread\":{\"events\":[{\"type\":"
                    + "\"message\",\"text\":\"Call me\",\"recipients\":\"all\",\"custom_id\":\"o1\"}]}}";
            assertError(client.call(token, "start_chat", offlineStart + ",\"continuous\":false}"), 400, "groups_offline");
            Map<String, Object> statuses = client.ok(token, "list_group_statuses", "{\"all\":true}");
            assertEquals("offline", map(statuses.get("groups_status")).get("6"));

            Map<String, Object> started = client.ok(token, "start_chat", offlineStart + ",\"continuous\":true}");
            assertTrue(started.get("chat_id") instanceof String, started.toString());
            Map<String, Object> chat = PARLEY.agent().chats().stream()
                    .filter(summary -> Boolean.TRUE.equals(summary.get("left_offline"))).findFirst().orElseThrow();
            assertEquals(BigDecimal.valueOf(6), chat.get("group"));
            assertEquals("waiting", chat.get("state"), "kept for an agent to answer");
        } finally {
            PARLEY.agent().groupStatus(6, "online");
        }
    }
}
