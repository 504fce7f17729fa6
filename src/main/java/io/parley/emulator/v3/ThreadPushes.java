package io.parley.emulator.v3;

import io.parley.emulator.AgentProfile;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedEvent;
import io.parley.emulator.ThreadObserver;
import java.util.LinkedHashMap;
import java.util.Map;

/** Pushes what happens in one thread's console chat to its customer (messaging/customer-chat-api/rtm-pushes). */
final class ThreadPushes implements ThreadObserver {

    private final V3Chat chat;
    private final V3Thread thread;
    private final Pushes pushes;

    ThreadPushes(V3Chat chat, V3Thread thread, Pushes pushes) {
        this.chat = chat;
        this.thread = thread;
        this.pushes = pushes;
    }

    @Override
    public void appended(EmulatedChat console, EmulatedEvent event) {
        String customer = chat.customer().id();
        if (event.agent() != null) {
            thread.queue(null); // an agent has the chat: out of the queue
            Map<String, Object> added = ids();
            added.put("user", V3Json.agentUser(event.agent(), true));
            added.put("reason", "manual");
            pushes.push(customer, "user_added_to_chat", added);
            return;
        }
        Map<String, Object> shown = V3Json.event(thread.id(), event, customer, console.agent(), console.closedBy());
        if (shown == null) {
            return;
        }
        Map<String, Object> incoming = ids();
        incoming.put("event", shown);
        pushes.push(customer, "incoming_event", incoming);
        if ("chat_closed".equals(event.type())) {
            Map<String, Object> deactivated = ids();
            EmulatedChat.ClosedBy by = console.closedBy();
            if (by == EmulatedChat.ClosedBy.VISITOR) {
                deactivated.put("user_id", customer);
            } else if (by == EmulatedChat.ClosedBy.AGENT) {
                // an agent closes a chat whether or not one had joined it: the console's person then
                AgentProfile agent = console.agent() != null ? console.agent() : AgentProfile.person(console.siteUrl());
                deactivated.put("user_id", V3Json.agentId(agent));
            } // closed by the router: no user_id, as documented
            pushes.push(customer, "chat_deactivated", deactivated);
        }
    }

    @Override
    public void typing(EmulatedChat console, boolean isTyping) {
        AgentProfile agent = console.agent() != null ? console.agent() : AgentProfile.person(console.siteUrl());
        Map<String, Object> indicator = new LinkedHashMap<>();
        indicator.put("author_id", V3Json.agentId(agent));
        indicator.put("recipients", "all");
        indicator.put("timestamp", System.currentTimeMillis() / 1000);
        indicator.put("is_typing", isTyping);
        Map<String, Object> payload = ids();
        payload.put("typing_indicator", indicator);
        pushes.push(chat.customer().id(), "incoming_typing_indicator", payload);
    }

    @Override
    public void seen(EmulatedChat console, java.time.Instant upTo) {
        AgentProfile agent = console.agent() != null ? console.agent() : AgentProfile.person(console.siteUrl());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("user_id", V3Json.agentId(agent));
        payload.put("chat_id", chat.id());
        payload.put("seen_up_to", V3Json.time(upTo));
        pushes.push(chat.customer().id(), "events_marked_as_seen", payload);
    }

    @Override
    public void queued(EmulatedChat console, int position, int waitSeconds) {
        Map<String, Object> place = new LinkedHashMap<>();
        place.put("position", position);
        place.put("wait_time", waitSeconds);
        Map<String, Object> kept = new LinkedHashMap<>(place);
        kept.put("queued_at", V3Json.time(java.time.Instant.now())); // when the agent queued it; the thread's clock is not at hand
        thread.queue(kept);
        Map<String, Object> payload = ids();
        payload.put("queue", place);
        pushes.push(chat.customer().id(), "queue_position_updated", payload);
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A greeting's {@code unique_id}, shaped like LiveChat's ({@code Q10O0N5B5D}). */
    private static String greetingId() {
        String characters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(characters.charAt(RANDOM.nextInt(characters.length())));
        }
        return id.toString();
    }

    /** The configured greeting the console's greetings stand for (the license's greeting id). */
    static final int CONSOLE_GREETING = 1;

    @Override
    public boolean greeted(EmulatedChat console, AgentProfile agent, String text) {
        Customer customer = chat.customer();
        String uniqueId = greetingId();
        java.time.Instant now = java.time.Instant.now();
        customer.greeted(new Customer.Greeting(CONSOLE_GREETING, uniqueId, text, "sent"));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("id", uniqueId + "_1");
        event.put("type", "message");
        event.put("text", text);
        event.put("author_id", V3Json.agentId(agent));
        event.put("created_at", V3Json.time(now));
        event.put("visibility", "all");
        Map<String, Object> from = new LinkedHashMap<>();
        from.put("name", agent.name());
        from.put("id", V3Json.agentId(agent));
        from.put("avatar", agent.avatar());
        from.put("job_title", agent.jobTitle());
        from.put("is_bot", false);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", CONSOLE_GREETING);
        payload.put("unique_id", uniqueId);
        payload.put("displayed_first_time", true);
        payload.put("subtype", "announcement");
        payload.put("is_exit_intent", false);
        payload.put("event", event);
        payload.put("agent", from);
        boolean online = pushes.online(customer.id());
        pushes.push(customer.id(), "incoming_greeting", payload);
        return online;
    }

    @Override
    public void agentLeft(EmulatedChat console, AgentProfile agent) {
        Map<String, Object> removed = ids();
        removed.put("user_id", V3Json.agentId(agent));
        removed.put("reason", "manual");
        pushes.push(chat.customer().id(), "user_removed_from_chat", removed);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("rtm_logged_in", pushes.online(chat.customer().id()));
        int index = chat.threads().indexOf(thread);
        facts.put("thread", index + 1);
        if (index > 0) {
            facts.put("previous_chat", chat.threads().get(index - 1).console().number());
        }
        Map<String, Object> properties = thread.properties();
        if (!properties.isEmpty()) {
            facts.put("thread_properties", properties);
        }
        java.time.Instant seen = chat.customer().eventsSeenUpTo();
        if (seen != null) {
            facts.put("customer_seen_up_to", V3Json.time(seen));
        }
        if (thread.leftOffline()) {
            facts.put("left_offline", true);
        }
        Customer.Page page = chat.customer().page();
        if (page != null) {
            Map<String, Object> shown = new LinkedHashMap<>();
            shown.put("url", page.url());
            if (page.title() != null) {
                shown.put("title", page.title());
            }
            facts.put("customer_page", shown);
        }
        Customer.Greeting greeting = chat.customer().greeting();
        if (greeting != null) {
            facts.put("greeting", Map.of("text", greeting.text(), "state", greeting.state()));
        }
        String peek = thread.sneakPeek();
        if (peek != null) {
            facts.put("sneak_peek", peek);
        }
        Map<String, Object> queue = thread.queue();
        if (queue != null) {
            facts.put("queue", queue);
        }
        return facts;
    }

    private Map<String, Object> ids() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("chat_id", chat.id());
        json.put("thread_id", thread.id());
        return json;
    }
}
