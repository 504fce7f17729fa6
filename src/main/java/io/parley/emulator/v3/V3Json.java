package io.parley.emulator.v3;

import io.parley.emulator.AgentProfile;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented data structures (messaging/customer-chat-api/data-structures): events, users,
 * threads and chats, built from the console's chats. Event ids are {@code <thread id>_<n>}, times
 * ISO-8601 in UTC to the microsecond.
 */
public final class V3Json {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private V3Json() {
    }

    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    /** An agent's id, stable for a name: 32 hex digits, as LiveChat's look. */
    public static String agentId(AgentProfile agent) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(agent.name().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Map<String, Object> agentUser(AgentProfile agent, boolean present) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", agentId(agent));
        json.put("type", "agent");
        json.put("name", agent.name());
        json.put("avatar", agent.avatar());
        json.put("job_title", agent.jobTitle());
        json.put("present", present);
        return json;
    }

    /**
     * A console event as the customer sees it, or null for what v3 shows as no event (an agent
     * joining is a {@code user_added_to_chat} push and a user of the chat).
     *
     * @param author the agent the chat had when the event was added, for agents' events
     */
    public static Map<String, Object> event(String threadId, EmulatedEvent event, String customerId,
            AgentProfile author, EmulatedChat.ClosedBy closedBy) {
        if ("agent_details".equals(event.type())) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", threadId + "_" + event.messageId());
        if (event.customId() != null) {
            json.put("custom_id", event.customId());
        }
        json.put("created_at", time(event.createdAt()));
        if ("chat_closed".equals(event.type())) {
            EmulatedChat.ClosedBy by = closedBy == null ? EmulatedChat.ClosedBy.AGENT : closedBy;
            json.put("type", "system_message");
            json.put("text", switch (by) {
                case VISITOR -> "Customer closed the chat";
                case AGENT -> "Agent closed the chat";
                case TIMEOUT -> "The chat was closed because the customer was inactive";
            });
            json.put("system_message_type", switch (by) {
                case VISITOR -> "manual_archived_customer";
                case AGENT -> "manual_archived_agent";
                case TIMEOUT -> "routing.archived_inactive";
            });
            json.put("recipients", "all");
            return json;
        }
        json.put("type", event.type());
        if (event.text() != null) {
            json.put("text", event.text());
        }
        json.putAll(event.fields());
        if ("visitor".equals(event.userType())) {
            json.put("author_id", customerId);
        } else if (author != null) {
            json.put("author_id", agentId(author));
        }
        json.put("recipients", "all");
        return json;
    }

    /** A thread with its events, as get_chat, list_threads and incoming_chat show it. */
    public static Map<String, Object> thread(V3Chat chat, V3Thread thread) {
        EmulatedChat console = thread.console();
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> userIds = new ArrayList<>();
        userIds.add(chat.customer().id());
        AgentProfile agent = null;
        for (EmulatedEvent event : console.events()) {
            if (event.agent() != null) {
                agent = event.agent();
                String id = agentId(agent);
                if (!userIds.contains(id)) {
                    userIds.add(id);
                }
            }
            Map<String, Object> shown = event(thread.id(), event, chat.customer().id(), agent, console.closedBy());
            if (shown != null) {
                events.add(shown);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", thread.id());
        json.put("created_at", time(thread.createdAt()));
        json.put("active", thread.active());
        json.put("user_ids", userIds);
        json.put("events", events);
        json.put("properties", thread.properties());
        json.put("access", access(chat));
        Map<String, Object> queue = thread.queue();
        if (queue != null && thread.active()) {
            json.put("queue", queue); // "present only if the chat is in the queue"
        }
        String previous = chat.neighbour(thread, -1);
        if (previous != null) {
            json.put("previous_thread_id", previous);
        }
        String next = chat.neighbour(thread, 1);
        if (next != null) {
            json.put("next_thread_id", next);
        }
        return json;
    }

    /** The chat's users: its customer and every agent who joined one of its threads. */
    public static List<Map<String, Object>> users(V3Chat chat) {
        Map<String, Map<String, Object>> users = new LinkedHashMap<>();
        users.put(chat.customer().id(), chat.customer().asUser(true));
        List<V3Thread> threads = chat.threads();
        AgentProfile current = threads.isEmpty() ? null : threads.get(threads.size() - 1).console().agent();
        for (V3Thread thread : threads) {
            for (EmulatedEvent event : thread.console().events()) {
                if (event.agent() != null) {
                    users.put(agentId(event.agent()), agentUser(event.agent(),
                            current != null && agentId(current).equals(agentId(event.agent()))));
                }
            }
        }
        return new ArrayList<>(users.values());
    }

    public static Map<String, Object> access(V3Chat chat) {
        return Map.of("group_ids", List.of(chat.group()));
    }

    /** {@code get_chat}'s answer: the chat with one thread. */
    public static Map<String, Object> chat(V3Chat chat, V3Thread thread) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", chat.id());
        if (thread != null) {
            json.put("thread", thread(chat, thread));
        }
        json.put("users", users(chat));
        json.put("access", access(chat));
        json.put("properties", chat.properties());
        return json;
    }
}
