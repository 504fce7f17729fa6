package io.parley.relay;

import io.parley.limits.AbuseLimits;
import io.parley.limits.Refusals;
import io.parley.relay.poll.PollSchedule;
import io.parley.relay.poll.TaskScheduler;
import io.parley.relay.poll.UpstreamPoller;
import io.parley.settings.Settings;
import io.parley.upstream.ChatStart;
import io.parley.upstream.UpstreamClient;
import io.parley.upstream.UpstreamSession;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What tabs can do: say hello (and resume), start a chat, send, close, leave. One conversation
 * per visitor token however many tabs it has; each change happens under the conversation's lock
 * and reaches every tab in order. Conversations whose tabs have all been gone for the grace
 * period are closed upstream and dropped.
 *
 * <p>A visitor costs nothing durable until they start a chat: until then their conversation
 * holds only their tabs, is neither registered, counted against {@code max-conversations} nor
 * stored, and is forgotten shortly after its last tab has gone (tabs that lose their connection
 * together come back to it, not to a new visitor each). Starting a chat registers it.
 *
 * <p>Input is expected validated by the caller (lengths, types); the relay enforces state:
 * no send without a chat, no second start, tabs per visitor, conversations per node.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    /** How long a tab waits before sending again a message that could not be saved. */
    static final Duration NOT_SAVED_RETRY = Duration.ofSeconds(5);

    /** How long a tab refused as {@code busy} waits before it comes back. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(30);

    /**
     * How long a visitor who has not started a chat is remembered after their last tab left (at
     * most the grace period): long enough for tabs that all lost their connection at once to
     * come back to the same visitor.
     */
    static final Duration UNSTARTED_LINGER = Duration.ofMinutes(1);

    /** Most visitors without a chat remembered with no tab at once; beyond, one is forgotten at once. */
    static final int MAX_LINGERING = 10_000;

    private final Settings settings;
    private final ConversationRegistry registry;
    private final TaskScheduler scheduler;
    private final UpstreamPoller poller;
    private final UpstreamBridge bridge;
    private final ConversationPersistence persistence;
    private final AbuseLimits limits;
    /** Conversations of visitors who have not started a chat, by key, held only while they have tabs. */
    private final Map<String, Conversation> unstarted = new ConcurrentHashMap<>();
    /** Of those, how many have no tab now. */
    private final AtomicInteger lingering = new AtomicInteger();
    private final AtomicInteger attachedTabs = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean closed;

    public Relay(Settings settings, UpstreamClient upstream, ConversationRegistry registry, TaskScheduler scheduler,
            Random random) {
        this(settings, upstream, registry, ConversationStore.none(), scheduler, random);
    }

    /** A relay that keeps its conversations in {@code store} and resumes those it holds. */
    public Relay(Settings settings, UpstreamClient upstream, ConversationRegistry registry, ConversationStore store,
            TaskScheduler scheduler, Random random) {
        this(settings, upstream, registry, store, scheduler, random, RelayObserver.NONE);
    }

    /** A relay that also reports what it does to {@code observer}. */
    public Relay(Settings settings, UpstreamClient upstream, ConversationRegistry registry, ConversationStore store,
            TaskScheduler scheduler, Random random, RelayObserver observer) {
        this.settings = settings;
        this.registry = registry;
        this.scheduler = scheduler;
        this.persistence = new ConversationPersistence(store, scheduler::now, this::written);
        this.limits = new AbuseLimits(settings, () -> scheduler.now().toEpochMilli(), observer::rateLimited,
                observer::refused);
        this.poller = new UpstreamPoller(scheduler, PollSchedule.of(settings), settings.pollsInFlight(), random,
                observer::pollStarted);
        this.bridge = new UpstreamBridge(upstream, poller, scheduler, settings, persistence, observer);
        restore(store);
        scheduler.schedule(this::sweep, sweepInterval());
    }

    /**
     * Takes back the stored conversations: open chats are polled at once with the session they
     * had (no new start), a start in progress is made again, and each waits the grace period
     * for its tabs to come back.
     */
    private void restore(ConversationStore store) {
        Instant now = scheduler.now();
        int open = 0;
        int restored = 0;
        for (StoredConversation stored : store.loadAll()) {
            Conversation c;
            try {
                c = ConversationRecords.restore(stored, now);
            } catch (RuntimeException e) {
                LOG.error("Conversation {} could not be restored and is set aside: {}", stored.logId(),
                        e.getMessage());
                store.setAside(stored.key());
                continue;
            }
            c.pollTarget = pollTarget(c);
            c.registered = true;
            registry.add(c);
            restored++;
            if (c.state.open()) {
                open++;
                poller.track(c.pollTarget, Duration.ZERO);
            } else if (c.state == ConversationState.STARTING) {
                // Not started again until the visitor is back: a store that lost its last saves
                // (a truncated file) may hold a start the visitor has since given up.
                c.startAwaitsTab = true;
            }
        }
        if (restored > 0) {
            LOG.info("Restored {} conversations from the store, {} with an open chat", restored, open);
        }
    }

    /**
     * Attaches a tab: to the conversation of this token, or to a new one if the token is absent,
     * unknown, or was issued to another site or through a handshake from another origin. The tab
     * gets a welcome with the events after {@code lastSeq}; empty when refused (the tab was told
     * why and is being ended).
     *
     * @param origin       the site the tab says it is embedded in, lower case; null for the chat page on its own
     * @param socketOrigin the {@code Origin} of the WebSocket handshake, lower case; empty when none was sent
     */
    public Optional<Conversation> hello(Tab tab, String token, long lastSeq, String origin, String socketOrigin) {
        if (!accepting) {
            tab.disconnect(); // the server is stopping: the tab comes back, here once restarted or elsewhere
            return Optional.empty();
        }
        // A token is bound to where it was issued: elsewhere it is as good as unknown.
        Optional<Conversation> known = find(token).filter(c -> c.issuedTo(origin, socketOrigin));
        if (known.isPresent()) {
            Conversation c = known.get();
            synchronized (c) {
                if (!c.removed) {
                    c.token = token;
                    return attach(tab, c, lastSeq) ? known : Optional.empty();
                }
            }
        }
        Conversation c = Conversation.create(origin, socketOrigin);
        c.pollTarget = pollTarget(c);
        synchronized (c) {
            unstarted.put(c.key(), c);
            c.tabs.add(tab);
            attachedTabs.incrementAndGet();
            // A token the server does not know (any more) means the tab's transcript is stale: start over.
            tab.deliver(new TabMessage.Welcome(c.token, c.status(), 0, token != null, List.of()));
        }
        return Optional.of(c);
    }

    /**
     * Looks among the unstarted first: a start adds its conversation to the registry before it
     * leaves them, so a lookup racing with it finds it in one or the other.
     */
    private Optional<Conversation> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Conversation waiting = unstarted.get(VisitorTokens.key(token));
        return waiting != null ? Optional.of(waiting) : registry.find(token);
    }

    private boolean attach(Tab tab, Conversation c, long lastSeq) {
        if (c.tabs.size() >= settings.maxTabsPerVisitor()) {
            tab.end(new TabMessage.Error(ErrorCode.TOO_MANY_TABS,
                    "The chat is open in too many tabs. Please close one and reload."));
            return false;
        }
        c.tabs.add(tab);
        attachedTabs.incrementAndGet();
        if (c.lingering) {
            c.lingering = false;
            lingering.decrementAndGet();
        }
        c.lastTabLeftAt = null;
        boolean rolledBack = lastSeq > c.log.lastSeq();
        if (rolledBack) {
            LOG.warn("Conversation {} was restored from an older save: a tab had seen {} events, the store kept {}",
                    c.logId(), lastSeq, c.log.lastSeq());
        }
        List<VisitorSends.Send> notStarted = List.of();
        if (c.startAwaitsTab) {
            c.startAwaitsTab = false;
            if (rolledBack) {
                // What the visitor did after this start was lost: do not start a chat for them again.
                LOG.warn("Conversation {}: the start it was making is not made again", c.logId());
                notStarted = c.sends.abandon();
                c.state = ConversationState.IDLE;
                c.dirty = true;
            } else {
                bridge.start(c);
            }
        }
        boolean diff = c.log.holdsAfter(lastSeq);
        tab.deliver(new TabMessage.Welcome(c.token, c.status(), c.log.lastSeq(), !diff,
                diff ? c.log.after(lastSeq) : c.log.all()));
        for (VisitorSends.Send send : notStarted) {
            tab.deliver(new TabMessage.Error(ErrorCode.START_FAILED, "The chat could not be started. Please try again.",
                    send.clientId));
        }
        return true;
    }

    /** Starts a chat with the visitor's first message, which is acknowledged like any send. */
    public void start(Tab tab, Conversation c, String clientId, String text, String name, String email,
            OptionalInt group, String clientIp) {
        synchronized (c) {
            if (c.removed) {
                return; // its last tab left while this frame was on its way: nobody to start for
            }
            Optional<Long> accepted = c.sends.acceptedAs(clientId);
            if (accepted.isPresent()) {
                acknowledgeOnceSaved(tab, c, clientId, accepted.get());
                return;
            }
            if (c.state == ConversationState.BANNED) {
                tab.deliver(new TabMessage.Error(ErrorCode.BANNED, "You cannot start a chat.", clientId));
                return;
            }
            if (c.state != ConversationState.IDLE && c.state != ConversationState.CLOSED) {
                tab.deliver(new TabMessage.Error(ErrorCode.ALREADY_STARTED, "A chat is already open.", clientId));
                return;
            }
            if (!c.registered && registry.size() >= settings.maxConversations()) {
                limits.refusals().refused(Refusals.Reason.BUSY);
                // The tab comes back later and sends the message again, with the same id.
                tab.end(new TabMessage.Error(ErrorCode.BUSY, "Chat is very busy right now. Please try again in a minute.",
                        clientId, BUSY_RETRY));
                return;
            }
            Optional<Duration> wait = limits.chatStart(c.key(), clientIp);
            if (wait.isPresent()) {
                tab.deliver(rateLimited("Too many chats started. Please try again later.", clientId, wait.get()));
                return;
            }
            if (!c.registered) {
                c.registered = true;
                registry.add(c);
                unstarted.remove(c.key(), c);
            }
            c.startRequest = new ChatStart(settings.welcomeMessage(), name, email, group);
            c.state = ConversationState.STARTING;
            c.closedBy = null;
            c.agent = null;
            c.failures = 0;
            c.lastActivity = scheduler.now();
            c.broadcastStatus();
            accept(tab, c, clientId, text);
        }
    }

    /** Sends a visitor's message; a repeated client id is acknowledged again and not sent again. */
    public void send(Tab tab, Conversation c, String clientId, String text) {
        synchronized (c) {
            Optional<Long> accepted = c.sends.acceptedAs(clientId);
            if (accepted.isPresent()) {
                acknowledgeOnceSaved(tab, c, clientId, accepted.get());
                return;
            }
            if (c.state != ConversationState.STARTING && !c.state.open()) {
                tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to send to.", clientId));
                return;
            }
            Optional<Duration> wait = limits.message(c.key());
            if (wait.isPresent()) {
                tab.deliver(rateLimited("Too many messages. Please wait a moment.", clientId, wait.get()));
                return;
            }
            c.lastActivity = scheduler.now();
            accept(tab, c, clientId, text);
            poller.hurry(c.pollTarget, settings.pollFastInterval());
        }
    }

    /**
     * Shows the message in every tab at once and queues it for the upstream; once it is saved, it
     * is acknowledged and may go (a start is made then too).
     */
    private void accept(Tab tab, Conversation c, String clientId, String text) {
        Instant now = scheduler.now();
        RelayEvent said = c.append(seq -> new RelayEvent.Said(seq, now, "visitor", text, clientId));
        c.sends.enqueue(clientId, text, said.seq());
        acknowledgeOnceSaved(tab, c, clientId, said.seq());
    }

    /**
     * Acknowledges a message once it is written, then lets it go upstream; while the store fails,
     * the tab is told to send it again later (with the same id, so that it is not taken twice)
     * and keeps it meanwhile. Only a written message goes upstream: a crash cannot send it twice.
     */
    private void acknowledgeOnceSaved(Tab tab, Conversation c, String clientId, long seq) {
        persistence.afterSave(c, written -> {
            if (!written) {
                tab.deliver(new TabMessage.Error(ErrorCode.NOT_SAVED,
                        "The message could not be saved yet; it will be sent again.", clientId, NOT_SAVED_RETRY));
                return;
            }
            tab.deliver(new TabMessage.Ack(clientId, seq));
            written(c);
        });
    }

    /** What a write lets go: a start, and the visitor's messages now saved. */
    private void written(Conversation c) {
        bridge.start(c);
        bridge.pumpSends(c);
    }

    /** The visitor ends the chat. */
    public void close(Tab tab, Conversation c) {
        UpstreamSession session;
        synchronized (c) {
            if (c.state != ConversationState.STARTING && !c.state.open()) {
                tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to close."));
                return;
            }
            session = c.session;
            bridge.end(c, ClosedBy.VISITOR);
            persistence.save(c);
        }
        if (session != null) {
            bridge.closeUpstream(c, session);
        }
    }

    /** The tab is gone; the conversation lives on for the grace period. */
    public void detach(Tab tab, Conversation c) {
        synchronized (c) {
            if (c.tabs.remove(tab)) {
                attachedTabs.decrementAndGet();
                if (c.tabs.isEmpty()) {
                    c.lastTabLeftAt = scheduler.now();
                    if (!c.registered) {
                        if (lingering.incrementAndGet() <= MAX_LINGERING) {
                            c.lingering = true;
                        } else {
                            lingering.decrementAndGet();
                            forget(c);
                        }
                    }
                }
            }
        }
    }

    /** Forgets a conversation that never started a chat; under its lock. */
    private void forget(Conversation c) {
        if (c.lingering) {
            c.lingering = false;
            lingering.decrementAndGet();
        }
        c.removed = true;
        unstarted.remove(c.key(), c);
    }

    /** Conversations this node holds: those of visitors who started a chat, open or not. */
    public int conversations() {
        return registry.size();
    }

    /** Visitors with tabs here who have not started a chat. */
    public int visitorsWithoutChat() {
        return unstarted.size();
    }

    /**
     * Open chats the upstream cannot be polled for now (their tabs have been told): failing
     * calls, or answers that cannot be read.
     */
    public int unreachableChats() {
        int unreachable = 0;
        for (Conversation c : registry.all()) {
            synchronized (c) {
                if (c.state.open() && !c.reachable) {
                    unreachable++;
                }
            }
        }
        return unreachable;
    }

    /** Why conversations cannot be saved now, while they cannot. */
    public Optional<String> storeFailure() {
        return persistence.failure();
    }

    /** Tabs attached to a conversation now. */
    public int tabs() {
        return attachedTabs.get();
    }

    /** False once the server has begun to stop. */
    public boolean accepting() {
        return accepting;
    }

    /**
     * The first step of a graceful stop: no more tabs are taken (a tab that says hello is
     * disconnected, to come back later), every tab is disconnected, and no more polls are made.
     * Visitors' messages already accepted are still sent; {@link #close()} then saves what is left.
     */
    public void stopAccepting() {
        accepting = false;
        poller.stop();
        disconnectAll();
    }

    private static TabMessage.Error rateLimited(String message, String clientId, Duration wait) {
        return new TabMessage.Error(ErrorCode.RATE_LIMITED, message, clientId, wait);
    }

    /** The limits on chat starts, messages and connections. */
    public AbuseLimits limits() {
        return limits;
    }

    /** The poller, for what it can tell of the polls. */
    public UpstreamPoller poller() {
        return poller;
    }

    private UpstreamPoller.Target pollTarget(Conversation c) {
        return new UpstreamPoller.Target() {
            @Override
            public CompletableFuture<?> pollOnce() {
                return bridge.poll(c);
            }

            @Override
            public PollSchedule.Activity activity() {
                synchronized (c) {
                    return c.activity();
                }
            }
        };
    }

    /** Closes and drops the conversations whose tabs have all been gone for the grace period. */
    void sweep() {
        if (closed) {
            return;
        }
        try {
            Instant now = scheduler.now();
            Instant expiry = now.minus(settings.gracePeriod());
            for (Conversation c : registry.all()) {
                expireIfAbandoned(c, expiry);
            }
            Instant forgotten = now.minus(min(UNSTARTED_LINGER, settings.gracePeriod()));
            for (Conversation c : unstarted.values()) {
                synchronized (c) {
                    if (c.lingering && !c.lastTabLeftAt.isAfter(forgotten)) {
                        forget(c);
                    }
                }
            }
            limits.refusals().flush();
            bridge.flushLogs();
        } finally {
            scheduler.schedule(this::sweep, sweepInterval()); // whatever happened, keep sweeping
        }
    }

    private void expireIfAbandoned(Conversation c, Instant expiry) {
        ConversationLog.run(c, () -> expire(c, expiry));
    }

    private void expire(Conversation c, Instant expiry) {
        UpstreamSession session = null;
        synchronized (c) {
            if (!c.tabs.isEmpty() || c.lastTabLeftAt == null || c.lastTabLeftAt.isAfter(expiry)) {
                return;
            }
            if (c.state.open() || c.state == ConversationState.STARTING) {
                session = c.session;
                bridge.end(c, ClosedBy.VISITOR);
                LOG.info("Conversation {}: no tab for {}, chat closed", c.logId(), settings.gracePeriod());
            }
            c.removed = true;
            registry.remove(c);
            persistence.delete(c);
        }
        if (session != null) {
            bridge.closeUpstream(c, session);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private Duration sweepInterval() {
        long quarter = settings.gracePeriod().toMillis() / 4;
        return Duration.ofMillis(Math.max(50, Math.min(1000, quarter)));
    }

    /** Disconnects every tab, e.g. before the server stops; each reconnects and resumes where it was. */
    public void disconnectAll() {
        List<Conversation> all = new ArrayList<>(registry.all());
        all.addAll(unstarted.values());
        for (Conversation c : all) {
            List<Tab> tabs;
            synchronized (c) {
                tabs = List.copyOf(c.tabs);
            }
            tabs.forEach(Tab::disconnect); // outside the lock: closing calls back to detach
        }
    }

    /**
     * Stops: every tab is disconnected (each will resume where it was, on this server once it is
     * back or on another), and what waits to be written, or failed to be, is written now.
     */
    @Override
    public void close() {
        closed = true;
        disconnectAll();
        for (Conversation c : registry.all()) {
            synchronized (c) {
                persistence.save(c);
            }
        }
        persistence.close(); // writes what is pending on this thread
    }
}
