package io.parley.emulator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One event of an emulated chat, shaped as {@code get_pending_messages} returns it.
 * {@code receivedAtMillis} is when the emulator took it in: shown to the agent API only, for
 * measuring how long a visitor's message takes to arrive.
 */
public record EmulatedEvent(long messageId, long timestamp, String type, String userType, String text,
        AgentProfile agent, long receivedAtMillis) {

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
