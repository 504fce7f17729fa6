package io.parley.emulator.web;

import io.parley.emulator.AgentProfile;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Chats as the agent API shows them: by console number, never by upstream id. */
final class ChatJson {

    private ChatJson() {
    }

    static Map<String, Object> summary(EmulatedChat chat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", chat.number());
        json.put("api", chat.api());
        json.put("name", chat.visitorName());
        if (chat.email() != null) {
            json.put("email", chat.email());
        }
        if (chat.group() != null) {
            json.put("group", chat.group());
        }
        json.put("state", chat.state().label());
        if (chat.closedBy() != null) {
            json.put("closed_by", chat.closedBy().name().toLowerCase(Locale.ROOT));
        }
        json.put("demo_agent", chat.demoAgentActive());
        json.put("polls", chat.polls());
        json.put("orphaned", chat.orphaned());
        json.put("longest_poll_gap_ms", chat.longestPollGapMillis());
        json.put("started_at", chat.startedAt().toString());
        json.put("welcome_message", chat.welcomeMessage());
        AgentProfile agent = chat.agent();
        if (agent != null) {
            json.put("agent", agent.name());
        }
        json.putAll(chat.v3Facts());
        return json;
    }

    static Map<String, Object> detail(EmulatedChat chat) {
        Map<String, Object> json = summary(chat);
        List<Map<String, Object>> events = new ArrayList<>();
        for (EmulatedEvent event : chat.events()) {
            Map<String, Object> shown = event.toJson();
            shown.put("received_ms", event.receivedAtMillis());
            if (event.customId() != null) {
                shown.put("custom_id", event.customId());
            }
            if (!event.fields().isEmpty()) {
                shown.put("fields", event.fields());
            }
            events.add(shown);
        }
        json.put("events", events);
        List<Map<String, Object>> postbacks = new ArrayList<>();
        for (EmulatedChat.Postback postback : chat.postbacks()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("message_id", postback.messageId());
            shown.put("postback_id", postback.postbackId());
            shown.put("toggled", postback.toggled());
            postbacks.add(shown);
        }
        json.put("postbacks", postbacks);
        return json;
    }
}
