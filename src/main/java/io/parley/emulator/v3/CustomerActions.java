package io.parley.emulator.v3;

import io.parley.emulator.AgentProfile;
import io.parley.emulator.EmulatedEvent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.UploadedFiles;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The actions of the Customer Chat API, the same over the Web API and RTM
 * (messaging/customer-chat-api/index.mdx and rtm-reference): what each checks, does and answers.
 * Paging ({@code list_threads}, {@code list_chats}) is in {@link Paging}.
 */
public final class CustomerActions {

    /** The event types a customer may send. */
    private static final Set<String> CUSTOMER_EVENTS = Set.of("message", "file", "filled_form", "custom",
            "rich_message", "system_message");

    private final CustomerChats chats;
    private final Groups groups;
    private final Pushes pushes;

    public CustomerActions(CustomerChats chats, Groups groups, Pushes pushes) {
        this.chats = chats;
        this.groups = groups;
        this.pushes = pushes;
    }

    /** Whether the action is one this emulator serves (login and ping are RTM's own). */
    public static boolean known(String action) {
        return switch (action) {
            case "start_chat", "resume_chat", "send_event", "get_chat", "list_threads", "list_chats",
                    "deactivate_chat", "get_customer", "update_customer", "set_customer_session_fields",
                    "update_customer_page", "list_group_statuses", "send_sneak_peek", "mark_events_as_seen",
                    "update_thread_properties", "update_chat_properties", "get_form", "get_predicted_agent",
                    "upload_file", "send_rich_message_postback",
                    "delete_thread_properties", "accept_greeting", "cancel_greeting" -> true;
            default -> false;
        };
    }

    /** Runs the action for the customer; the answer's payload ({@code {}} for "no response payload"). */
    public Map<String, Object> run(String action, Customer customer, Payload payload, String siteUrl) {
        return switch (action) {
            case "start_chat" -> startChat(customer, payload, siteUrl);
            case "resume_chat" -> resumeChat(customer, payload, siteUrl);
            case "send_event" -> sendEvent(customer, payload);
            case "get_chat" -> getChat(customer, payload);
            case "list_threads" -> Paging.listThreads(chats.chat(customer, payload.string("chat_id")), payload);
            case "list_chats" -> Paging.listChats(chats.chatsOf(customer), payload);
            case "deactivate_chat" -> deactivate(customer, payload);
            case "get_customer" -> chats.customerWithStatistics(customer);
            case "update_customer" -> updateCustomer(customer, payload);
            case "set_customer_session_fields" -> {
                customer.update(null, null, null, sessionFields(payload, true));
                yield Map.of();
            }
            case "update_customer_page" -> {
                customer.viewedPage(payload.string("url"), payload.optionalString("title"));
                yield Map.of();
            }
            case "list_group_statuses" -> groupStatuses(payload);
            case "send_sneak_peek" -> {
                V3Thread thread = CustomerChats.activeThread(chats.chat(customer, payload.string("chat_id")));
                thread.sneakPeek(payload.string("sneak_peek_text"));
                yield Map.of();
            }
            case "mark_events_as_seen" -> markSeen(customer, payload);
            case "update_thread_properties" -> updateThreadProperties(customer, payload);
            case "delete_thread_properties" -> deleteThreadProperties(customer, payload);
            case "accept_greeting" -> answerGreeting(customer, payload, true);
            case "cancel_greeting" -> answerGreeting(customer, payload, false);
            case "update_chat_properties" -> updateChatProperties(customer, payload);
            case "get_form" -> {
                payload.string("type");
                yield Map.of("enabled", false);
            }
            case "get_predicted_agent" -> predictedAgent(payload, siteUrl);
            case "send_rich_message_postback" -> postback(customer, payload);
            default -> throw V3Error.validation("Unknown action " + action);
        };
    }

    private Map<String, Object> startChat(Customer customer, Payload payload, String siteUrl) {
        Payload chat = payload.optionalObject("chat");
        Payload thread = chat == null ? null : chat.optionalObject("thread");
        int group = group(chat, DemoAccount.DEFAULT_GROUP);
        List<Payload> events = events(thread);
        checkMayStart(customer, group, payload.bool("continuous", false));
        boolean offline = !groups.accepting(group);
        V3Chat created = chats.create(customer, group);
        if (chat != null && chat.has("properties")) {
            created.updateProperties(chat.properties("properties"));
        }
        V3Thread opened;
        List<String> eventIds;
        synchronized (created) {
            opened = chats.open(created, siteUrl);
            opened.leftOffline(offline);
            eventIds = addFirstEvents(opened, events, thread);
            chats.observe(created, opened);
        }
        announce(created, opened);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("chat_id", created.id());
        answer.put("thread_id", opened.id());
        if (!eventIds.isEmpty()) {
            answer.put("event_ids", eventIds);
        }
        return answer;
    }

    private Map<String, Object> resumeChat(Customer customer, Payload payload, String siteUrl) {
        Payload chat = payload.object("chat");
        V3Chat existing = chats.chat(customer, chat.string("id"));
        Payload thread = chat.optionalObject("thread");
        List<Payload> events = events(thread);
        V3Thread opened;
        List<String> eventIds;
        boolean offline;
        synchronized (existing) {
            if (existing.active().isPresent()) {
                throw V3Error.validation("Chat is already active");
            }
            int group = group(chat, existing.group());
            checkMayStart(customer, group, payload.bool("continuous", false));
            offline = !groups.accepting(group);
            existing.group(group);
            if (chat.has("properties")) {
                existing.updateProperties(chat.properties("properties"));
            }
            opened = chats.open(existing, siteUrl);
            opened.leftOffline(offline);
            eventIds = addFirstEvents(opened, events, thread);
            chats.observe(existing, opened);
        }
        announce(existing, opened);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("thread_id", opened.id());
        if (!eventIds.isEmpty()) {
            answer.put("event_ids", eventIds);
        }
        return answer;
    }

    private void checkMayStart(Customer customer, int group, boolean continuous) {
        if (chats.upstream().banned(customer.id())) {
            throw V3Error.customerBanned();
        }
        if (groups.status(group) == null) {
            throw new V3Error(404, "group_not_found", "Group not found");
        }
        if (!continuous && !groups.accepting(group)) {
            throw V3Error.groupsOffline();
        }
    }

    private List<String> addFirstEvents(V3Thread thread, List<Payload> events, Payload threadPayload) {
        if (threadPayload != null && threadPayload.has("properties")) {
            thread.updateProperties(threadPayload.properties("properties"));
        }
        List<String> ids = new ArrayList<>();
        for (Payload event : events) {
            EmulatedEvent added = add(thread, event, false, false);
            ids.add(thread.id() + "_" + added.messageId());
        }
        return ids;
    }

    /** Pushes {@code incoming_chat} and hands the thread to the demo agent. */
    private void announce(V3Chat chat, V3Thread thread) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", chat.id());
        shown.put("users", V3Json.users(chat));
        shown.put("properties", chat.properties());
        shown.put("access", V3Json.access(chat));
        shown.put("thread", V3Json.thread(chat, thread));
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("requester_id", chat.customer().id());
        push.put("chat", shown);
        pushes.push(chat.customer().id(), "incoming_chat", push);
        if (thread.leftOffline()) {
            return; // a continuous chat while nobody is online waits for an agent: the demo agent is not there
        }
        chats.upstream().announce(thread.console());
        if (thread.console().events().stream().anyMatch(event -> "message".equals(event.type()))) {
            // the demo agent greets first, then answers what was asked
            chats.upstream().told(thread.console());
        }
    }

    private Map<String, Object> sendEvent(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        Payload event = payload.object("event");
        boolean attach = payload.bool("attach_to_last_thread", false);
        V3Thread thread = attach && chat.active().isEmpty()
                ? chat.last().orElseThrow(V3Error::chatInactive) : CustomerChats.activeThread(chat);
        EmulatedEvent added = add(thread, event, true, attach);
        return Map.of("event_id", thread.id() + "_" + added.messageId());
    }

    private EmulatedEvent add(V3Thread thread, Payload event, boolean tellListeners, boolean evenIfClosed) {
        String type = event.string("type");
        if (!CUSTOMER_EVENTS.contains(type)) {
            throw V3Error.validation("`event.type` must be one of " + CUSTOMER_EVENTS);
        }
        String text = "message".equals(type) ? event.string("text") : event.optionalString("text");
        String customId = event.optionalString("custom_id");
        String recipients = event.optionalString("recipients");
        if (recipients != null && !Set.of("all", "agents").contains(recipients)) {
            throw V3Error.validation("`event.recipients` must be all or agents");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : List.of("url", "content", "fields", "form_id", "elements", "template_id", "properties",
                "postback")) {
            if (event.has(name)) {
                fields.put(name, event.raw().get(name));
            }
        }
        if ("file".equals(type)) {
            // a file event shares an upload_file URL; the service fills in what it knows of the file
            UploadedFiles.Stored file = chats.upstream().files().byUrl(event.optionalString("url"))
                    .orElseThrow(() -> V3Error.validation("`event.url` must be a URL upload_file returned"));
            fields.put("name", file.name());
            fields.put("content_type", file.contentType());
            fields.put("size", file.bytes().length);
        }
        EmulatedUpstream upstream = chats.upstream();
        return CustomerChats.onConsole(() ->
                upstream.addCustomerEvent(thread.console(), type, text, customId, fields, tellListeners, evenIfClosed));
    }

    /**
     * {@code send_rich_message_postback}: the customer chose a button of a rich message of the
     * thread; the agents' side sees it (the agent API's {@code postbacks}).
     */
    private Map<String, Object> postback(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        V3Thread thread = chat.thread(payload.string("thread_id")).orElseThrow(() -> V3Error.notFound("Thread not found"));
        String eventId = payload.string("event_id");
        Payload postback = payload.object("postback");
        String id = postback.string("id");
        boolean toggled = postback.bool("toggled", false);
        if (!postback.has("toggled")) {
            throw V3Error.validation("`postback.toggled` is required");
        }
        String number = eventId.startsWith(thread.id() + "_") ? eventId.substring(thread.id().length() + 1) : "";
        if (!number.matches("\\d{1,18}")) {
            throw V3Error.notFound("Event not found");
        }
        boolean found = CustomerChats.onConsole(() ->
                thread.console().postback(Long.parseLong(number), id, toggled, java.time.Instant.now()));
        if (!found) {
            throw V3Error.notFound("Event not found");
        }
        return Map.of();
    }

    private Map<String, Object> getChat(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        String threadId = payload.optionalString("thread_id");
        V3Thread thread = threadId == null ? chat.last().orElse(null)
                : chat.thread(threadId).orElseThrow(() -> V3Error.notFound("Thread not found"));
        return V3Json.chat(chat, thread);
    }

    private Map<String, Object> deactivate(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("id"));
        V3Thread thread = CustomerChats.activeThread(chat);
        CustomerChats.onConsole(() -> chats.upstream().closeAsCustomer(thread.console()));
        return Map.of();
    }

    private Map<String, Object> updateCustomer(Customer customer, Payload payload) {
        String name = payload.optionalString("name");
        String email = payload.optionalString("email");
        String avatar = payload.optionalString("avatar");
        List<Map<String, Object>> fields = sessionFields(payload, false);
        if (name == null && email == null && avatar == null && fields == null) {
            throw V3Error.validation("At least one optional parameter needs to be included");
        }
        customer.update(name, email, avatar, fields);
        for (V3Chat chat : chats.chatsOf(customer)) {
            chat.active().ifPresent(thread -> thread.console().rename(name, email));
        }
        pushes.push(customer.id(), "customer_updated", customer.toJson());
        return Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sessionFields(Payload payload, boolean required) {
        List<Object> fields = payload.optionalList("session_fields");
        if (fields == null) {
            if (required) {
                throw V3Error.validation("`session_fields` is required");
            }
            return null;
        }
        List<Map<String, Object>> checked = new ArrayList<>();
        for (Object field : fields) {
            if (!(field instanceof Map<?, ?> map) || map.size() != 1
                    || !(map.values().iterator().next() instanceof String)) {
                throw V3Error.validation("`session_fields` must be objects of one key and a string value");
            }
            checked.add((Map<String, Object>) map);
        }
        if (checked.size() > 100) {
            throw V3Error.validation("`session_fields` has more than 100 keys");
        }
        return checked;
    }

    private Map<String, Object> groupStatuses(Payload payload) {
        List<Object> ids = payload.optionalList("group_ids");
        if (!payload.bool("all", false) && ids == null) {
            throw V3Error.validation("`all` or `group_ids` is required");
        }
        Map<String, Object> statuses = new LinkedHashMap<>();
        Map<Integer, String> all = groups.all();
        all.forEach((group, status) -> {
            if (ids == null || ids.stream().anyMatch(id -> id instanceof Number n && n.intValue() == group)) {
                statuses.put(Integer.toString(group), status);
            }
        });
        return Map.of("groups_status", statuses);
    }

    private Map<String, Object> markSeen(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        String seen = payload.string("seen_up_to");
        Instant instant;
        try {
            instant = OffsetDateTime.parse(seen).toInstant();
        } catch (DateTimeParseException e) {
            throw V3Error.validation("`seen_up_to` must be an RFC 3339 date-time");
        }
        customer.seenUpTo(instant);
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("user_id", customer.id());
        push.put("chat_id", chat.id());
        push.put("seen_up_to", V3Json.time(customer.eventsSeenUpTo()));
        pushes.push(customer.id(), "events_marked_as_seen", push);
        return Map.of();
    }

    private Map<String, Object> updateThreadProperties(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        V3Thread thread = chat.thread(payload.string("thread_id"))
                .orElseThrow(() -> V3Error.notFound("Thread not found"));
        Map<String, Map<String, Object>> properties = payload.properties("properties");
        thread.updateProperties(properties);
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("chat_id", chat.id());
        push.put("thread_id", thread.id());
        push.put("properties", properties);
        pushes.push(customer.id(), "thread_properties_updated", push);
        return Map.of();
    }

    /**
     * {@code accept_greeting} ({@code greeting_id}, {@code unique_id}) or {@code cancel_greeting}
     * ({@code unique_id}): the customer's greeting marked, and {@code greeting_accepted} or
     * {@code greeting_canceled} pushed to their sockets.
     */
    private Map<String, Object> answerGreeting(Customer customer, Payload payload, boolean accept) {
        String uniqueId = payload.string("unique_id");
        Integer greetingId = null;
        if (accept) {
            greetingId = payload.optionalInt("greeting_id");
            if (greetingId == null) {
                throw V3Error.validation("`greeting_id` is required");
            }
        }
        if (!customer.answerGreeting(uniqueId, greetingId, accept ? "accepted" : "canceled")) {
            throw V3Error.notFound("Greeting not found");
        }
        pushes.push(customer.id(), accept ? "greeting_accepted" : "greeting_canceled", Map.of("unique_id", uniqueId));
        return Map.of();
    }

    /** Removes the named properties, {@code {namespace: [name, …]}}, as Customer SDK's {@code cancelRate} asks. */
    private Map<String, Object> deleteThreadProperties(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("chat_id"));
        V3Thread thread = chat.thread(payload.string("thread_id"))
                .orElseThrow(() -> V3Error.notFound("Thread not found"));
        Map<String, List<String>> names = payload.propertyNames("properties");
        thread.deleteProperties(names);
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("chat_id", chat.id());
        push.put("thread_id", thread.id());
        push.put("properties", names);
        pushes.push(customer.id(), "thread_properties_deleted", push);
        return Map.of();
    }

    private Map<String, Object> updateChatProperties(Customer customer, Payload payload) {
        V3Chat chat = chats.chat(customer, payload.string("id"));
        Map<String, Map<String, Object>> properties = payload.properties("properties");
        chat.updateProperties(properties);
        Map<String, Object> push = new LinkedHashMap<>();
        push.put("chat_id", chat.id());
        push.put("properties", properties);
        pushes.push(customer.id(), "chat_properties_updated", push);
        return Map.of();
    }

    private Map<String, Object> predictedAgent(Payload payload, String siteUrl) {
        Integer group = payload.optionalInt("group_id");
        if (!groups.accepting(group == null ? DemoAccount.DEFAULT_GROUP : group)) {
            throw new V3Error(400, "group_offline", "Group is offline");
        }
        Map<String, Object> agent = V3Json.agentUser(AgentProfile.demo(siteUrl), true);
        agent.remove("present");
        agent.put("is_bot", false);
        return Map.of("agent", agent, "queue", false);
    }

    private static int group(Payload chat, int fallback) {
        Payload access = chat == null ? null : chat.optionalObject("access");
        List<Object> ids = access == null ? null : access.optionalList("group_ids");
        if (ids == null || ids.isEmpty()) {
            return fallback;
        }
        if (!(ids.get(0) instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.intValue() < 0) {
            throw V3Error.validation("`chat.access.group_ids` must hold group ids");
        }
        return number.intValue();
    }

    private static List<Payload> events(Payload thread) {
        List<Object> events = thread == null ? null : thread.optionalList("events");
        List<Payload> checked = new ArrayList<>();
        if (events != null) {
            for (Object event : events) {
                checked.add(Payload.of(event, "`chat.thread.events[]`"));
            }
        }
        return checked;
    }
}
