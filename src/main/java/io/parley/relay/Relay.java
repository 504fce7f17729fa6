package io.parley.relay;

import io.parley.limits.AbuseLimits;
import io.parley.limits.Refusals;
import io.parley.logs.ConversationLog;
import io.parley.settings.Settings;
import io.parley.tasks.TaskScheduler;
import io.parley.upstream.Attachment;
import io.parley.upstream.Capability;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ChatStart;
import io.parley.upstream.ClosedBy;
import io.parley.upstream.OfflineMessage;
import io.parley.upstream.Upstream;
import io.parley.upstream.UpstreamChat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's shell around its {@link Conversation}s: tabs say hello and get a {@link TabHandle}
 * to their visitor's conversation (one however many tabs it has); each conversation decides under
 * its own lock, and the relay then carries out what it decided ({@link Effects}): upstream calls,
 * writes, acknowledgements. What the upstream reports reaches the conversation the same way.
 * Conversations whose tabs have all been gone for the grace period are closed upstream and dropped.
 *
 * <p>A visitor costs nothing durable until they start a chat: until then their conversation
 * holds only their tabs, is neither registered, counted against {@code max-conversations} nor
 * stored, and is forgotten shortly after its last tab has gone (tabs that lose their connection
 * together come back to it, not to a new visitor each). Starting a chat registers it.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

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

    /** What a relay works with; each is built by the node's wiring. */
    public record Parts(Settings settings, Upstream upstream, ConversationStore store, TaskScheduler scheduler,
            AbuseLimits limits, RelayObserver observer, Ownership ownership, ConversationRegistry registry) {
    }

    private final Settings settings;
    private final Upstream upstream;
    private final ConversationRegistry registry;
    private final TaskScheduler scheduler;
    private final ConversationPersistence persistence;
    private final AbuseLimits limits;
    private final RelayObserver observer;
    private final Ownership ownership;
    /** Whether conversations are written: then their events reach tabs once written. */
    private final boolean keeps;
    /** What the upstream can do beyond messages, as tabs are told it. */
    private final List<String> capabilities;
    /** Conversations of visitors who have not started a chat, by key, held only while they have tabs. */
    private final Map<String, Conversation> unstarted = new ConcurrentHashMap<>();
    /** Of those, how many have no tab now. */
    private final AtomicInteger lingering = new AtomicInteger();
    private final AtomicInteger attachedTabs = new AtomicInteger();
    /** Whether tabs are told if anyone can chat ({@link Capability#AVAILABILITY}). */
    private final boolean availability;
    /** Whether the upstream takes ratings of chats ({@link Capability#RATING}). */
    private final boolean rating;
    /** The tabs attached, with their group and what they were last told of its availability. */
    private final Map<Tab, Watch> watched = new ConcurrentHashMap<>();

    /** A tab's group, and whether it was last told someone is online (null: told nothing). */
    private static final class Watch {
        final OptionalInt group;
        Boolean told; // guarded by the relay's watched map's lock in availabilityChanged

        Watch(OptionalInt group, Boolean told) {
            this.group = group;
            this.told = told;
        }
    }
    /** The conversation of each file shared, by Parley's id for it: what the files endpoint serves by. */
    private final Map<String, Conversation> files = new ConcurrentHashMap<>();
    private volatile boolean accepting = true;
    private volatile boolean closed;

    /** A relay that keeps its conversations in the store and takes back those it holds. */
    public Relay(Parts parts) {
        this.settings = parts.settings();
        this.upstream = parts.upstream();
        this.registry = parts.registry();
        this.scheduler = parts.scheduler();
        this.limits = parts.limits();
        this.observer = parts.observer();
        this.ownership = parts.ownership();
        this.keeps = parts.store().keeps();
        this.capabilities = upstream.capabilities().stream().map(Capability::label).sorted().toList();
        this.availability = upstream.capabilities().contains(Capability.AVAILABILITY);
        this.rating = upstream.capabilities().contains(Capability.RATING);
        if (availability) {
            upstream.onAvailabilityChange(this::availabilityChanged);
        }
        this.persistence = new ConversationPersistence(parts.store(), scheduler::now, this::written, this::letGo);
        restore(parts.store());
        scheduler.schedule(this::sweep, sweepInterval());
    }

    /**
     * Takes back the stored conversations: open chats are driven again with the session they
     * had (no new start), a start in progress is made again once a tab of the visitor is back,
     * and each waits the grace period for its tabs to come back.
     */
    private void restore(ConversationStore store) {
        int open = 0;
        int restored = 0;
        for (StoredConversation stored : store.loadAll()) {
            Optional<Conversation> c = adopt(stored);
            if (c.isPresent()) {
                restored++;
                open += c.get().state().open() ? 1 : 0;
            }
        }
        if (restored > 0) {
            LOG.info("Restored {} conversations from the store, {} with an open chat", restored, open);
        }
    }

    /**
     * Drives a stored conversation from here: one this node kept before a restart, or one another
     * node drove until it failed or handed it over. Its open chat goes on with the session it had
     * (no new start), a start in progress is made again once a tab of the visitor is back, and it
     * waits the grace period for its tabs. Empty, and the record set aside, if it cannot be read.
     */
    public Optional<Conversation> adopt(StoredConversation stored) {
        Conversation c;
        try {
            c = Conversation.restore(stored, scheduler.now());
            if (keeps) {
                c.showWritten();
            }
            c.bind(upstream.chat(c.logId(), stored.upstream(), new UpstreamEvents(c)));
        } catch (RuntimeException e) {
            LOG.error("Conversation {} could not be restored and is set aside: {}", stored.logId(), e.getMessage());
            persistence.setAside(stored.key());
            return Optional.empty();
        }
        registry.add(c);
        c.fileIds().forEach(id -> files.put(id, c));
        drive(c, c::resumed);
        return Optional.of(c);
    }

    /**
     * Another node drives this conversation now: it is forgotten here, without closing its chat
     * upstream or touching its record, and its tabs here are disconnected, to come back to the
     * node that drives it.
     */
    void letGo(Conversation c) {
        List<Tab> tabs;
        synchronized (c.driving()) {
            if (c.removed()) {
                return;
            }
            tabs = c.handOver();
            registry.remove(c);
            files.values().removeIf(c::equals);
            UpstreamChat chat = c.chat();
            if (chat != null) {
                chat.release();
            }
        }
        LOG.info("Conversation {} is driven by another node now; its {} tabs here are sent there", c.logId(),
                tabs.size());
        tabs.forEach(Tab::disconnect); // outside the lock: closing calls back to detach
    }

    /** Lets go of the conversation with this key, if held here (see {@link #letGo(Conversation)}). */
    public void letGo(String key) {
        registry.findByKey(key).ifPresent(this::letGo);
    }

    /** Whether the conversation with this key is held here. */
    public boolean holds(String key) {
        return registry.findByKey(key).isPresent();
    }

    /** The keys of the conversations held here. */
    public Set<String> heldKeys() {
        Set<String> keys = new HashSet<>();
        registry.all().forEach(c -> keys.add(c.key()));
        return keys;
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
    public Optional<TabHandle> hello(Tab tab, String token, long lastSeq, String origin, String socketOrigin) {
        return hello(tab, token, lastSeq, origin, socketOrigin, OptionalInt.empty());
    }

    /**
     * As above, for a tab that chats with this group (empty: the default one): its welcome says
     * whether anyone there can chat now, and it is told when that changes.
     */
    public Optional<TabHandle> hello(Tab tab, String token, long lastSeq, String origin, String socketOrigin,
            OptionalInt group) {
        Boolean online = availability ? upstream.online(group).orElse(null) : null;
        Optional<TabHandle> handle = attach(tab, token, lastSeq, origin, socketOrigin, online);
        if (handle.isPresent() && availability) {
            synchronized (watched) {
                // a change told while the welcome was being made is told now
                Watch watch = new Watch(group, online);
                watched.put(tab, watch);
                Boolean now = upstream.online(group).orElse(null);
                if (now != null && !now.equals(online)) {
                    watch.told = now;
                    tab.deliver(new TabMessage.Availability(now));
                }
            }
        }
        return handle;
    }

    private Optional<TabHandle> attach(Tab tab, String token, long lastSeq, String origin, String socketOrigin,
            Boolean online) {
        if (!accepting) {
            tab.disconnect(); // the server is stopping: the tab comes back, here once restarted or elsewhere
            return Optional.empty();
        }
        // A token is bound to where it was issued: elsewhere it is as good as unknown.
        Optional<Conversation> known = find(token).filter(c -> c.issuedTo(origin, socketOrigin));
        if (known.isPresent()) {
            Conversation c = known.get();
            synchronized (c.driving()) {
                Effects effects = Effects.none();
                boolean drives = ownership.drivesHere(c.key());
                switch (c.attach(tab, token, lastSeq, settings.maxTabsPerVisitor(), capabilities, online, drives,
                        effects)) {
                    case ATTACHED_AGAIN:
                        lingering.decrementAndGet();
                        return attached(tab, c, effects, drives);
                    case ATTACHED:
                        return attached(tab, c, effects, drives);
                    case REFUSED:
                        return Optional.empty();
                    default:
                        break; // forgotten meanwhile: a new conversation
                }
            }
        }
        Conversation c = Conversation.create(origin, socketOrigin, ownership::drivesHere);
        if (keeps) {
            c.showWritten();
        }
        unstarted.put(c.key(), c);
        attachedTabs.incrementAndGet();
        c.attachFirst(tab, token != null, capabilities, online);
        return Optional.of(new TabHandle(this, tab, c));
    }

    private Optional<TabHandle> attached(Tab tab, Conversation c, Effects effects, boolean drives) {
        attachedTabs.incrementAndGet();
        c.tellSignals(tab, scheduler.now());
        carryOut(c, effects, drives);
        return Optional.of(new TabHandle(this, tab, c));
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

    void start(Tab tab, Conversation c, String clientId, String text, String name, String email, OptionalInt group,
            String clientIp) {
        ChatStart request = new ChatStart(settings.welcomeMessage(), name, email, group);
        drive(c, drives -> c.start(tab, clientId, text, request, scheduler.now(), startGate(clientId, clientIp)));
    }

    /** The node's limits on starting a chat, or leaving a message, which costs as much upstream. */
    private Conversation.StartGate startGate(String clientId, String clientIp) {
        return new Conversation.StartGate() {
            @Override
            public Optional<Conversation.Refusal> admit(Conversation starting) {
                if (!starting.registered() && registry.sizeEverywhere() >= settings.maxConversations()) {
                    limits.refusals().refused(Refusals.Reason.BUSY);
                    // The tab comes back later and sends the message again, with the same id.
                    return Optional.of(new Conversation.Refusal(new TabMessage.Error(ErrorCode.BUSY,
                            "Chat is very busy right now. Please try again in a minute.", clientId, BUSY_RETRY), true));
                }
                return limits.chatStart(starting.key(), clientIp).map(wait -> new Conversation.Refusal(
                        new TabMessage.Error(ErrorCode.RATE_LIMITED, "Too many chats started. Please try again later.",
                                clientId, wait), false));
            }

            @Override
            public void register(Conversation starting) {
                starting.bind(upstream.chat(starting.logId(), null, new UpstreamEvents(starting)));
                registry.add(starting);
                unstarted.remove(starting.key(), starting);
            }
        };
    }

    /** Tells each tab whose group's availability changed, once per change; the upstream asked once per group. */
    private void availabilityChanged() {
        Map<OptionalInt, Optional<Boolean>> byGroup = new java.util.HashMap<>();
        synchronized (watched) {
            watched.forEach((tab, watch) -> {
                Boolean now = byGroup.computeIfAbsent(watch.group, upstream::online).orElse(null);
                if (now != null && !now.equals(watch.told)) {
                    watch.told = now;
                    tab.deliver(new TabMessage.Availability(now));
                }
            });
        }
    }

    void leaveMessage(Tab tab, Conversation c, OfflineMessage message, String clientIp) {
        if (!availability) {
            // an upstream that cannot tell who is online takes no message for later either
            tab.deliver(new TabMessage.Error(ErrorCode.UNKNOWN_TYPE, "This chat takes no messages for later.",
                    message.clientId()));
            return;
        }
        drive(c, drives -> c.leaveMessage(tab, message, startGate(message.clientId(), clientIp)));
    }

    void rate(Tab tab, Conversation c, io.parley.upstream.Rating given) {
        if (!rating) {
            tab.deliver(new TabMessage.Error(ErrorCode.UNKNOWN_TYPE, "This chat takes no ratings."));
            return;
        }
        drive(c, drives -> c.rate(tab, given, scheduler.now()));
    }

    /**
     * The page a tab of the visitor is on, as the tab gave it (checked already): shared as the
     * {@code share-visitor-page} setting allows, never with its fragment.
     */
    void visitorPage(Conversation c, String url, String title) {
        String shared = switch (settings.shareVisitorPage()) {
            case "off" -> null;
            case "full" -> url;
            default -> url.replaceFirst("[?].*$", "");
        };
        if (shared != null) {
            io.parley.upstream.VisitorPage page = new io.parley.upstream.VisitorPage(shared, title);
            drive(c, drives -> c.visitorPage(page));
        }
    }

    void answerGreeting(Conversation c, String id, boolean accepted) {
        drive(c, drives -> c.answerGreeting(id, accepted));
    }

    void send(Tab tab, Conversation c, String clientId, String text) {
        drive(c, drives -> c.send(tab, clientId, text, scheduler.now(), () -> limits.message(c.key())));
    }

    void typing(Conversation c, String draft) {
        drive(c, drives -> c.typing(draft, scheduler.now()));
    }

    void seen(Conversation c, long seq) {
        drive(c, drives -> c.seen(seq, scheduler.now()));
    }

    void close(Tab tab, Conversation c) {
        drive(c, drives -> c.close(tab, scheduler.now()));
    }

    void postback(Tab tab, Conversation c, long seq, int element, int button) {
        drive(c, drives -> c.postback(tab, seq, element, button, () -> limits.message(c.key())));
    }

    /**
     * A file of the visitor's, checked and spooled, for the conversation of this token: told to
     * {@code answer} as a tab would be (an ack once saved, or an error). False, and the file
     * deleted, when the token is not known here, or was issued to another site or through
     * another origin; the answer is then told nothing.
     *
     * @param origin        the site the page is embedded in, lower case; null for the chat page on its own
     * @param requestOrigin the request's {@code Origin}, lower case; empty when none was sent
     */
    public boolean upload(String token, String origin, String requestOrigin, String clientId, Attachment file,
            Tab answer) {
        Optional<Conversation> known = find(token).filter(c -> c.issuedTo(origin, requestOrigin));
        if (known.isEmpty() || !accepting) {
            delete(file.path());
            return false;
        }
        Conversation c = known.get();
        String fileId = fileIdFor(c);
        files.put(fileId, c);
        drive(c, drives -> c.sendFile(answer, clientId, fileId, file, scheduler.now(), () -> limits.message(c.key())));
        return true;
    }

    /** Whether a file may be uploaded with this token from this site and origin (see {@link #upload}), checked before its bytes are read. */
    public boolean acceptsUpload(String token, String origin, String requestOrigin) {
        return accepting && find(token).filter(c -> c.issuedTo(origin, requestOrigin)).isPresent();
    }

    /** Most ids drawn for a file before one found with its conversation is given up on (271 partitions: a few hundred). */
    private static final int FILE_ID_TRIES = 8192;

    /** A new id for a file of this conversation, found where the conversation is (see {@link Ownership#togetherWith}). */
    private String fileIdFor(Conversation c) {
        return VisitorTokens.drawn(VisitorTokens::newFileId, ownership.togetherWith(c.key()), FILE_ID_TRIES);
    }

    /** A file shared in a conversation held here, by Parley's id for it. */
    public Optional<Conversation.SharedFile> file(String fileId) {
        int dot = fileId.indexOf('.');
        Conversation c = files.get(dot < 0 ? fileId : fileId.substring(0, dot));
        return c == null || c.removed() ? Optional.empty() : c.file(fileId);
    }

    /** Where the visitor's files still on their way upstream are spooled: what a sweep of the spool keeps. */
    public Set<Path> spooledFiles() {
        Set<Path> paths = new HashSet<>();
        registry.all().forEach(c -> paths.addAll(c.spooled()));
        return paths;
    }

    private static void delete(Path path) {
        if (path == null) {
            return;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException | UncheckedIOException | SecurityException e) {
            LOG.debug("A spooled file could not be deleted (the spool's sweep will): {}", e.toString());
        }
    }

    void detach(Tab tab, Conversation c) {
        watched.remove(tab);
        Conversation.Detached detached = c.detach(tab, scheduler.now());
        if (detached == Conversation.Detached.NOT_ATTACHED) {
            return;
        }
        attachedTabs.decrementAndGet();
        if (detached == Conversation.Detached.LAST && c.linger()) {
            if (lingering.incrementAndGet() > MAX_LINGERING) {
                forget(c, null);
            }
        }
    }

    /** Forgets a visitor who never started a chat and lingers since before {@code cutoff} (null: any time). */
    private void forget(Conversation c, Instant cutoff) {
        if (c.forgetIfLingering(cutoff)) {
            lingering.decrementAndGet();
            unstarted.remove(c.key(), c);
        }
    }

    /** What a write let go: a start, and the visitor's messages now saved. */
    private void written(Conversation c) {
        drive(c, c::written);
    }

    /**
     * Lets the conversation decide, then carries out what it decided outside its lock; one
     * decision at a time per conversation, so that messages reach the upstream in the order the
     * conversation handed them over, whichever threads decide.
     */
    private void drive(Conversation c, Function<Boolean, Effects> decision) {
        synchronized (c.driving()) {
            // Asked once: what is decided and what is done must agree on who drives.
            boolean drives = ownership.drivesHere(c.key());
            carryOut(c, decision.apply(drives), drives);
        }
    }

    /** Carries out what a conversation decided, outside its lock; under its driving lock. */
    private void carryOut(Conversation c, Effects effects, boolean drives) {
        if (effects == null || c.handedOver()) {
            return;
        }
        showOnceWritten(c);
        if (effects.ack != null) {
            Effects.Ack ack = effects.ack;
            persistence.afterSave(c, written -> c.acknowledge(ack, written));
        }
        if (effects.unused != null) {
            delete(effects.unused.path());
        }
        if (effects.delete) {
            registry.remove(c);
            persistence.delete(c);
            files.values().removeIf(c::equals);
        } else if (effects.save) {
            persistence.save(c);
        }
        if (effects.flushSignalsIn != null) {
            scheduler.schedule(() -> drive(c, later -> c.flushSignals(scheduler.now())), effects.flushSignalsIn);
        }
        UpstreamChat chat = c.chat();
        if (chat == null) {
            return;
        }
        if ((effects.draft != null || effects.seenUpTo != null) && drives) {
            // Live signals are best effort: a node that does not drive the chat drops them.
            ConversationLog.run(c.logId(), () -> {
                if (effects.draft != null) {
                    chat.typing(effects.draft);
                }
                if (effects.seenUpTo != null) {
                    chat.markSeen(effects.seenUpTo);
                }
            });
        }
        if (effects.upstreamCalls() && drives) {
            ConversationLog.run(c.logId(), () -> {
                if (effects.start != null) {
                    chat.start(effects.start, effects.first);
                }
                if (effects.leave != null) {
                    chat.leaveMessage(effects.leave);
                }
                if (effects.rate != null) {
                    chat.rate(effects.rate);
                }
                if (effects.page != null) {
                    chat.visitorPage(effects.page);
                }
                if (effects.greeting != null) {
                    chat.answerGreeting(effects.greeting, effects.greetingAccepted);
                }
                effects.sends.forEach(chat::send);
                // After the sends: a restored chat's first poll may bring the echo of a message
                // sent before the stop, which settles it only if the chat knows the message.
                if (effects.resume) {
                    chat.resume();
                }
                if (effects.postback != null) {
                    chat.postback(effects.postback.ref(), effects.postback.postbackId(), effects.postback.toggled());
                }
                if (effects.closeUpstream) {
                    chat.close();
                }
            });
        }
        if (effects.delete) {
            chat.release();
        }
    }

    /**
     * What the upstream reports of one conversation's chat: each a transition. The adapter says
     * {@code changed} once it has reported all that one answer brought, and that is when the
     * conversation is written, in one commit with everything else that changed meanwhile; so are
     * the rare changes a restart must not miss (started, refused, ended).
     */
    private final class UpstreamEvents implements UpstreamChat.Listener {

        private final Conversation c;

        UpstreamEvents(Conversation c) {
            this.c = c;
        }

        @Override
        public void started() {
            c.started();
            persistence.save(c);
        }

        @Override
        public void refused(UpstreamChat.Refusal why) {
            c.refused(why);
            persistence.save(c);
        }

        @Override
        public void reachable(boolean reachable) {
            c.reachable(reachable);
        }

        @Override
        public void received(ChatEvent event) {
            String fileId = null;
            if (event instanceof ChatEvent.File || event instanceof ChatEvent.RichMessage) {
                fileId = fileIdFor(c);
                files.put(fileId, c); // before any tab hears of it
            }
            Duration latency = c.received(event, scheduler.now(), fileId);
            showOnceWritten(c);
            if (latency != null) {
                observer.agentMessageRelayed(latency);
            }
        }

        @Override
        public void delivered(String clientId) {
            c.delivered(clientId);
        }

        @Override
        public void fileDelivered(String clientId, String url) {
            delete(c.fileDelivered(clientId, url));
        }

        @Override
        public void notDelivered(String clientId, UpstreamChat.Undelivered why) {
            c.notDelivered(clientId, why);
        }

        @Override
        public void messageLeft(String clientId, boolean left) {
            c.messageLeft(clientId, left);
        }

        @Override
        public void ended(ClosedBy by, Instant at) {
            c.ended(by, at);
            persistence.save(c);
        }

        @Override
        public void changed() {
            c.upstreamChanged();
            persistence.save(c);
        }

        @Override
        public UpstreamChat.Presence presence() {
            return c.presence();
        }
    }

    /** What a conversation decided to show its tabs goes to them once written, without waiting for another change. */
    private void showOnceWritten(Conversation c) {
        if (c.holdsUnshown()) {
            persistence.save(c);
        }
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
     * Open chats the upstream cannot be reached for now (their tabs have been told): failing
     * calls, or answers that cannot be read.
     */
    public int unreachableChats() {
        int unreachable = 0;
        for (Conversation c : registry.all()) {
            if (c.unreachable()) {
                unreachable++;
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
     * disconnected, to come back later), every tab is disconnected, and the upstream makes no
     * more calls of its own. Visitors' messages already accepted are still sent; {@link #close()}
     * then saves what is left.
     */
    public void stopAccepting() {
        accepting = false;
        upstream.stopDriving();
        disconnectAll();
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
                ConversationLog.run(c.logId(), () -> drive(c, drives -> c.expire(expiry, now, settings.gracePeriod())));
            }
            Instant forgotten = now.minus(min(UNSTARTED_LINGER, settings.gracePeriod()));
            for (Conversation c : unstarted.values()) {
                forget(c, forgotten);
            }
            limits.refusals().flush();
            if (availability && !watched.isEmpty()) {
                upstream.online(OptionalInt.empty()); // tabs are open: the upstream keeps its view fresh
            }
        } finally {
            scheduler.schedule(this::sweep, sweepInterval()); // whatever happened, keep sweeping
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
            c.tabs().forEach(Tab::disconnect); // outside the lock: closing calls back to detach
        }
    }

    /**
     * Stops: every tab is disconnected (each will resume where it was, on this server once it is
     * back or on another), and what waits to be written, or failed to be, is written now.
     */
    @Override
    public void close() {
        closed = true;
        limits.refusals().flushAll();
        disconnectAll();
        for (Conversation c : registry.all()) {
            persistence.save(c);
        }
        persistence.close(); // writes what is pending on this thread
    }
}
