package io.parley.emulator;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of an emulated chat, shaped as {@code get_pending_messages} returns it.
 * {@code receivedAtMillis} is when the emulator took it in: shown to the agent API only, for
 * measuring how long a visitor's message takes to arrive. {@code createdAt} (to the microsecond),
 * {@code customId} and {@code fields} are what the Customer Chat API v3 shows besides: the
 * client's own id of the event, and the fields of event types other than messages
 * ({@code url}, {@code content}, ...); empty for v2 chats.
 */
public record EmulatedEvent(long messageId, long timestamp, String type, String userType, String text,
        AgentProfile agent, long receivedAtMillis, Instant createdAt, String customId, Map<String, Object> fields) {

    public EmulatedEvent {
        fields = fields == null ? Map.of() : Map.copyOf(fields);
    }

    /** The event's JSON fields, in the order the upstream documents them. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        if (agent != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("avatar", agent.avatar());
            details.put("job_title", agent.jobTitle());
            details.put("name", agent.name());
            json.put("agent", details);
        }
        json.put("message_id", messageId);
        if (text != null) {
            json.put("text", text);
        }
        json.put("timestamp", timestamp);
        json.put("type", type);
        json.put("user_type", userType);
        return json;
    }
}
