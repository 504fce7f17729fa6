package io.parley.emulator.v3;

import io.parley.emulator.EmulatedEvent;
import io.parley.emulator.EmulatedUpstream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The emulated Customer Chat API as a whole: the accounts' tokens, the customers' chats, the
 * groups, the pushes and the v3 faults, over the same {@link EmulatedUpstream} as the v2 API.
 */
public final class CustomerChatApi {

    private final Clock clock;
    private volatile V3Faults faults = V3Faults.NONE;
    private final Tokens tokens;
    private final Pushes pushes;
    private final CustomerChats chats;
    private final Groups groups;
    private final CustomerActions actions;

    public CustomerChatApi(EmulatedUpstream upstream, Clock clock) {
        this.clock = clock;
        this.tokens = new Tokens(clock, this::faults);
        this.pushes = new Pushes(this::faults);
        this.chats = new CustomerChats(upstream, pushes, clock);
        this.groups = new Groups((group, status) -> pushes.pushToAll("groups_status_updated",
                Map.of("groups", List.of(Map.of("id", group, "status", status)))));
        this.actions = new CustomerActions(chats, groups, pushes);
    }

    public V3Faults faults() {
        return faults;
    }

    public void faults(V3Faults newFaults) {
        faults = newFaults;
        pushes.reseed(newFaults.seed());
    }

    public Tokens tokens() {
        return tokens;
    }

    public Pushes pushes() {
        return pushes;
    }

    /** Where uploaded and shared files are kept. */
    public io.parley.emulator.UploadedFiles files() {
        return chats.upstream().files();
    }

    public Groups groups() {
        return groups;
    }

    public Clock clock() {
        return clock;
    }

    /** Runs an action for the customer whose token this is ({@code authentication} when it is not good). */
    public Map<String, Object> run(String action, String token, Payload payload, String siteUrl) {
        return actions.run(action, chats.customer(tokens.customerOf(token)), payload, siteUrl);
    }

    /** The customer a good token belongs to. */
    public Customer customerOf(String token) {
        return chats.customer(tokens.customerOf(token));
    }

    /** Runs an action for a logged-in customer. */
    public Map<String, Object> run(String action, Customer customer, Payload payload, String siteUrl) {
        return actions.run(action, customer, payload, siteUrl);
    }

    /**
     * The RTM login's answer (rtm-reference, Login), after taking in what the payload says of the
     * customer; {@code __priv_dynamic_config} is what LiveChat's Customer SDK needs to connect.
     */
    public Map<String, Object> login(Customer customer, Payload payload) {
        Payload about = payload.optionalObject("customer");
        if (about != null) {
            customer.update(about.optionalString("name"), about.optionalString("email"),
                    about.optionalString("avatar"), null);
        }
        Payload customerPage = payload.optionalObject("customer_page");
        if (customerPage != null && customerPage.optionalString("url") != null) {
            customer.viewedPage(customerPage.optionalString("url"), customerPage.optionalString("title"));
        } else if (customerPage != null) {
            customer.viewedPage();
        }
        Integer group = payload.optionalInt("group_id");
        List<V3Chat> own = chats.chatsOf(customer);
        Map<String, Object> shown = chats.customerWithStatistics(customer);
        List<Map<String, Object>> list = new ArrayList<>();
        for (V3Chat chat : own) {
            // has_active_thread per chat too: LiveChat's Customer SDK reads it there first
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("chat_id", chat.id());
            entry.put("has_active_thread", chat.active().isPresent());
            entry.put("has_unread_events", unread(customer, chat));
            list.add(entry);
        }
        Map<String, Object> monitoring = new LinkedHashMap<>();
        monitoring.put("id", group == null ? DemoAccount.DEFAULT_GROUP : group);
        monitoring.put("static_config_url", "/licence/0/get_static_config.0.js");
        monitoring.put("language_config_url", "/licence/0/v2/localization.en.0.js");
        Map<String, Object> dynamic = new LinkedHashMap<>();
        dynamic.put("online_groups_ids", groups.online());
        dynamic.put("customer_groups", Map.of("monitoring", monitoring));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("customer", shown);
        answer.put("has_active_thread", own.stream().anyMatch(chat -> chat.active().isPresent()));
        answer.put("chats", list);
        answer.put("__priv_dynamic_config", dynamic);
        return answer;
    }

    private static boolean unread(Customer customer, V3Chat chat) {
        Instant seen = customer.eventsSeenUpTo();
        return chat.last().map(thread -> thread.console().events().stream()
                .filter(event -> !"visitor".equals(event.userType()))
                .map(EmulatedEvent::createdAt)
                .anyMatch(at -> seen == null || at.isAfter(seen))).orElse(false);
    }

    /** {@code get_dynamic_configuration} (Web API, GET, no token needed). */
    public Map<String, Object> dynamicConfiguration(Integer group) {
        int shown = group == null ? DemoAccount.DEFAULT_GROUP : group;
        if (groups.status(shown) == null) {
            throw new V3Error(404, "group_not_found", "Group not found");
        }
        Map<String, Object> livechat = new LinkedHashMap<>();
        livechat.put("group_id", shown);
        livechat.put("client_limit_exceeded", false);
        livechat.put("domain_allowed", true);
        List<Integer> online = groups.online();
        if (!online.isEmpty()) {
            livechat.put("online_group_ids", online);
        }
        livechat.put("config_version", "0");
        livechat.put("localization_version", "0");
        livechat.put("language", "en");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("organization_id", DemoAccount.ORGANIZATION_ID);
        answer.put("default_widget", "livechat");
        answer.put("livechat_active", true);
        answer.put("livechat", livechat);
        return answer;
    }

    /** Run with the v2 sweep: keeps chats of connected customers alive, ends sockets whose token expired. */
    public void sweep() {
        chats.keepAlive();
        pushes.expireTokens(clock.instant());
        tokens.sweep();
    }

    /** Drops every logged-in socket now, as a network failure would. */
    public int dropAll() {
        List<Connection> all = pushes.all();
        all.forEach(Connection::drop);
        return all.size();
    }

    public void reset() {
        faults(V3Faults.NONE);
        chats.reset();
        tokens.reset();
        groups.reset();
    }
}
