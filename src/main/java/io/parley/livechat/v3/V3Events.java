package io.parley.livechat.v3;

import io.parley.upstream.AgentCard;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
                return richMessage(event, time);
            case "system_message":
            case "filled_form":
            case "custom":
                return Optional.empty();
            default:
                return Optional.of(new ChatEvent.Notice(time, type));
        }
    }

    /** The most elements and buttons per element taken, as the data structures document allows (10 and 13). */
    static final int MAX_ELEMENTS = 10;
    static final int MAX_BUTTONS = 13;

    /**
     * A rich message with its template and elements (data structures, Rich message); its
     * {@code ref} is the event's id, which the caller makes whole with the thread's. Whatever
     * its template, the page shows at least its texts; one with nothing to show is left out.
     */
    private static Optional<ChatEvent> richMessage(Map<String, Object> event, Instant time) {
        List<ChatEvent.RichElement> elements = new ArrayList<>();
        for (Map<String, Object> element : Json.objects(event, "elements")) {
            if (elements.size() == MAX_ELEMENTS) {
                break;
            }
            List<ChatEvent.RichButton> buttons = new ArrayList<>();
            for (Map<String, Object> button : Json.objects(element, "buttons")) {
                if (buttons.size() == MAX_BUTTONS) {
                    break;
                }
                String text = Json.text(button, "text");
                if (text != null && !text.isBlank()) {
                    buttons.add(new ChatEvent.RichButton(text, Json.text(button, "type"), Json.text(button, "value"),
                            Json.text(button, "postback_id")));
                }
            }
            Map<String, Object> image = Json.object(element, "image");
            String imageUrl = image == null ? null : httpUrl(Json.text(image, "url"));
            ChatEvent.RichElement shown = new ChatEvent.RichElement(blankAsNull(Json.text(element, "title")),
                    blankAsNull(Json.text(element, "subtitle")), imageUrl,
                    image == null ? null : Json.text(image, "alternative_text"), buttons);
            if (shown.title() != null || shown.subtitle() != null || imageUrl != null || !buttons.isEmpty()) {
                elements.add(shown);
            }
        }
        if (elements.isEmpty()) {
            return Optional.empty();
        }
        String template = Json.text(event, "template_id");
        return Optional.of(new ChatEvent.RichMessage(time, Author.AGENT, template == null ? "unknown" : template,
                elements, Json.text(event, "id")));
    }

    private static String blankAsNull(String text) {
        return text == null || text.isBlank() ? null : text;
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
