package io.parley.emulator.v3;

import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedUpstream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The customers and their chats. A chat's threads are chats of the {@link EmulatedUpstream}, so
 * the console, the agent API and the demo agent work on them as on v2 chats.
 */
public final class CustomerChats {

    private static final String ID_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final EmulatedUpstream upstream;
    private final Pushes pushes;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Customer> customers = new ConcurrentHashMap<>();
    private final Map<String, V3Chat> chats = new ConcurrentHashMap<>();

    public CustomerChats(EmulatedUpstream upstream, Pushes pushes, Clock clock) {
        this.upstream = upstream;
        this.pushes = pushes;
        this.clock = clock;
    }

    public EmulatedUpstream upstream() {
        return upstream;
    }

    public Customer customer(String id) {
        return customers.computeIfAbsent(id, Customer::new);
    }

    /**
     * The customer as {@code get_customer} and the login show it, with {@code statistics}: the
     * login's example has them, and LiveChat's Customer SDK fails without them in either answer.
     */
    public Map<String, Object> customerWithStatistics(Customer customer) {
        List<V3Chat> own = chatsOf(customer);
        Map<String, Object> shown = customer.toJson();
        Map<String, Object> statistics = new java.util.LinkedHashMap<>();
        statistics.put("chats_count", own.size());
        statistics.put("threads_count", own.stream().mapToInt(chat -> chat.threads().size()).sum());
        statistics.put("visits_count", 1);
        statistics.put("page_views_count", customer.pageViews());
        statistics.put("greetings_shown_count", 0);
        statistics.put("greetings_accepted_count", 0);
        shown.put("statistics", statistics);
        return shown;
    }

    /** The customer's chat; {@code not_found} for an unknown id or another customer's chat. */
    public V3Chat chat(Customer customer, String chatId) {
        V3Chat chat = chats.get(chatId);
        if (chat == null || chat.customer() != customer) {
            throw V3Error.notFound("Chat not found");
        }
        return chat;
    }

    /** The customer's chats, newest thread first. */
    public List<V3Chat> chatsOf(Customer customer) {
        List<V3Chat> found = new ArrayList<>();
        chats.values().forEach(chat -> {
            if (chat.customer() == customer && chat.last().isPresent()) {
                found.add(chat);
            }
        });
        found.sort(Comparator.comparing((V3Chat chat) -> chat.last().orElseThrow().createdAt()).reversed());
        return found;
    }

    /** A new chat with its first thread, not yet told to anyone. */
    V3Chat create(Customer customer, int group) {
        V3Chat chat = new V3Chat(newId(), customer, group);
        chats.put(chat.id(), chat);
        return chat;
    }

    /** Opens a thread in the chat (under the chat's lock); its events are added before anyone hears of it. */
    V3Thread open(V3Chat chat, String siteUrl) {
        String threadId = newId();
        Customer customer = chat.customer();
        EmulatedChat console = upstream.openThread(customer.id(), threadId, customer.name(), customer.email(),
                chat.group(), siteUrl);
        V3Thread thread = new V3Thread(threadId, console, clock.instant());
        chat.add(thread);
        return thread;
    }

    /** From now on, what happens in the thread is pushed. */
    void observe(V3Chat chat, V3Thread thread) {
        thread.console().observe(new ThreadPushes(chat, thread, pushes));
    }

    /** Keeps the active threads of customers with a logged-in socket alive. */
    public void keepAlive() {
        List<EmulatedChat> alive = new ArrayList<>();
        for (String customerId : pushes.onlineCustomers()) {
            Customer customer = customers.get(customerId);
            if (customer != null) {
                chatsOf(customer).forEach(chat -> chat.active().ifPresent(thread -> alive.add(thread.console())));
            }
        }
        upstream.keepAlive(alive);
    }

    /** The active thread of the chat, or {@code chat_inactive}. */
    static V3Thread activeThread(V3Chat chat) {
        return chat.active().orElseThrow(V3Error::chatInactive);
    }

    /** Runs a change of a console chat, answering {@code chat_inactive} if it closed meanwhile. */
    static <T> T onConsole(java.util.function.Supplier<T> change) {
        try {
            return change.get();
        } catch (ApiError e) {
            throw "chat_closed".equals(e.type()) ? V3Error.chatInactive() : new V3Error(e.status(), "validation",
                    e.getMessage());
        }
    }

    Optional<V3Chat> find(String chatId) {
        return Optional.ofNullable(chats.get(chatId));
    }

    public void reset() {
        chats.clear();
        customers.clear();
    }

    private String newId() {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(ID_CHARACTERS.charAt(random.nextInt(ID_CHARACTERS.length())));
        }
        return id.toString();
    }
}
