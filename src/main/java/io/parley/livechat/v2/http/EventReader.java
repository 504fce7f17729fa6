package io.parley.livechat.v2.http;

import io.parley.livechat.v2.UpstreamEvent;
import io.parley.livechat.v2.UserType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns one raw event of a {@code get_pending_messages} answer into a typed
 * {@link UpstreamEvent}. Unknown types, and known types lacking a field they need, become
 * {@link UpstreamEvent.Other} with their raw fields: an event is never dropped. Only an event
 * without a usable {@code message_id} is refused, since it could be neither ordered nor
 * deduplicated.
 */
final class EventReader {

    private static final Pattern TYPE_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private EventReader() {
    }

    static UpstreamEvent read(Object element, Instant receivedAt) throws MalformedAnswerException {
        if (!(element instanceof Map<?, ?> raw)) {
            throw new MalformedAnswerException("an event is not a JSON object");
        }
        long messageId = messageId(raw.get("message_id"));
        Instant timestamp = timestamp(raw.get("timestamp"), receivedAt);
        String type = raw.get("type") instanceof String s ? s : "";
        UserType from = UserType.of(raw.get("user_type") instanceof String s ? s : null);
        switch (type) {
            case "agent_details":
                if (raw.get("agent") instanceof Map<?, ?> agent && agent.get("name") instanceof String name) {
                    return new UpstreamEvent.AgentDetails(messageId, timestamp, name,
                            text(agent.get("job_title")), text(agent.get("avatar")));
                }
                break;
            case "message":
                if (raw.get("text") instanceof String text) {
                    return new UpstreamEvent.Message(messageId, timestamp, from, text);
                }
                break;
            case "chat_closed":
                return new UpstreamEvent.ChatClosed(messageId, timestamp, from);
            case "event":
                if ("closed".equals(raw.get("event_type"))) {
                    return new UpstreamEvent.ChatClosed(messageId, timestamp, from);
                }
                break;
            case "attachment":
                if (raw.get("url") instanceof String url) {
                    return new UpstreamEvent.Attachment(messageId, timestamp, from, url,
                            text(raw.get("name")), text(raw.get("content_type")));
                }
                break;
            default:
                break;
        }
        // A type is a name: anything else (empty, long, odd characters) is shown, stored and logged as unknown.
        return new UpstreamEvent.Other(messageId, timestamp, TYPE_NAME.matcher(type).matches() ? type : "unknown", from,
                fields(raw));
    }

    private static long messageId(Object value) throws MalformedAnswerException {
        try {
            if (value instanceof BigDecimal number) {
                long id = number.longValueExact();
                if (id >= 0) {
                    return id;
                }
            } else if (value instanceof String text && text.matches("\\d{1,18}")) {
                return Long.parseLong(text);
            }
        } catch (ArithmeticException e) {
            // not a whole number: refused below
        }
        throw new MalformedAnswerException("an event has no valid message_id");
    }

    private static Instant timestamp(Object value, Instant receivedAt) {
        if (value instanceof BigDecimal seconds && seconds.signum() > 0
                && seconds.compareTo(BigDecimal.valueOf(Instant.MAX.getEpochSecond())) < 0) {
            return Instant.ofEpochMilli(seconds.movePointRight(3).longValue());
        }
        return receivedAt;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    private static Map<String, Object> fields(Map<?, ?> raw) {
        Map<String, Object> fields = new LinkedHashMap<>();
        raw.forEach((key, value) -> {
            if (key != null && value != null) {
                fields.put(key.toString(), value);
            }
        });
        return fields;
    }
}
