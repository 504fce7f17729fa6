package io.parley.livechat.v3;

import io.parley.upstream.AgentCard;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Customer Chat API events and users as the relay's {@link ChatEvent}s. What the relay cannot use
 * is left out ({@code system_message}: LiveChat's routing notes; forms); a type unknown here
 * becomes a notice rather than being lost, and a field of the wrong shape never fails the chat.
 */
final class V3Events {

    private V3Events() {
    }

    /**
     * What an agent's (or a bot's) event means to the tabs; empty for what is not shown. The
     * customer's own events are the caller's to handle.
     */
    static Optional<ChatEvent> fromAgent(Map<String, Object> event, Instant fallbackTime) {
        String type = Json.text(event, "type");
        Instant time = Optional.ofNullable(Json.time(event, "created_at")).orElse(fallbackTime);
        if (type == null) {
            return Optional.empty();
        }
        switch (type) {
            case "message": {
                String text = Json.text(event, "text");
                return text == null ? Optional.empty() : Optional.of(new ChatEvent.Message(time, Author.AGENT, text));
            }
            case "file":
                return Optional.of(new ChatEvent.File(time, Author.AGENT, httpUrl(Json.text(event, "url")),
                        Json.text(event, "name"), Json.text(event, "content_type")));
            case "rich_message":
                return richMessageText(event).map(text -> new ChatEvent.Message(time, Author.AGENT, text));
            case "system_message":
            case "filled_form":
            case "custom":
                return Optional.empty();
            default:
                return Optional.of(new ChatEvent.Notice(time, type));
        }
    }

    /** A rich message as text, until the chat page renders its templates: its elements' titles and subtitles. */
    private static Optional<String> richMessageText(Map<String, Object> event) {
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> element : Json.objects(event, "elements")) {
            for (String field : new String[] {"title", "subtitle"}) {
                String part = Json.text(element, field);
                if (part != null && !part.isBlank()) {
                    text.append(text.length() == 0 ? "" : "\n").append(part);
                }
            }
        }
        return text.length() == 0 ? Optional.empty() : Optional.of(text.toString());
    }

    /** Whether a user object is an agent (or a bot acting as one). */
    static boolean isAgent(Map<String, Object> user) {
        String type = Json.text(user, "type");
        return "agent".equals(type) || "bot".equals(type);
    }

    static AgentCard card(Map<String, Object> user) {
        return new AgentCard(Json.text(user, "name"), Json.text(user, "job_title"), httpUrl(Json.text(user, "avatar")));
    }

    /**
     * An http(s) URL, or null. LiveChat gives avatars without a scheme
     * ({@code cdn.livechatinc.com/...}): those are https.
     */
    static String httpUrl(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("https://") || lower.startsWith("http://")) {
            return url;
        }
        if (lower.startsWith("//")) {
            return "https:" + url;
        }
        return lower.contains(":") ? null : "https://" + url;
    }
}
