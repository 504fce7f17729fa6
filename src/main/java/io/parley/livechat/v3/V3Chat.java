package io.parley.livechat.v3;

import io.parley.logs.ConversationLog;
import io.parley.upstream.AgentCard;
import io.parley.upstream.Attachment;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ChatStart;
import io.parley.upstream.ClosedBy;
import io.parley.upstream.OfflineMessage;
import io.parley.upstream.Outgoing;
import io.parley.upstream.Rating;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's chats on the Customer Chat API v3: one customer upstream, one chat whose threads
 * are the visitor's chats one after another ({@code start_chat}, then {@code resume_chat}).
 *
 * <p>Events arrive by push on an RTM socket kept logged in while the conversation lives. Pushes
 * are never repeated, so after every login the thread is read ({@code get_chat}) and merged by
 * event id before the pushes that came meanwhile; while no socket can be held, the thread is read
 * through the Web API instead, at a slower pace. The visitor's messages go one at a time, in
 * order, each with its client id as {@code custom_id}: a send that may have landed is settled by
 * finding that id in the thread before it goes again.
 *
 * <p>Every field is guarded by this object's monitor, which is held while the listener is told,
 * so that it hears of things in the order they happened. Upstream calls are made without it.
 */
final class V3Chat implements UpstreamChat {

    private static final Logger LOG = LoggerFactory.getLogger(V3Chat.class);

    /** Consecutive failures after which the chat is reported unreachable. */
    static final int UNREACHABLE_AFTER = 2;
    /** Failed logins in a row after which the thread is read through the Web API until a socket holds. */
    static final int FALLBACK_AFTER = 2;
    private static final Duration MAX_RETRY = Duration.ofSeconds(30);
    /** A read settles a send in doubt only this long after the doubt arose; its echo may settle it sooner. */
    static final Duration IN_DOUBT = UpstreamChat.IN_DOUBT;
    private static final String EXPIRED = "access_token_expired";
    private static final String REVOKED = "access_token_revoked";
    private static final String BANNED = "customer_banned";
    /** A token that expires again sooner than this after a login is not followed by an immediate login. */
    private static final Duration QUICK_RECONNECT_SPACING = Duration.ofMinutes(1);
    /** How long a socket the upstream said not to reconnect stays away before it is tried again. */
    static final Duration DONT_RECONNECT_PAUSE = Duration.ofMinutes(5);
    /** How often a chat with no socket is read through the Web API. */
    static final Duration FALLBACK_READS = Duration.ofSeconds(5);

    private final LiveChatV3 upstream;
    private final String logId;
    private final Listener listener;
    private final RecentIds seen = new RecentIds(512);
    private final RecentIds landed = new RecentIds(512);
    /** The visitor's messages not known to have landed, in order; the first may be in flight. */
    private final Deque<Outgoing> outbox = new ArrayDeque<>();
    /**
     * Client ids that may have landed (an ambiguous answer, or given back after a restart), with
     * when the doubt arose: looked for first.
     */
    private final Map<String, Instant> uncertain = new HashMap<>();
    private final Map<String, AgentCard> agents = new HashMap<>();
    /** Where the upstream keeps each file of the visitor's uploaded and not yet sent as an event, by client id. */
    private final Map<String, String> uploaded = new HashMap<>();

    private String entityId;
    private String token;
    private Instant tokenExpires = Instant.MIN;
    private CompletableFuture<String> minting;

    private String chatId;
    private String threadId;
    private boolean active;

    private ChatStart wanted;
    private Outgoing first;
    private boolean startInFlight;
    /** The wanted start was looked for upstream and not found: it may be made (a restored start is looked for first). */
    private boolean startSettled;
    /** The highest event number ({@code <thread id>_<n>}) relayed in the thread: a push further on shows a lost one. */
    private long lastSeq;
    /** Events numbered up to this were relayed and dropped from {@link #seen}: older than anything it holds. */
    private long forgottenUpTo;
    private Instant lastQuickReconnect = Instant.MIN;
    private Outgoing inFlight;
    private boolean reading;

    private Rtm.Socket socket;
    /** Which socket is current: events of an older one are ignored. */
    private Object socketKey;
    private boolean loggedIn;
    /** Pushes that came while the thread was being read after a login, merged after it. */
    private List<Push> held;
    private int loginFailures;
    private Instant connectedAt;
    private boolean fallback;
    private boolean pollScheduled;
    private boolean banned;

    private int failures;
    private boolean reachable = true;
    private boolean released;
    /** Restored with an open thread: nothing is sent until {@link #resume()} has the thread read. */
    private boolean awaitingResume;

    V3Chat(LiveChatV3 upstream, String logId, V3Snapshot snapshot, Listener listener) {
        this.upstream = upstream;
        this.logId = logId;
        this.listener = new NamedListener(logId, listener);
        if (snapshot != null) {
            entityId = snapshot.entityId();
            chatId = snapshot.chatId();
            threadId = snapshot.threadId();
            active = snapshot.active() && chatId != null && threadId != null;
            awaitingResume = active;
            seen.addAll(snapshot.seen());
            landed.addAll(snapshot.landed());
            snapshot.agents().forEach(agent -> agents.put(agent.id(),
                    new AgentCard(agent.name(), agent.jobTitle(), agent.avatarUrl())));
            lastSeq = snapshot.lastSeq();
            forgottenUpTo = snapshot.forgottenUpTo();
        }
    }

    // --- what the relay asks ---

    @Override
    public void start(ChatStart start, Outgoing message) {
        synchronized (this) {
            if (released) {
                return;
            }
            if (!active) {
                outbox.clear(); // left from a chat that never started: the relay gives again what it wants sent
                uncertain.clear();
            }
            wanted = start;
            first = message;
            failures = 0;
            startSettled = !message.restored(); // given back after a restart, it may have started a chat before the stop
        }
        attemptStart();
    }

    @Override
    public void send(Outgoing message) {
        synchronized (this) {
            if (released) {
                return;
            }
            if (landed.contains(message.clientId())) {
                listener.delivered(message.clientId());
                listener.changed();
                return;
            }
            if (!active && wanted == null) {
                listener.notDelivered(message.clientId(), Undelivered.CHAT_ENDED);
                listener.changed();
                return;
            }
            if (outbox.stream().anyMatch(queued -> queued.clientId().equals(message.clientId()))) {
                return;
            }
            outbox.add(message);
            if (message.restored()) {
                // Sent, if at all, before the stop: what the process that sent it made is all there is.
                uncertain.put(message.clientId(), Instant.MIN);
            }
        }
        pump();
    }

    @Override
    public void close() {
        String closing;
        synchronized (this) {
            if (wanted != null && first != null) {
                // A start on its way may land (and is deactivated then): its message may have reached the agent.
                listener.notDelivered(first.clientId(), startInFlight ? Undelivered.MAYBE_BEFORE_END : Undelivered.CHAT_ENDED);
            }
            wanted = null;
            first = null;
            closing = active ? chatId : null;
            active = false;
            reportUnsent();
            listener.changed();
        }
        if (closing != null) {
            deactivate(closing, 1);
        }
    }

    @Override
    public void resume() {
        synchronized (this) {
            awaitingResume = false;
            if (released) {
                return;
            }
            if (!active) {
                // The relay holds the chat open, and this adapter knows no open thread (its record was
                // written by another version, or the end was not written before the stop): it ended.
                log("has no open thread to take up after the restart");
                listener.ended(ClosedBy.UPSTREAM, upstream.now());
                listener.changed();
                return;
            }
        }
        connect(); // its login reads the thread, which settles what was given back, then sends the rest
    }

    @Override
    public void release() {
        Rtm.Socket closing;
        boolean wasLoggedIn;
        boolean wasPolling;
        synchronized (this) {
            if (released) {
                return;
            }
            released = true;
            wanted = null;
            wasLoggedIn = loggedIn;
            wasPolling = fallback;
            loggedIn = false;
            fallback = false;
            closing = socket;
            socket = null;
            socketKey = null;
        }
        if (wasLoggedIn) {
            upstream.rtmLoggedIn(false);
        }
        if (wasPolling) {
            upstream.fallbackPolling(false);
        }
        if (closing != null) {
            closing.close();
        }
    }

    @Override
    public void typing(String draft) {
        signal("send_sneak_peek", chat -> Map.of("chat_id", chat, "sneak_peek_text", draft));
    }

    @Override
    public void markSeen(Instant upTo) {
        signal("mark_events_as_seen", chat -> Map.of("chat_id", chat, "seen_up_to", upTo.toString()));
    }

    /**
     * A live signal of the visitor's, best effort: over the socket while one is logged in (it
     * costs no billed Web API request), else through the Web API. One that fails is not tried
     * again: the next signal replaces it.
     */
    private void signal(String action, java.util.function.Function<String, Map<String, Object>> payload) {
        Rtm.Socket over;
        Map<String, Object> body;
        synchronized (this) {
            if (released || !active || awaitingResume || chatId == null) {
                return;
            }
            body = payload.apply(chatId);
            over = loggedIn ? socket : null;
        }
        CompletableFuture<Map<String, Object>> sent;
        try {
            sent = over != null ? over.request(action, body) : call(action, body);
        } catch (RuntimeException e) {
            LOG.debug("Conversation {}: {} could not be sent: {}", logId, action, e.toString());
            return;
        }
        sent.whenComplete((answer, failure) -> {
            if (failure != null) {
                LOG.debug("Conversation {}: {} failed: {}", logId, action, V3Failure.describe(failure));
            }
        });
    }

    @Override
    public synchronized String snapshot() {
        List<V3Snapshot.Agent> present = agents.entrySet().stream().map(agent -> new V3Snapshot.Agent(agent.getKey(),
                agent.getValue().name(), agent.getValue().jobTitle(), agent.getValue().avatarUrl())).toList();
        return new V3Snapshot(entityId, chatId, threadId, active, seen.ids(), landed.ids(), present, lastSeq,
                forgottenUpTo).toJson();
    }

    @Override
    public synchronized <T> T holding(Supplier<T> action) {
        return action.get();
    }

    // --- a message left for later ---

    /** How many times a message left for later is tried while the upstream fails. */
    static final int LEAVE_ATTEMPTS = 4;

    /**
     * A chat started {@code continuous} (no online group needed), with the visitor's name and
     * e-mail given first: the agents find it among their chats and answer by e-mail. A returning
     * visitor's chat gets a new thread; if its thread is still open (a message left before), the
     * message goes into it.
     */
    @Override
    public void leaveMessage(OfflineMessage message) {
        synchronized (this) {
            if (released) {
                return;
            }
        }
        updateCustomer(new ChatStart("", message.name(), message.email(), message.group()))
                .whenComplete((ignored, failure) -> leave(message, 1));
    }

    private void leave(OfflineMessage message, int attempt) {
        String known;
        synchronized (this) {
            if (released) {
                return;
            }
            known = chatId;
        }
        Outgoing outgoing = new Outgoing(message.clientId(), message.text(), false);
        Map<String, Object> chat = new LinkedHashMap<>();
        if (known != null) {
            chat.put("id", known);
        }
        message.group().ifPresent(group -> chat.put("access", Map.of("group_ids", List.of(group))));
        chat.put("thread", Map.of("events", List.of(messageEvent(outgoing))));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("chat", chat);
        payload.put("continuous", true);
        call(known == null ? "start_chat" : "resume_chat", payload).whenComplete((answer, failure) -> {
            if (failure == null) {
                left(message, known == null ? Json.text(answer, "chat_id") : null);
            } else if (known != null && V3Failure.of(failure).kind() == V3Failure.Kind.VALIDATION) {
                // Its thread is still open (a message left before, not answered yet): this one joins it.
                call("send_event", Map.of("chat_id", known, "event", messageEvent(outgoing)))
                        .whenComplete((sent, again) -> leaveAnswered(message, attempt, sent, again));
            } else {
                leaveAnswered(message, attempt, answer, failure);
            }
        });
    }

    private void leaveAnswered(OfflineMessage message, int attempt, Map<String, Object> answer, Throwable failure) {
        if (failure == null) {
            left(message, null);
            return;
        }
        V3Failure why = V3Failure.of(failure);
        log("could not leave a message: {}", V3Failure.describe(why));
        boolean again = attempt < LEAVE_ATTEMPTS && (why.passing() || why.kind() == V3Failure.Kind.AUTHENTICATION);
        if (!again) {
            synchronized (this) {
                listener.messageLeft(message.clientId(), false);
            }
        } else if (why.ambiguous()) {
            // It may have landed: looked for by its custom_id before it goes again.
            call("list_chats", Map.of()).thenApply(chats -> Json.objects(chats, "chats_summary").stream()
                    .map(summary -> Json.text(summary, "id")).filter(id -> id != null).toList())
                    .thenCompose(ids -> findThread(ids, 0, message.clientId()))
                    .whenComplete((found, lookFailed) -> {
                        if (lookFailed == null && found != null) {
                            left(message, Json.text(found, "id"));
                        } else {
                            later(() -> leave(message, attempt + 1), backoff(attempt));
                        }
                    });
        } else {
            later(() -> leave(message, attempt + 1), backoff(attempt));
        }
    }

    private void left(OfflineMessage message, String newChatId) {
        synchronized (this) {
            if (chatId == null && newChatId != null) {
                chatId = newChatId; // the visitor's later chats are threads of this one, so agents see the message
                threadId = null;
            }
            listener.messageLeft(message.clientId(), true);
            listener.changed();
        }
    }

    // --- tokens ---

    /** The customer's token, minted first (for a new customer, or when it nears its end). */
    private CompletableFuture<String> token() {
        synchronized (this) {
            if (token != null && upstream.now().plus(AgentTokens.MARGIN).isBefore(tokenExpires)) {
                return CompletableFuture.completedFuture(token);
            }
            if (minting != null) {
                return minting;
            }
            CompletableFuture<String> started = new CompletableFuture<>();
            minting = started;
            String customer = entityId;
            upstream.agentTokens().current()
                    .thenCompose(agentToken -> upstream.accounts().customerToken(agentToken, customer)
                            .whenComplete((grant, failure) -> {
                                if (failure != null && V3Failure.of(failure).kind() == V3Failure.Kind.AUTHENTICATION) {
                                    upstream.agentTokens().invalidate(agentToken);
                                }
                            }))
                    .whenComplete((grant, failure) -> minted(started, grant, failure));
            return started;
        }
    }

    private void minted(CompletableFuture<String> started, Accounts.CustomerGrant grant, Throwable failure) {
        synchronized (this) {
            minting = null;
            if (failure != null && entityId != null && gone(V3Failure.of(failure))) {
                // The upstream no longer knows this customer: its chat is gone, and the next start makes another.
                log("lost its customer upstream (unknown there now)");
                entityId = null;
                if (active) {
                    end(ClosedBy.UPSTREAM, upstream.now());
                }
                chatId = null;
                threadId = null;
                listener.changed();
            }
            if (failure == null) {
                boolean newCustomer = entityId == null;
                token = grant.accessToken();
                tokenExpires = upstream.now().plus(grant.expiresIn());
                if (newCustomer) {
                    entityId = grant.entityId();
                    listener.changed(); // a restart must find this customer again, not make another
                }
            }
        }
        if (failure == null) {
            started.complete(grant.accessToken());
        } else {
            started.completeExceptionally(V3Failure.of(failure));
        }
    }

    /** The token was refused: the next call mints another. */
    private synchronized void tokenRefused(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private CompletableFuture<Map<String, Object>> call(String action, Map<String, Object> payload) {
        String[] used = new String[1];
        return token().thenCompose(customerToken -> {
            used[0] = customerToken;
            try {
                return upstream.api().call(customerToken, action, payload);
            } catch (RuntimeException e) { // a call that throws must not leave a send or a start in flight for ever
                return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.NETWORK, null, false,
                        "the client failed: " + e.getClass().getSimpleName()));
            }
        }).whenComplete((answer, failure) -> {
            if (failure != null && V3Failure.of(failure).kind() == V3Failure.Kind.AUTHENTICATION) {
                tokenRefused(used[0]);
            }
        });
    }

    // --- the start ---

    private void attemptStart() {
        Map<String, Object> payload;
        Map<String, Object> chat;
        String action;
        ChatStart start;
        Outgoing message;
        synchronized (this) {
            if (released || wanted == null || startInFlight || active) {
                return;
            }
            startInFlight = true;
            start = wanted;
            message = first;
            if (!startSettled) {
                chat = null;
                action = null;
                payload = null;
            } else {
            chat = new LinkedHashMap<>();
            if (chatId != null) {
                chat.put("id", chatId); // a returning visitor: a new thread in their chat, so the agent sees the history
            }
            start.group().ifPresent(group -> chat.put("access", Map.of("group_ids", List.of(group))));
            chat.put("thread", Map.of("events", List.of(messageEvent(message))));
            payload = new LinkedHashMap<>();
            payload.put("chat", chat);
            payload.put("continuous", false);
            action = chatId == null ? "start_chat" : "resume_chat";
            }
        }
        if (action == null) {
            settleStart(start, message);
            return;
        }
        String resumed = chatId;
        updateCustomer(start).thenCompose(ignored -> call(action, payload))
                .whenComplete((answer, failure) -> onStartAnswer(start, message, resumed, answer, failure));
    }

    /** The visitor's name and e-mail, given before the start; a failure here does not hold the chat up. */
    private CompletableFuture<Void> updateCustomer(ChatStart start) {
        if (start.name() == null && start.email() == null) {
            return CompletableFuture.completedFuture(null);
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        if (start.name() != null) {
            payload.put("name", start.name());
        }
        if (start.email() != null) {
            payload.put("email", start.email());
        }
        return call("update_customer", payload).handle((answer, failure) -> {
            if (failure != null && V3Failure.of(failure).passing()) {
                // the agent should see who they talk to: tried again meanwhile, the start going on
                later(() -> updateCustomerAgain(payload, 2), backoff(1));
            }
            return null;
        });
    }

    private void updateCustomerAgain(Map<String, Object> payload, int attempt) {
        call("update_customer", payload).whenComplete((answer, failure) -> {
            if (failure != null && V3Failure.of(failure).passing() && attempt < 5) {
                later(() -> updateCustomerAgain(payload, attempt + 1), backoff(attempt));
            }
        });
    }

    private void onStartAnswer(ChatStart start, Outgoing message, String resumed, Map<String, Object> answer,
            Throwable failure) {
        if (failure == null) {
            // resume_chat answers with the new thread only: the chat is the one resumed
            opened(start, message, resumed != null ? resumed : Json.text(answer, "chat_id"), Json.text(answer, "thread_id"),
                    Json.texts(answer, "event_ids"));
            return;
        }
        V3Failure why = V3Failure.of(failure);
        boolean adopt = false;
        synchronized (this) {
            startInFlight = false;
            if (released) {
                return;
            }
            if (wanted != start) {
                nextStartLater(); // the visitor closed and started again meanwhile
                return;
            }
            log("could not start its chat: {}", V3Failure.describe(why));
            if (why.ambiguous()) {
                startInFlight = true; // settled before anything else is tried
            } else if (why.kind() == V3Failure.Kind.GROUPS_OFFLINE) {
                refuse(Refusal.OFFLINE);
                return;
            } else if ("customer_banned".equals(why.type())) {
                refuse(Refusal.BANNED);
                return;
            } else if (resumed != null && why.kind() == V3Failure.Kind.VALIDATION) {
                // The chat may still be active upstream (a deactivation that failed, a resume before a
                // crash): take its thread up rather than refuse the visitor for good.
                adopt = true;
                startInFlight = true;
            } else if (!why.passing() && why.kind() != V3Failure.Kind.AUTHENTICATION) {
                refuse(Refusal.FAILED);
                return;
            }
            if (!adopt) {
                failed();
            }
        }
        if (adopt) {
            adoptActiveThread(start, message);
        } else if (why.ambiguous()) {
            settleStart(start, message);
        } else {
            later(this::attemptStart, atOnceOnce(why));
        }
    }

    /**
     * A start that may have landed: the customer's chats are read, and a thread holding the first
     * message's {@code custom_id} is the chat it started. Only if none does is it started again.
     */
    private void settleStart(ChatStart start, Outgoing message) {
        String known;
        synchronized (this) {
            known = chatId;
        }
        CompletableFuture<List<String>> chats = known != null ? CompletableFuture.completedFuture(List.of(known))
                : call("list_chats", Map.of()).thenApply(answer -> Json.objects(answer, "chats_summary").stream()
                        .map(summary -> Json.text(summary, "id")).filter(id -> id != null).toList());
        chats.thenCompose(ids -> findThread(ids, 0, message.clientId())).whenComplete((found, failure) -> {
            if (failure == null && found != null) {
                opened(start, message, Json.text(found, "id"), Json.text(Json.object(found, "thread"), "id"),
                        List.of());
                mergeThread(found);
                return;
            }
            synchronized (this) {
                startInFlight = false;
                if (released) {
                    return;
                }
                if (wanted != start) {
                    nextStartLater();
                    return;
                }
                if (failure != null) {
                    failed();
                } else {
                    startSettled = true;
                }
            }
            if (failure != null) {
                // still unknown: look again, startInFlight set again by the next look
                later(() -> {
                    synchronized (this) {
                        if (startInFlight || wanted != start) {
                            return;
                        }
                        startInFlight = true;
                    }
                    settleStart(start, message);
                }, backoff(failures));
            } else {
                attemptStart(); // it did not land
            }
        });
    }

    /** The first of these chats whose open thread holds the message, as {@code get_chat} answers; null for none. */
    private CompletableFuture<Map<String, Object>> findThread(List<String> ids, int index, String clientId) {
        if (index >= ids.size()) {
            return CompletableFuture.completedFuture(null);
        }
        return call("get_chat", Map.of("chat_id", ids.get(index))).thenCompose(chat -> {
            Map<String, Object> thread = Json.object(chat, "thread");
            boolean holds = Json.flag(thread, "active") && Json.objects(thread, "events").stream()
                    .anyMatch(event -> clientId.equals(Json.text(event, "custom_id")));
            return holds ? CompletableFuture.completedFuture(chat) : findThread(ids, index + 1, clientId);
        });
    }

    /**
     * A resume refused for good: if the chat's latest thread is still active, it is the visitor's
     * chat, and their message goes into it (unless it is there already); else the start is refused.
     */
    private void adoptActiveThread(ChatStart start, Outgoing message) {
        String known;
        synchronized (this) {
            known = chatId;
        }
        call("get_chat", Map.of("chat_id", known)).whenComplete((chat, failure) -> {
            Map<String, Object> thread = failure == null ? Json.object(chat, "thread") : null;
            if (thread != null && Json.flag(thread, "active") && Json.text(thread, "id") != null) {
                boolean holds = Json.objects(thread, "events").stream()
                        .anyMatch(event -> message.clientId().equals(Json.text(event, "custom_id")));
                log("found its chat still active upstream; taking its thread up");
                opened(start, message, known, Json.text(thread, "id"), List.of(), holds);
                mergeThread(chat);
                return;
            }
            synchronized (this) {
                startInFlight = false;
                if (!released && wanted == start) {
                    refuse(Refusal.FAILED);
                }
            }
        });
    }

    /** Another start waits for the one that just ended: it is made once nothing is in flight. */
    private void nextStartLater() {
        if (wanted != null) {
            later(this::attemptStart, Duration.ZERO);
        }
    }

    private void opened(ChatStart start, Outgoing message, String newChatId, String newThreadId, List<String> eventIds) {
        opened(start, message, newChatId, newThreadId, eventIds, true);
    }

    /** The start landed: {@code firstLanded} says whether the first message is in the thread, or is to be sent. */
    private void opened(ChatStart start, Outgoing message, String newChatId, String newThreadId, List<String> eventIds,
            boolean firstLanded) {
        String stray = null;
        Rtm.Socket over = null;
        Object key = null;
        synchronized (this) {
            startInFlight = false;
            if (newChatId == null || newThreadId == null) {
                // A 200 without the ids it must carry: the start landed, but where is unknown until read.
                log("had a start answered without its ids; looking for the chat");
                startInFlight = true;
            } else if (released || wanted != start || active) {
                stray = newChatId; // the visitor closed meanwhile: the chat is not wanted any more
            } else {
                boolean newThread = !newThreadId.equals(threadId);
                chatId = newChatId;
                threadId = newThreadId;
                active = true;
                wanted = null;
                first = null;
                failures = 0;
                if (newThread) {
                    seen.clear();
                    agents.clear();
                    lastSeq = 0;
                    forgottenUpTo = 0;
                }
                eventIds.forEach(this::see);
                reachable(true);
                log("started a chat");
                listener.started();
                if (firstLanded) {
                    landed.add(message.clientId());
                    listener.delivered(message.clientId());
                } else {
                    outbox.addFirst(message);
                }
                listener.changed();
                over = loggedIn ? socket : null; // logged in from the chat before: the new thread is read now
                key = socketKey;
            }
        }
        if (newChatId == null || newThreadId == null) {
            settleStart(start, message);
            return;
        }
        if (stray != null) {
            // not wanted (the visitor closed, or the conversation is gone): deactivated, then the next start if any
            deactivate(stray, 1).whenComplete((done, failure) -> {
                synchronized (this) {
                    nextStartLater();
                }
            });
            return;
        }
        if (over != null) {
            synchronized (this) {
                if (held == null) {
                    held = new ArrayList<>();
                }
            }
            reconcile(key, over); // pushes of the new thread that came before this answer were not its yet
        } else {
            connect();
        }
        pump();
    }

    private void refuse(Refusal why) {
        wanted = null;
        first = null;
        outbox.clear(); // the relay tells the tabs of every message the refused start held
        uncertain.clear();
        listener.refused(why);
        listener.changed();
    }

    // --- the visitor's messages ---

    private void pump() {
        Outgoing next;
        boolean settle;
        Duration doubtLasts = Duration.ZERO;
        String chat;
        String fileUrl;
        synchronized (this) {
            if (released || !active || awaitingResume || inFlight != null || reading || outbox.isEmpty()) {
                return;
            }
            next = outbox.peek();
            settle = uncertain.containsKey(next.clientId());
            chat = chatId;
            fileUrl = uploaded.get(next.clientId());
            if (settle) {
                Instant now = upstream.now();
                Instant settleable = settleableFrom(uncertain.get(next.clientId()));
                doubtLasts = settleable.isAfter(now) ? Duration.between(now, settleable) : Duration.ZERO;
            } else {
                inFlight = next;
            }
        }
        if (settle && !doubtLasts.isZero()) {
            later(this::pump, doubtLasts); // its echo may come meanwhile, and settle it
            return;
        }
        if (settle) {
            readThread(); // the thread says whether it landed; the pump goes on after it
            return;
        }
        if (next.file() != null && fileUrl == null) {
            // the bytes first (upload_file), then the event that shares them, with the client id as custom_id
            upload(next.file()).whenComplete((answer, failure) -> onUploaded(next, answer, failure));
            return;
        }
        call("send_event", Map.of("chat_id", chat, "event", next.file() == null ? messageEvent(next)
                : fileEvent(next, fileUrl)))
                .whenComplete((answer, failure) -> onSent(next, answer, failure));
    }

    private CompletableFuture<Map<String, Object>> upload(Attachment file) {
        String[] used = new String[1];
        return token().thenCompose(customerToken -> {
            used[0] = customerToken;
            try {
                return upstream.api().upload(customerToken, file);
            } catch (RuntimeException e) {
                return CompletableFuture.<Map<String, Object>>failedFuture(new V3Failure(V3Failure.Kind.NETWORK, null,
                        false, "the client failed: " + e.getClass().getSimpleName()));
            }
        }).whenComplete((answer, failure) -> {
            if (failure != null && V3Failure.of(failure).kind() == V3Failure.Kind.AUTHENTICATION) {
                tokenRefused(used[0]);
            }
        });
    }

    /**
     * An upload's answer: its URL is kept for the event that shares it. An upload that failed is
     * made again (one that landed unused expires upstream); one refused for good (too large, a
     * type the upstream rejects) is not delivered.
     */
    private void onUploaded(Outgoing file, Map<String, Object> answer, Throwable failure) {
        V3Failure why = failure == null ? null : V3Failure.of(failure);
        Duration retry = null;
        synchronized (this) {
            inFlight = null;
            if (released) {
                return;
            }
            String url = why == null ? V3Events.httpUrl(Json.text(answer, "url")) : null;
            if (outbox.peek() != file) {
                // out of the outbox meanwhile: the chat ended and the outbox was reported then
            } else if (url != null) {
                uploaded.put(file.clientId(), url);
                failures = 0;
                reachable(true);
            } else if (why == null || why.passing() || why.ambiguous()
                    || why.kind() == V3Failure.Kind.AUTHENTICATION) {
                if (why == null) {
                    log("had an upload answered without a URL; uploading it again");
                }
                failed();
                retry = why == null ? backoff(failures) : atOnceOnce(why);
            } else if (why.kind() == V3Failure.Kind.CHAT_INACTIVE) {
                end(ClosedBy.UPSTREAM, upstream.now());
            } else {
                log("had a file refused upstream: {}", V3Failure.describe(why));
                outbox.remove(file);
                listener.notDelivered(file.clientId(), Undelivered.REFUSED);
                listener.changed();
            }
        }
        if (retry != null) {
            later(this::pump, retry);
        } else {
            pump();
        }
    }

    @Override
    public void postback(String ref, String postbackId, boolean toggled) {
        String[] parts = ref == null ? new String[0] : ref.split(" ", 3);
        String chat;
        synchronized (this) {
            if (released || !active || parts.length != 2 || chatId == null) {
                return;
            }
            chat = chatId;
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("chat_id", chat);
        payload.put("thread_id", parts[0]);
        payload.put("event_id", parts[1]);
        payload.put("postback", Map.of("id", postbackId, "toggled", toggled));
        postback(payload, 1);
    }

    /** A choice is sent a few times while the upstream fails: sending it twice only toggles it on again. */
    private void postback(Map<String, Object> payload, int attempt) {
        call("send_rich_message_postback", payload).whenComplete((answer, failure) -> {
            if (failure == null || released() || attempt >= 3) {
                if (failure != null) {
                    log("could not send a rich message's postback: {}", V3Failure.describe(V3Failure.of(failure)));
                }
                return;
            }
            V3Failure why = V3Failure.of(failure);
            if (why.passing() || why.ambiguous() || why.kind() == V3Failure.Kind.AUTHENTICATION) {
                later(() -> postback(payload, attempt + 1), backoff(attempt));
            } else {
                log("had a rich message's postback refused: {}", V3Failure.describe(why));
            }
        });
    }

    private void onSent(Outgoing message, Map<String, Object> answer, Throwable failure) {
        V3Failure why = failure == null ? null : V3Failure.of(failure);
        Duration retry = null;
        Rtm.Socket readOver = null;
        Object key = null;
        synchronized (this) {
            inFlight = null;
            if (released) {
                return;
            }
            boolean queued = outbox.peek() == message;
            if (why == null) {
                String eventId = Json.text(answer, "event_id");
                if (eventId != null) {
                    if (holeBefore(eventId)) {
                        // an event before this message was not pushed (yet): read, so that it is not
                        // passed over by the number of the visitor's own message
                        held = new ArrayList<>();
                        readOver = socket;
                        key = socketKey;
                    }
                    see(eventId);
                }
                landedNow(message.clientId());
                failures = 0;
                reachable(true);
                listener.changed();
            } else if (!queued) {
                // Out of the outbox meanwhile: its echo showed it landed (nothing to say), or the chat
                // ended while it was on its way and the outbox was reported then.
                if (!landed.contains(message.clientId())) {
                    listener.notDelivered(message.clientId(),
                            why.ambiguous() ? Undelivered.MAYBE_BEFORE_END : Undelivered.CHAT_ENDED);
                    listener.changed();
                }
            } else if (why.kind() == V3Failure.Kind.CHAT_INACTIVE) {
                log("found its chat inactive when sending a message");
                end(ClosedBy.UPSTREAM, upstream.now());
            } else if (why.ambiguous()) {
                log("may not have landed a message ({}); looking for it in the thread before sending it again", V3Failure.describe(why));
                // Without an answer the call may still be applied; an answer, even an error, comes after it was or was not.
                boolean answered = why.kind() != V3Failure.Kind.TIMEOUT && why.kind() != V3Failure.Kind.NETWORK;
                uncertain.put(message.clientId(), answered ? Instant.MIN : upstream.now());
                failed();
                retry = backoff(failures);
            } else if (why.passing() || why.kind() == V3Failure.Kind.AUTHENTICATION) {
                failed();
                retry = atOnceOnce(why);
            } else {
                log("had a message refused upstream: {}", V3Failure.describe(why));
                outbox.remove(message);
                uploaded.remove(message.clientId());
                listener.notDelivered(message.clientId(), Undelivered.REFUSED);
                listener.changed();
            }
        }
        if (readOver != null) {
            reconcile(key, readOver);
        } else if (retry != null) {
            later(this::pump, retry);
        } else {
            pump();
        }
    }

    /** The sends in doubt that can no longer land unseen: a read that does not hold them shows they did not land. */
    private Set<String> settleable() {
        Instant now = upstream.now();
        Set<String> settles = new HashSet<>();
        uncertain.forEach((clientId, since) -> {
            if (!settleableFrom(since).isAfter(now)) {
                settles.add(clientId);
            }
        });
        return settles;
    }

    /** {@link Instant#MIN} for a send whose doubt may be settled by any read that begins now. */
    private static Instant settleableFrom(Instant doubtSince) {
        return doubtSince == Instant.MIN ? Instant.MIN : doubtSince.plus(IN_DOUBT);
    }

    /** Whether an event of the thread is numbered past the next one, while a socket could read what lies between. */
    private boolean holeBefore(String eventId) {
        return loggedIn && socket != null && held == null && active && lastSeq > 0
                && sequence(eventId) > lastSeq + 1;
    }

    /** The message landed: out of the outbox, and the relay told, once; a file with where the upstream keeps it. */
    private void landedNow(String clientId) {
        landedNow(clientId, null);
    }

    private void landedNow(String clientId, String echoedUrl) {
        uncertain.remove(clientId);
        String url = uploaded.remove(clientId);
        boolean file = url != null || outbox.stream().anyMatch(queued -> queued.clientId().equals(clientId)
                && queued.file() != null);
        boolean removed = outbox.removeIf(queued -> queued.clientId().equals(clientId));
        if (landed.add(clientId) || removed) {
            if (file) {
                listener.fileDelivered(clientId, url != null ? url : echoedUrl);
            } else {
                listener.delivered(clientId);
            }
        }
    }

    private void reportUnsent() {
        uploaded.clear();
        List<Outgoing> unsent = new ArrayList<>(outbox);
        Set<String> mayHaveLanded = new HashSet<>(uncertain.keySet());
        outbox.clear();
        uncertain.clear();
        if (inFlight != null) {
            unsent.remove(inFlight); // settled by its answer, which finds it out of the outbox
        }
        for (Outgoing message : unsent) {
            listener.notDelivered(message.clientId(), mayHaveLanded.contains(message.clientId()) || message.restored()
                    ? Undelivered.MAYBE_BEFORE_END : Undelivered.CHAT_ENDED);
        }
    }

    private static Map<String, Object> fileEvent(Outgoing file, String url) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "file");
        event.put("url", url);
        event.put("recipients", "all");
        event.put("custom_id", file.clientId());
        return event;
    }

    private static Map<String, Object> messageEvent(Outgoing message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "message");
        event.put("text", message.text());
        event.put("recipients", "all");
        event.put("custom_id", message.clientId());
        return event;
    }

    // --- reading the thread ---

    /**
     * Reads the thread through the Web API and merges it: after a send that may have landed,
     * and while no socket holds.
     */
    private void readThread() {
        Map<String, Object> payload;
        Set<String> settles;
        synchronized (this) {
            if (released || !active || reading) {
                return;
            }
            reading = true;
            payload = Map.of("chat_id", chatId, "thread_id", threadId);
            settles = settleable(); // a send still in doubt when this read begins is not settled by it
        }
        call("get_chat", payload).whenComplete((chat, failure) -> {
            Duration retry = null;
            synchronized (this) {
                reading = false;
                if (released) {
                    return;
                }
                if (failure == null) {
                    failures = 0;
                    reachable(true);
                    mergeThread(chat);
                    uncertain.keySet().removeAll(settles); // what the thread does not hold did not land
                } else if (gone(V3Failure.of(failure))) {
                    lost();
                } else {
                    failed();
                    retry = backoff(failures);
                }
            }
            if (retry != null) {
                later(this::pump, retry);
            } else {
                pump();
            }
        });
    }

    /** Merges a {@code get_chat} answer: agents present, events not relayed yet in order, the thread's end. */
    private synchronized void mergeThread(Map<String, Object> chat) {
        if (released || chat == null || chatId == null || !chatId.equals(Json.text(chat, "id"))) {
            return;
        }
        Map<String, Object> thread = Json.object(chat, "thread");
        if (thread == null || threadId == null || !threadId.equals(Json.text(thread, "id"))) {
            return;
        }
        boolean changed = false;
        for (Map<String, Object> user : Json.objects(chat, "users")) {
            changed |= agentJoined(user, null);
        }
        for (Map<String, Object> event : Json.objects(thread, "events")) {
            changed |= event(event);
        }
        if (active) {
            queued(Json.object(thread, "queue")); // present only while the chat waits in the queue
        }
        if (active && thread.containsKey("active") && !Json.flag(thread, "active")) {
            end(ClosedBy.AGENT, upstream.now());
            return;
        }
        if (changed) {
            listener.changed();
        }
    }

    /**
     * Records an event id of the current thread as relayed; false if it was before. An event
     * numbered at or below one forgotten to make room counts as relayed: a thread read again
     * after hundreds of events does not show its oldest again.
     */
    private boolean see(String id) {
        long number = sequence(id);
        if (seen.contains(id) || number > 0 && number <= forgottenUpTo) {
            return false;
        }
        String dropped = seen.addEvicting(id);
        forgottenUpTo = Math.max(forgottenUpTo, sequence(dropped));
        lastSeq = Math.max(lastSeq, number);
        return true;
    }

    /**
     * The number of an event of the current thread, {@code <thread id>_<n>} as LiveChat gives
     * them (not documented, so only a hint: 0 when an id is not of that form).
     */
    private long sequence(String eventId) {
        if (eventId == null || threadId == null || !eventId.startsWith(threadId + "_")) {
            return 0;
        }
        String number = eventId.substring(threadId.length() + 1);
        if (number.isEmpty() || number.length() > 18 || !number.chars().allMatch(Character::isDigit)) {
            return 0;
        }
        return Long.parseLong(number);
    }

    /** One event of the current thread, reported once; true if anything was reported. */
    private boolean event(Map<String, Object> event) {
        String id = Json.text(event, "id");
        if (id == null || !see(id)) {
            return false;
        }
        String author = Json.text(event, "author_id");
        if (author != null && author.equals(entityId)) {
            String clientId = Json.text(event, "custom_id");
            if (clientId != null) {
                if (!landed.contains(clientId) || outbox.stream().anyMatch(m -> m.clientId().equals(clientId))) {
                    landedNow(clientId, V3Events.httpUrl(Json.text(event, "url"))); // settles a send that may have landed
                    return true;
                }
                return false; // the visitor's own message, shown already
            }
            // Written by the customer elsewhere than through Parley: shown as the visitor's.
            String text = Json.text(event, "text");
            if ("message".equals(Json.text(event, "type")) && text != null) {
                listener.received(new ChatEvent.Message(Json.time(event, "created_at"), Author.VISITOR, text));
                return true;
            }
            return false;
        }
        var shown = V3Events.fromAgent(event, null);
        if (shown.isPresent() && shown.get() instanceof ChatEvent.RichMessage rich) {
            // the reference a postback needs: the thread and the event, kept by the relay, never shown
            shown = Optional.of(new ChatEvent.RichMessage(rich.time(), rich.from(), rich.template(), rich.elements(),
                    threadId + " " + id));
        }
        shown.ifPresent(listener::received);
        if (shown.isPresent() && shown.get() instanceof ChatEvent.Notice notice) {
            upstream.unknownType(logId, notice.type());
        }
        return shown.isPresent();
    }

    /** The chat's place in the queue ({@code queue}: position, wait_time in seconds), if it has one. */
    private void queued(Map<String, Object> queue) {
        Integer position = Json.integer(queue, "position");
        Integer wait = Json.integer(queue, "wait_time");
        if (position != null && position > 0) {
            listener.received(new ChatEvent.QueuePosition(upstream.now(), position, wait == null ? 0 : wait));
        }
    }

    /** An agent in the chat, reported when new or changed; true if reported. */
    private boolean agentJoined(Map<String, Object> user, Instant time) {
        String id = Json.text(user, "id");
        if (id == null || !V3Events.isAgent(user) || user.containsKey("present") && !Json.flag(user, "present")) {
            return false;
        }
        AgentCard card = V3Events.card(user);
        if (card.equals(agents.put(id, card))) {
            return false;
        }
        listener.received(new ChatEvent.AgentJoined(time, card));
        return true;
    }

    // --- the RTM socket ---

    /** Logs the customer in over RTM unless a socket is open or opening. */
    private void connect() {
        Object key = new Object();
        synchronized (this) {
            if (released || socketKey != null || chatId == null) {
                return;
            }
            socketKey = key;
            loggedIn = false;
            connectedAt = upstream.now();
        }
        token().whenComplete((customerToken, failure) -> {
            if (failure != null) {
                socketClosed(key, new Rtm.Closed("no token: " + V3Failure.describe(failure), true, V3Failure.of(failure)));
                return;
            }
            Rtm.Socket opened;
            try {
                opened = upstream.rtm().open(customerToken, customerPage(), new SocketEvents(key));
            } catch (RuntimeException e) {
                socketClosed(key, new Rtm.Closed("the client failed: " + e.getClass().getSimpleName(), true, null));
                return;
            }
            boolean stale;
            synchronized (this) {
                stale = socketKey != key;
                if (!stale) {
                    socket = opened;
                }
            }
            if (stale) {
                opened.close();
            }
        });
    }

    private void loggedIn(Object key, Rtm.Socket opened) {
        boolean read;
        boolean stopsPolling;
        synchronized (this) {
            if (socketKey != key) {
                return;
            }
            socket = opened;
            loggedIn = true;
            stopsPolling = fallback;
            fallback = false;
            read = active;
            held = read ? new ArrayList<>() : null;
            if (!read) {
                loginFailures = 0;
            }
        }
        upstream.rtmLoggedIn(true);
        if (stopsPolling) {
            upstream.fallbackPolling(false);
        }
        if (read) {
            reconcile(key, opened, true); // pushes are never repeated: what happened while no socket was logged in is read now
        } else {
            upstream.loginFinished("ok", true, took());
        }
    }

    /**
     * Reads the thread over the socket and merges it, then the pushes held meanwhile: after a
     * login, when a new thread opened, and when a push shows one was lost. The caller has set
     * {@link #held}.
     */
    private void reconcile(Object key, Rtm.Socket over) {
        reconcile(key, over, false);
    }

    /**
     * As above; after a login, the login is told to readiness only once this read answers: a
     * socket that logs in but cannot read the chat does not show the upstream working.
     */
    private void reconcile(Object key, Rtm.Socket over, boolean afterLogin) {
        Map<String, Object> payload;
        Set<String> settles;
        synchronized (this) {
            if (socketKey != key || !active) {
                releaseHeld();
                return;
            }
            payload = Map.of("chat_id", chatId, "thread_id", threadId);
            settles = settleable(); // a send still in doubt when this read begins is not settled by it
        }
        over.request("get_chat", payload).whenComplete((chat, failure) -> {
            synchronized (this) {
                if (socketKey != key) {
                    return;
                }
                if (failure == null) {
                    failures = 0;
                    loginFailures = 0; // only a login whose read worked counts as holding
                    reachable(true);
                    mergeThread(chat);
                    uncertain.keySet().removeAll(settles);
                    releaseHeld();
                } else if (gone(V3Failure.of(failure))) {
                    lost();
                    releaseHeld();
                    return;
                } else {
                    loginFailures++;
                }
            }
            if (afterLogin) {
                upstream.loginFinished(failure == null ? "ok"
                        : "read_" + V3Failure.of(failure).kind().name().toLowerCase(java.util.Locale.ROOT),
                        failure == null, took());
            }
            if (failure != null) {
                log("could not read its chat over RTM: {}", V3Failure.describe(failure));
                over.close(); // logged in again, and read again, by the reconnection
            } else {
                pump();
            }
        });
    }

    private void releaseHeld() {
        List<Push> pushes = held;
        held = null;
        if (pushes != null) {
            pushes.forEach(this::push);
        }
    }

    private void pushed(Object key, Push push) {
        Rtm.Socket over = null;
        synchronized (this) {
            if (socketKey != key) {
                return;
            }
            if (held != null) {
                held.add(push);
                return;
            }
            if (missedBefore(push)) {
                held = new ArrayList<>(List.of(push)); // shown after what was missed, once it is read
                over = socket;
            } else {
                push(push);
            }
        }
        if (over != null) {
            reconcile(key, over);
        } else {
            pump(); // an end or a settled message may let the outbox move
        }
    }

    /** Whether an event pushed is numbered past the next one: a push before it was lost. */
    private boolean missedBefore(Push push) {
        return "incoming_event".equals(push.action()) && active
                && threadId.equals(Json.text(push.payload(), "thread_id"))
                && holeBefore(Json.text(Json.object(push.payload(), "event"), "id"));
    }

    /** One push, under the monitor. */
    private void push(Push push) {
        Map<String, Object> payload = push.payload();
        String pushChat = Json.text(payload, "chat_id");
        boolean ours = chatId != null && chatId.equals(pushChat);
        boolean changed = false;
        switch (push.action()) {
            case "incoming_event":
                if (ours && active && threadId.equals(Json.text(payload, "thread_id"))) {
                    changed = event(Json.object(payload, "event"));
                }
                break;
            case "incoming_chat": {
                Map<String, Object> chat = Json.object(payload, "chat");
                if (chat != null && chatId != null && chatId.equals(Json.text(chat, "id"))) {
                    mergeThread(chat);
                }
                break;
            }
            case "chat_deactivated":
                if (ours && active && (!payload.containsKey("thread_id") || threadId.equals(Json.text(payload, "thread_id")))) {
                    String by = Json.text(payload, "user_id");
                    end(by != null && by.equals(entityId) ? ClosedBy.VISITOR : by == null ? ClosedBy.TIMEOUT : ClosedBy.AGENT,
                            upstream.now());
                }
                break;
            case "user_added_to_chat":
                if (ours && active) {
                    changed = agentJoined(Json.object(payload, "user"), upstream.now());
                }
                break;
            case "user_removed_from_chat": {
                AgentCard left = ours && active ? agents.remove(String.valueOf(Json.text(payload, "user_id"))) : null;
                if (left != null) {
                    listener.received(new ChatEvent.AgentLeft(upstream.now(), left));
                    changed = true;
                }
                break;
            }
            case "incoming_typing_indicator": {
                Map<String, Object> typing = Json.object(payload, "typing_indicator");
                String author = Json.text(typing, "author_id");
                if (ours && active && typing != null && author != null && !author.equals(entityId)) {
                    listener.received(new ChatEvent.Typing(upstream.now(), Json.flag(typing, "is_typing")));
                }
                break;
            }
            case "events_marked_as_seen": {
                String user = Json.text(payload, "user_id");
                Instant upTo = Json.time(payload, "seen_up_to");
                if (ours && active && user != null && !user.equals(entityId) && upTo != null) {
                    listener.received(new ChatEvent.Seen(upstream.now(), upTo));
                }
                break;
            }
            case "queue_position_updated":
            case "chat_transferred": // queued again after a transfer, when it has a queue
                if (ours && active) {
                    queued(Json.object(payload, "queue"));
                }
                break;
            case "incoming_greeting":
                greeted(payload);
                break;
            case "groups_status_updated":
                for (Map<String, Object> group : Json.objects(payload, "groups")) {
                    String status = Json.text(group, "status");
                    Integer id = Json.integer(group, "id");
                    if (status != null) {
                        listener.received(new ChatEvent.Availability(upstream.now(), !"offline".equals(status)));
                        if (id != null) {
                            upstream.groupStatuses().pushed(id, status); // the node's view, fresher than its next read
                        }
                    }
                }
                break;
            default:
                break; // pushes of other kinds say nothing the tabs show
        }
        if (changed) {
            listener.changed();
        }
    }

    private void socketClosed(Object key, Rtm.Closed why) {
        Duration retry;
        boolean poll;
        boolean startsPolling;
        String failedLogin = null;
        synchronized (this) {
            if (socketKey != key) {
                return;
            }
            boolean wasLoggedIn = loggedIn;
            socketKey = null;
            socket = null;
            loggedIn = false;
            held = null;
            if (released) {
                return;
            }
            if (wasLoggedIn) {
                upstream.rtmLoggedIn(false);
            }
            boolean expired = EXPIRED.equals(why.reason()) || REVOKED.equals(why.reason()) || why.loginFailure() != null
                    && why.loginFailure().kind() == V3Failure.Kind.AUTHENTICATION;
            if (expired) {
                token = null; // minted again for the same customer: the visitor notices nothing
            }
            if (!wasLoggedIn) {
                loginFailures++;
                failedLogin = why.loginFailure() == null ? "closed"
                        : why.loginFailure().kind().name().toLowerCase(java.util.Locale.ROOT);
            }
            Instant now = upstream.now();
            if (BANNED.equals(why.reason())) {
                banned = true;
                if (active) {
                    end(ClosedBy.AGENT, now); // the customer was banned: their chat is over, and no socket comes back
                }
            }
            if (expired && wasLoggedIn && lastQuickReconnect.isBefore(now.minus(QUICK_RECONNECT_SPACING))) {
                lastQuickReconnect = now;
                retry = Duration.ZERO; // a token's natural end; should it repeat at once, backoff
            } else if (!why.reconnect()) {
                retry = DONT_RECONNECT_PAUSE; // the upstream said not to: only the Web API reads meanwhile
            } else {
                retry = jittered(backoff(Math.max(1, loginFailures)));
            }
            poll = active && (loginFailures >= FALLBACK_AFTER || !why.reconnect());
            startsPolling = poll && !fallback;
            if (startsPolling) {
                fallback = true;
                log("can hold no RTM socket ({}); reading its chat through the Web API meanwhile", why.reason());
            }
        }
        if (startsPolling) {
            upstream.fallbackPolling(true);
        }
        if (failedLogin != null) {
            upstream.loginFinished(failedLogin, false, took());
        }
        if (poll) {
            readThread();
            pollWhileFallingBack();
        }
        if (!released() && !isBanned()) {
            later(this::connect, retry);
        }
    }

    private synchronized boolean isBanned() {
        return banned;
    }

    /**
     * While no socket holds, the thread is read through the Web API every {@link #FALLBACK_READS},
     * so that events reach the tabs however long the socket stays away.
     */
    private void pollWhileFallingBack() {
        synchronized (this) {
            if (pollScheduled) {
                return;
            }
            pollScheduled = true;
        }
        later(() -> {
            boolean again;
            synchronized (this) {
                pollScheduled = false;
                again = fallback && active && !loggedIn;
            }
            if (again) {
                readThread();
                pollWhileFallingBack();
            }
        }, FALLBACK_READS);
    }

    /** What one socket reports, tagged with the key that tells a current socket from an old one. */
    private final class SocketEvents implements Rtm.Socket.Handler {

        private final Object key;

        SocketEvents(Object key) {
            this.key = key;
        }

        @Override
        public void loggedIn(Rtm.Socket opened) {
            V3Chat.this.loggedIn(key, opened);
        }

        @Override
        public void push(String action, Map<String, Object> payload) {
            pushed(key, new Push(action, payload == null ? Map.of() : payload));
        }

        @Override
        public void closed(Rtm.Closed why) {
            socketClosed(key, why);
        }
    }

    private record Push(String action, Map<String, Object> payload) {
    }

    // --- the end of a chat ---

    /** The thread ended upstream: what was not sent is reported. The socket stays, for the next thread. */
    private void end(ClosedBy by, Instant time) {
        if (!active) {
            return;
        }
        active = false;
        agents.clear();
        listener.ended(by, time);
        reportUnsent();
        listener.changed();
    }

    /** Deactivates the chat upstream, best effort: a few tries, as the upstream ends idle chats itself. */
    /** Completes once the chat is deactivated or the tries are over. */
    private CompletableFuture<Void> deactivate(String closing, int attempt) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        call("deactivate_chat", Map.of("id", closing)).whenComplete((answer, failure) -> {
            if (failure == null) {
                done.complete(null);
                return;
            }
            V3Failure why = V3Failure.of(failure);
            log("could not deactivate its chat: {}", V3Failure.describe(why));
            if ((why.passing() || why.kind() == V3Failure.Kind.AUTHENTICATION) && attempt < 3 && !upstream.stopped()) {
                // not through later(): a released conversation's chat is deactivated all the same
                upstream.scheduler().schedule(() -> deactivate(closing, attempt + 1)
                        .whenComplete((ok, again) -> done.complete(null)), backoff(attempt));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** The page the visitor is on, as the agents are to see it: given at login and on each change. */
    private io.parley.upstream.VisitorPage page;

    private synchronized Map<String, Object> customerPage() {
        if (page == null) {
            return null;
        }
        Map<String, Object> customerPage = new LinkedHashMap<>();
        customerPage.put("url", page.url());
        if (page.title() != null) {
            customerPage.put("title", page.title());
        }
        return customerPage;
    }

    /**
     * The visitor is on another page: kept for the next login ({@code customer_page}), and told
     * now over the socket while one is logged in ({@code update_customer_page}, which is RTM's
     * only: no Web API call is made for it). A visitor without a chat has no socket, so costs nothing.
     */
    @Override
    public void visitorPage(io.parley.upstream.VisitorPage now) {
        Rtm.Socket over;
        synchronized (this) {
            if (released) {
                return;
            }
            page = now;
            over = loggedIn ? socket : null;
        }
        if (over == null) {
            return;
        }
        try {
            over.request("update_customer_page", customerPage()).whenComplete((ok, failure) -> {
                if (failure != null) {
                    LOG.debug("Conversation {}: update_customer_page failed: {}", logId, V3Failure.describe(failure));
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("Conversation {}: update_customer_page could not be sent: {}", logId, e.toString());
        }
    }

    /** A greeting as the upstream knows it: the configured greeting's id and the one sent. Never shown. */
    private record SentGreeting(int greetingId, String uniqueId) {
    }

    /** The greetings reported and not yet answered, by the id the tabs know them by; the newest few. */
    private final Map<String, SentGreeting> greetings = new LinkedHashMap<>(4, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentGreeting> eldest) {
            return size() > 4;
        }
    };

    /**
     * An {@code incoming_greeting} push: reported under an id of this adapter's own (the upstream's
     * ids stay here), with its message's text. It reaches only a customer logged in, that is a
     * visitor who had a chat and whose socket is kept for their next one.
     */
    private void greeted(Map<String, Object> payload) {
        Integer greetingId = Json.integer(payload, "id");
        String uniqueId = Json.text(payload, "unique_id");
        Map<String, Object> event = Json.object(payload, "event");
        if (greetingId == null || uniqueId == null || event == null) {
            return;
        }
        String text = V3Events.fromAgent(event, upstream.now())
                .filter(ChatEvent.Message.class::isInstance).map(message -> ((ChatEvent.Message) message).text())
                .orElse(null);
        if (text == null || text.isBlank()) {
            return;
        }
        String id = "g" + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
        greetings.put(id, new SentGreeting(greetingId, uniqueId));
        Map<String, Object> agent = Json.object(payload, "agent");
        listener.received(new ChatEvent.Greeting(upstream.now(), id, agent == null ? null : V3Events.card(agent), text));
    }

    /**
     * The visitor opened the greeting ({@code accept_greeting}, which marks it seen for the
     * reports) or dismissed it ({@code cancel_greeting}); over the socket while one is logged in.
     * Best effort: one that fails is not tried again.
     */
    @Override
    public void answerGreeting(String id, boolean accepted) {
        SentGreeting sent;
        Rtm.Socket over;
        synchronized (this) {
            sent = released ? null : greetings.remove(id);
            if (sent == null) {
                return;
            }
            over = loggedIn ? socket : null;
        }
        String action = accepted ? "accept_greeting" : "cancel_greeting";
        Map<String, Object> payload = accepted ? Map.of("greeting_id", sent.greetingId(), "unique_id", sent.uniqueId())
                : Map.of("unique_id", sent.uniqueId());
        CompletableFuture<Map<String, Object>> answer;
        try {
            answer = over != null ? over.request(action, payload) : call(action, payload);
        } catch (RuntimeException e) {
            LOG.debug("Conversation {}: {} could not be sent: {}", logId, action, e.toString());
            return;
        }
        answer.whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.debug("Conversation {}: {} failed: {}", logId, action, V3Failure.describe(failure));
            }
        });
    }

    /**
     * The visitor's ratings, one after another: each waits for the one before, so that the last
     * given is the one the thread keeps.
     */
    private CompletableFuture<Void> ratings = CompletableFuture.completedFuture(null);

    /**
     * Rates the thread that ended last as LiveChat's Customer SDK does ({@code rateChat}): the
     * {@code rating} namespace of its thread properties, {@code score} 1 (good) or 0 (bad) and
     * {@code comment} (empty for none, so that a comment given before does not stay); taken back
     * by deleting both, as its {@code cancelRate} does.
     */
    @Override
    public void rate(Rating rating) {
        synchronized (this) {
            if (released || chatId == null || threadId == null) {
                log("has no thread to rate");
                return;
            }
            String chat = chatId;
            String thread = threadId;
            ratings = ratings.thenCompose(done -> rateThread(chat, thread, rating, 1));
        }
    }

    /** Completes once the thread holds the rating or the tries are over. */
    private CompletableFuture<Void> rateThread(String chat, String thread, Rating rating, int attempt) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("chat_id", chat);
        payload.put("thread_id", thread);
        String action;
        if (rating.score() == null) {
            action = "delete_thread_properties";
            payload.put("properties", Map.of("rating", List.of("score", "comment")));
        } else {
            action = "update_thread_properties";
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("score", rating.score() == Rating.Score.GOOD ? 1 : 0);
            values.put("comment", rating.comment() == null ? "" : rating.comment());
            payload.put("properties", Map.of("rating", values));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        call(action, payload).whenComplete((answer, failure) -> {
            if (failure == null) {
                done.complete(null);
                return;
            }
            V3Failure why = V3Failure.of(failure);
            log("could not rate its chat: {}", V3Failure.describe(why));
            if ((why.passing() || why.kind() == V3Failure.Kind.AUTHENTICATION) && attempt < 3 && !upstream.stopped()
                    && !released()) {
                upstream.scheduler().schedule(() -> rateThread(chat, thread, rating, attempt + 1)
                        .whenComplete((ok, again) -> done.complete(null)), backoff(attempt));
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    /** Whether a failure says the chat or customer no longer exists upstream (not that it failed for now). */
    private static boolean gone(V3Failure why) {
        return why.kind() == V3Failure.Kind.NOT_FOUND;
    }

    /** The upstream lost the chat (e.g. it was reset): it ends for the tabs, and the next start begins a new one. */
    private void lost() {
        log("lost its chat upstream (unknown there now)");
        if (active) {
            end(ClosedBy.UPSTREAM, upstream.now());
        }
        chatId = null;
        threadId = null;
        listener.changed();
    }

    // --- pace and reachability ---

    private void failed() {
        failures++;
        if (failures >= UNREACHABLE_AFTER) {
            reachable(false);
        }
    }

    private void reachable(boolean now) {
        if (reachable != now) {
            reachable = now;
            listener.reachable(now);
        }
    }

    private synchronized boolean released() {
        return released;
    }

    /** Runs the task after the delay on the adapter's scheduler, unless the chat is released by then. */
    private void later(Runnable task, Duration delay) {
        synchronized (this) {
            if (released || upstream.stopped()) {
                return;
            }
        }
        upstream.scheduler().schedule(() -> {
            if (!released()) {
                task.run();
            }
        }, delay);
    }

    private void log(String format, Object... arguments) {
        if (LOG.isInfoEnabled()) {
            Object[] all = new Object[arguments.length + 1];
            all[0] = logId;
            System.arraycopy(arguments, 0, all, 1, arguments.length);
            ConversationLog.run(logId, () -> LOG.info("Conversation {} " + format, all));
        }
    }

    private synchronized Duration took() {
        return connectedAt == null ? Duration.ZERO : Duration.between(connectedAt, upstream.now());
    }

    /** A refused token is minted again and the call made at once, the first time; after that, with backoff. */
    private Duration atOnceOnce(V3Failure why) {
        return why.kind() == V3Failure.Kind.AUTHENTICATION && failures <= 1 ? Duration.ZERO : backoff(failures);
    }

    static Duration backoff(int failures) {
        long millis = 500L << Math.min(Math.max(failures, 1) - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    /** Spread reconnections, so that many chats cut off at once do not log in again at once. */
    private Duration jittered(Duration delay) {
        return delay.plusMillis(upstream.random().nextInt((int) Math.max(1, delay.toMillis() / 2)));
    }

    @Override
    public String toString() {
        return "V3Chat[" + logId + "]";
    }
}
