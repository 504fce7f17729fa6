package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedEvent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.SampleFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an agent shares beyond text, from the console and the agent API: a sample image as a
 * {@code file} event, and {@code rich_message} events shaped as the data structures document
 * defines them (a template, elements with a title, a subtitle, an image and buttons).
 */
final class AgentShares {

    private static final int MAX_BUTTONS = 13;

    private AgentShares() {
    }

    /** Shares the sample image, kept in the emulator's file store like an upload. */
    static EmulatedEvent image(EmulatedUpstream upstream, EmulatedChat chat) {
        byte[] bytes = SampleFiles.image();
        String id = upstream.files().put("sample.png", "image/png", bytes);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("url", chat.siteUrl() + "/emulator/files/" + id + "/sample.png");
        fields.put("name", "sample.png");
        fields.put("content_type", "image/png");
        fields.put("size", bytes.length);
        fields.put("width", 320);
        fields.put("height", 200);
        fields.put("alternative_text", "A sample picture");
        return upstream.shareAsPerson(chat.number(), "file", fields);
    }

    /**
     * A rich message: {@code template} ({@code cards} by default), one element of {@code title}
     * and {@code subtitle}, a button per comma-separated text of {@code buttons} (postback ids
     * {@code button_1}, ...), a URL button when {@code url} is given, and the sample image with {@code image}.
     */
    static EmulatedEvent rich(EmulatedUpstream upstream, EmulatedChat chat, String template, String title,
            String subtitle, String buttons, String url, boolean image) {
        String chosen = template == null || template.isBlank() ? "cards" : template.strip();
        if (!chosen.matches("[a-z_]{1,40}")) {
            throw ApiError.invalid("template", "must be 1 to 40 lower-case letters or _");
        }
        List<Map<String, Object>> shown = new ArrayList<>();
        if (buttons != null) {
            for (String text : buttons.split(",")) {
                if (!text.isBlank() && shown.size() < MAX_BUTTONS) {
                    Map<String, Object> button = new LinkedHashMap<>();
                    button.put("text", text.strip());
                    button.put("type", "message");
                    button.put("value", text.strip());
                    button.put("postback_id", "button_" + (shown.size() + 1));
                    button.put("user_ids", List.of());
                    shown.add(button);
                }
            }
        }
        if (url != null && !url.isBlank()) {
            Map<String, Object> button = new LinkedHashMap<>();
            button.put("text", "Open link");
            button.put("type", "url");
            button.put("value", url.strip());
            button.put("target", "new");
            button.put("postback_id", "open_link");
            button.put("user_ids", List.of());
            shown.add(button);
        }
        Map<String, Object> element = new LinkedHashMap<>();
        element.put("title", title == null ? "" : title);
        if (subtitle != null) {
            element.put("subtitle", subtitle);
        }
        if (image) {
            String id = upstream.files().put("card.png", "image/png", SampleFiles.image());
            element.put("image", Map.of("url", chat.siteUrl() + "/emulator/files/" + id + "/card.png",
                    "name", "card.png", "content_type", "image/png", "alternative_text", "A sample picture"));
        }
        element.put("buttons", shown);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("template_id", chosen);
        fields.put("elements", List.of(element));
        return upstream.shareAsPerson(chat.number(), "rich_message", fields);
    }
}
