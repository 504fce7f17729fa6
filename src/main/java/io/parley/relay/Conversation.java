package io.parley.relay;

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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's conversation, as a state machine: the numbered log of what was relayed, the
 * visitor's messages on their way upstream, the tabs attached and where the chat stands. Its
 * state is private and changes only through the transitions below, each under the
 * conversation's monitor. A transition tells the tabs what changed (a hand-off to each tab's
 * queue, which never blocks: it is what keeps every tab's events in order) and returns the
 * {@link Effects} the relay must carry out after the lock is released; nothing here calls the
 * upstream or the store.
 *
 * <pre>
 *   IDLE ──start──▶ STARTING ──started──▶ WAITING ──agent joined──▶ CHATTING
 *     ▲               │  │                   │                         │
 *     └──start failed─┘  └──banned──▶ BANNED  └────────ended / close───┴──▶ CLOSED ──start──▶ STARTING
 * </pre>
 */
public final class Conversation {

    private static final Logger LOG = LoggerFactory.getLogger(Conversation.class);

    /** How many events are kept for tabs that resume. */
    static final int LOG_CAPACITY = 100;
    /** How many accepted client ids are remembered, so that a message sent again is not taken twice. */
    static final int REMEMBERED_IDS = 256;
    /** How long a tab waits before sending again a message that could not be saved. */
    static final Duration NOT_SAVED_RETRY = Duration.ofSeconds(5);
    /**
     * How long an agent counts as typing without a renewal: upstreams say when typing stops, but
     * that word can be lost with a socket, and a tab that attaches later must not be told of
     * typing long over.
     */
    static final Duration TYPING_LASTS = Duration.ofSeconds(10);

    /** A visitor message accepted from a tab and not yet known to be delivered or lost. */
    private static final class Pending {
        final String clientId;
        final String text;
        final long seq;
        /** Written to the store: only then may it go upstream, so that a crash cannot send it twice. */
        boolean saved;
        /** Given to the upstream, which reports what became of it. */
        boolean given;
        /** Read back from the store: it may have gone upstream before a restart. */
        final boolean restored;
        /** Set when the message is a file of the visitor's, with Parley's id for it. */
        Attachment file;
        String fileId;

        Pending(String clientId, String text, long seq, boolean restored) {
            this.clientId = clientId;
            this.text = text;
            this.seq = seq;
            this.restored = restored;
        }

        Outgoing outgoing() {
            return new Outgoing(clientId, text, restored, file);
        }
    }

    /**
     * A file shared in the chat as the files endpoint serves it: from the upload spool while the
     * visitor's own file waits to be delivered ({@code spooled}), else from where the upstream
     * keeps it ({@code upstreamUrl}, http(s)); either may be null.
     */
    public record SharedFile(String name, String contentType, Path spooled, String upstreamUrl) {
    }

    /** What a start must pass besides the conversation's own state: the node's limits. Called under the lock. */
    interface StartGate {

        /** Why the start is refused, if it is; the tab is ended when {@code endConnection}. */
        Optional<Refusal> admit(Conversation c);

        /** The start is admitted: the conversation now counts against the node's limits. */
        void register(Conversation c);
    }

    /** A refusal by a limit. */
    record Refusal(TabMessage.Error error, boolean endConnection) {
    }

    private final String key;
    private final String origin;
    /** The handshake {@code Origin} the token was issued through; empty for none, null if not recorded. */
    private final String socketOrigin;
    private final String logId;
    /**
     * Held while a decision that calls the upstream is made and carried out, so that what is
     * handed to the upstream reaches it in the order decided. Taken before the conversation's
     * own monitor, never while holding it.
     */
    private final Object driving = new Object();
    private UpstreamChat chat;
    /** Set while the token is known: at creation, or when a tab resumes a restored conversation. */
    private String token;

    private final EventLog log = new EventLog(LOG_CAPACITY);
    /**
     * Whether an event reaches the tabs only once written: so that no tab sees what a crash
     * could take back. Were it otherwise, the conversation taken up again would number anew what
     * tabs had seen, and a tab resuming by its last number would be given another's events, or
     * miss some. Off when nothing is kept.
     */
    private boolean showWritten;
    /** The newest event tabs have been sent (all of them before it too): what a welcome goes up to. */
    private long shown;
    private final Map<String, Long> accepted = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };
    /** Messages left for later by client id: true once the upstream took them, false while on their way. */
    private final Map<String, Boolean> left = new LinkedHashMap<>(4, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 16;
        }
    };
    /** Accepted messages not yet known to be delivered or lost, in order. */
    private final ArrayDeque<Pending> outbox = new ArrayDeque<>();
    private final List<Tab> tabs = new ArrayList<>(2);
    /** Set when another node took the conversation over. */
    private boolean handedOver;

    private ConversationState state = ConversationState.IDLE;
    private ClosedBy closedBy;
    private AgentCard agent;
    private boolean reachable = true;
    private ChatStart startRequest;
    /** The start of the current chat has been given to the upstream. */
    private boolean startGiven;
    /** Restored while starting: the start is made again only once a tab of the visitor is back. */
    private boolean startAwaitsTab;
    private Instant lastActivity;
    private Instant lastTabLeftAt;
    private boolean removed;
    /**
     * In the registry: from the visitor's first chat start, or restored. Before, the conversation
     * holds only tabs and lives only as long as they do.
     */
    private boolean registered;
    /** Not registered and without a tab: remembered a short while, then forgotten. */
    private boolean lingering;
    /**
     * Whether something changed since the conversation was last saved. A new conversation holds
     * nothing worth keeping until its first event or status change.
     */
    private boolean dirty;

    // Live signals: told to the tabs as they come, and to a tab that attaches; never stored.
    /** When the agent was last said to be typing; null while they are not. */
    private Instant agentTypingAt;
    /** The visitor's last message the agent has seen (its event's number); 0 for none. */
    private long seenByAgent;
    /** The visitor's place in the queue while the chat waits in one; null otherwise. */
    private TabMessage.Queue queue;
    /** The visitor's signals on their way upstream, spaced out. */
    private final SignalThrottle signals = new SignalThrottle();
    /** The highest event number a tab said the visitor has seen. */
    private long seenByVisitor;
    /** The latest moment given upstream as seen by the visitor: marks only move forward. */
    private Instant seenUpToGiven;
    /**
     * The visitor's rating of the chat that ended, while it may still change: kept (and stored)
     * until they start another chat, and told to every tab that attaches meanwhile.
     */
    private Rating rating;
    /** The page the visitor was last on (in whichever tab said so last), as given upstream; null before any. */
    private io.parley.upstream.VisitorPage page;
    /** The greeting shown to the visitor before a chat, until they open or dismiss it; null for none. Never stored. */
    private TabMessage.Greeting greeting;

    private Conversation(String key, String origin, String socketOrigin, String logId) {
        this.key = key;
        this.origin = origin;
        this.socketOrigin = socketOrigin;
        this.logId = logId;
    }

    /** Tokens tried for a new conversation before one whose key this node drives is given up on. */
    private static final int KEY_TRIES = 64;

    /**
     * A new conversation with a fresh token, holding nothing yet: a token whose key this node
     * drives, when one is found within a few tries, so that the visitor's chat is driven where
     * they said hello and their other tabs are forwarded here.
     */
    static Conversation create(String origin, String socketOrigin, java.util.function.Predicate<String> drivenHere) {
        String token = VisitorTokens.drawn(VisitorTokens::newToken, drawn -> drivenHere.test(VisitorTokens.key(drawn)),
                KEY_TRIES);
        Conversation c = new Conversation(VisitorTokens.key(token), origin, socketOrigin == null ? "" : socketOrigin,
                VisitorTokens.newLogId());
        c.token = token;
        return c;
    }

    /**
     * A conversation as it was stored, with no tab attached since {@code now}: an open chat is to
     * be driven again, a start in progress waits for a tab of the visitor.
     *
     * @throws IllegalArgumentException if the record is not one this version can read
     */
    static Conversation restore(StoredConversation stored, Instant now) {
        if (stored.key() == null || stored.logId() == null) {
            throw new IllegalArgumentException("a conversation record lacks its key or ids");
        }
        Conversation c = new Conversation(stored.key(), stored.origin(), stored.socketOrigin(), stored.logId());
        c.state = ConversationState.valueOf(stored.state());
        if (c.state.open() && stored.upstream() == null) {
            throw new IllegalArgumentException("an open chat's record lacks its upstream session");
        }
        c.closedBy = stored.closedBy() == null ? null : ClosedBy.valueOf(stored.closedBy());
        c.agent = stored.agent();
        c.startRequest = ConversationRecords.start(stored.start());
        c.log.restore(stored.lastSeq(), stored.events().stream().map(ConversationRecords::event).toList());
        c.shown = stored.lastSeq(); // written: tabs may have them all
        stored.accepted().forEach(send -> c.accepted.put(send.clientId(), send.seq()));
        for (StoredConversation.Send send : stored.unsent()) {
            Pending pending = new Pending(send.clientId(), send.text(), send.seq(), true);
            if (send.file() != null) {
                StoredConversation.Upload upload = send.file();
                pending.file = new Attachment(upload.name(), upload.contentType(), upload.size(), Path.of(upload.path()));
                pending.fileId = upload.fileId();
            }
            pending.saved = true;
            c.outbox.addLast(pending);
        }
        c.lastActivity = stored.lastActivity() == null ? null : Instant.ofEpochMilli(stored.lastActivity());
        c.rating = ConversationRecords.rating(stored.rating());
        c.lastTabLeftAt = now; // restored without tabs: they have the grace period to come back
        c.registered = true;
        c.startGiven = c.state.open();
        // Not started again until the visitor is back: a store that lost its last saves (a
        // truncated file) may hold a start the visitor has since given up.
        c.startAwaitsTab = c.state == ConversationState.STARTING;
        return c;
    }

    /** Binds the visitor's upstream chats; once, before anything else happens. */
    void bind(UpstreamChat upstreamChat) {
        this.chat = Objects.requireNonNull(upstreamChat);
    }

    UpstreamChat chat() {
        return chat;
    }

    /** See {@link #driving}. */
    Object driving() {
        return driving;
    }

    /** The hash of the visitor's token, by which the conversation is found and stored. */
    public String key() {
        return key;
    }

    /** A short id for log lines, unrelated to the token and to upstream ids. */
    public String logId() {
        return logId;
    }

    /**
     * Whether the token was issued to this site, through a handshake of this {@code Origin}: a
     * token copied elsewhere, to another site or to a client that sends another or no
     * {@code Origin}, is as good as unknown. Conversations stored before the handshake's origin
     * was recorded accept any.
     */
    boolean issuedTo(String siteOrigin, String handshakeOrigin) {
        return Objects.equals(origin, siteOrigin)
                && (socketOrigin == null || socketOrigin.equals(handshakeOrigin == null ? "" : handshakeOrigin));
    }

    // --- tabs ---

    /** What came of a tab's hello to a known conversation. */
    enum Attached {
        ATTACHED,
        /** Attached to a visitor without a chat who had no tab left, and was remembered a while. */
        ATTACHED_AGAIN,
        REFUSED,
        GONE
    }

    /**
     * A tab of the visitor says hello to a conversation they have (or had): it is welcomed with
     * the events after {@code lastSeq}, or refused when the visitor has too many tabs.
     */
    synchronized Attached attach(Tab tab, String knownToken, long lastSeq, int maxTabs, List<String> capabilities,
            Boolean online, boolean drives, Effects effects) {
        if (removed) {
            return Attached.GONE;
        }
        token = knownToken;
        if (tabs.size() >= maxTabs) {
            tab.end(new TabMessage.Error(ErrorCode.TOO_MANY_TABS,
                    "The chat is open in too many tabs. Please close one and reload."));
            return Attached.REFUSED;
        }
        tabs.add(tab);
        boolean wasLingering = lingering;
        lingering = false;
        lastTabLeftAt = null;
        boolean rolledBack = lastSeq > shown;
        if (rolledBack) {
            LOG.warn("Conversation {} was restored from an older save: a tab had seen {} events, the store kept {}",
                    logId, lastSeq, shown);
        }
        List<Pending> notStarted = List.of();
        if (startAwaitsTab && drives) {
            startAwaitsTab = false;
            if (rolledBack) {
                // What the visitor did after this start was lost: do not start a chat for them again.
                LOG.warn("Conversation {}: the start it was making is not made again", logId);
                notStarted = new ArrayList<>(outbox);
                outbox.clear();
                state = ConversationState.IDLE;
                dirty = true;
                effects.save = true;
            } else {
                handOver(effects);
            }
        }
        // Only what the tabs have been sent: the rest comes to this tab with the others, once written.
        boolean diff = !rolledBack && log.holdsAfter(lastSeq);
        List<RelayEvent> welcomed = (diff ? log.after(lastSeq) : log.all()).stream().filter(e -> e.seq() <= shown).toList();
        tab.deliver(new TabMessage.Welcome(token, status(), shown, !diff, welcomed,
                capabilities, online));
        for (Pending send : notStarted) {
            tab.deliver(new TabMessage.Error(ErrorCode.START_FAILED, "The chat could not be started. Please try again.",
                    send.clientId));
        }
        return wasLingering ? Attached.ATTACHED_AGAIN : Attached.ATTACHED;
    }

    /** The first tab of a new visitor, or of one whose token is not known (any more). */
    synchronized void attachFirst(Tab tab, boolean tokenUnknown, List<String> capabilities, Boolean online) {
        tabs.add(tab);
        // A token the server does not know (any more) means the tab's transcript is stale: start over.
        tab.deliver(new TabMessage.Welcome(token, status(), 0, tokenUnknown, List.of(), capabilities, online));
    }

    /** What came of a tab leaving. */
    enum Detached { NOT_ATTACHED, DETACHED, LAST }

    /** The tab is gone. */
    synchronized Detached detach(Tab tab, Instant now) {
        if (!tabs.remove(tab)) {
            return Detached.NOT_ATTACHED;
        }
        if (tabs.isEmpty()) {
            lastTabLeftAt = now;
            return Detached.LAST;
        }
        return Detached.DETACHED;
    }

    synchronized List<Tab> tabs() {
        return List.copyOf(tabs);
    }

    synchronized UpstreamChat.Presence presence() {
        return new UpstreamChat.Presence(!tabs.isEmpty(), lastActivity);
    }

    // --- what the visitor does ---

    /**
     * Whether the visitor may start something now (a chat, or a message left for later): not
     * banned, no chat open, and the node's limits let it; the tab is told why not. Admitted, the
     * conversation counts against those limits from now on.
     */
    private boolean admitted(Tab tab, String clientId, StartGate gate) {
        if (state == ConversationState.BANNED) {
            tab.deliver(new TabMessage.Error(ErrorCode.BANNED, "You cannot start a chat.", clientId));
            return false;
        }
        if (state != ConversationState.IDLE && state != ConversationState.CLOSED) {
            tab.deliver(new TabMessage.Error(ErrorCode.ALREADY_STARTED, "A chat is already open.", clientId));
            return false;
        }
        Optional<Refusal> refusal = gate.admit(this);
        if (refusal.isPresent()) {
            if (refusal.get().endConnection()) {
                tab.end(refusal.get().error());
            } else {
                tab.deliver(refusal.get().error());
            }
            return false;
        }
        if (!registered) {
            registered = true;
            gate.register(this);
        }
        return true;
    }

    /** Starts a chat with the visitor's first message, which is acknowledged like any send. */
    synchronized Effects start(Tab tab, String clientId, String text, ChatStart request, Instant now, StartGate gate) {
        Effects effects = Effects.none();
        if (removed) {
            return effects; // its last tab left while this frame was on its way: nobody to start for
        }
        Long acceptedAs = accepted.get(clientId);
        if (acceptedAs != null) {
            effects.ack = new Effects.Ack(tab, clientId, acceptedAs);
            return effects;
        }
        if (!admitted(tab, clientId, gate)) {
            return effects;
        }
        startRequest = request;
        startGiven = false;
        state = ConversationState.STARTING;
        closedBy = null;
        agent = null;
        agentTypingAt = null;
        queue = null;
        rating = null; // the last chat's rating is settled once another begins
        endGreeting();
        effects.page = page; // told before there was a chat to tell it to, maybe: it goes with the start
        lastActivity = now;
        broadcastStatus();
        return accept(tab, clientId, text, now, effects);
    }

    /** Sends a visitor's message; a repeated client id is acknowledged again and not sent again. */
    synchronized Effects send(Tab tab, String clientId, String text, Instant now,
            Supplier<Optional<Duration>> limit) {
        Effects effects = Effects.none();
        if (!takes(tab, clientId, limit, effects)) {
            return effects;
        }
        lastActivity = now;
        return accept(tab, clientId, text, now, effects);
    }

    /**
     * Whether a new message of the visitor's is taken now: not one taken before (acknowledged
     * again instead), a chat open or starting, and within the message limit; the tab is told why not.
     */
    private boolean takes(Tab tab, String clientId, Supplier<Optional<Duration>> limit, Effects effects) {
        Long acceptedAs = accepted.get(clientId);
        if (acceptedAs != null) {
            effects.ack = new Effects.Ack(tab, clientId, acceptedAs);
            return false;
        }
        if (removed || (state != ConversationState.STARTING && !state.open())) {
            tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to send to.", clientId));
            return false;
        }
        Optional<Duration> wait = limit.get();
        if (wait.isPresent()) {
            tab.deliver(new TabMessage.Error(ErrorCode.RATE_LIMITED, "Too many messages. Please wait a moment.",
                    clientId, wait.get()));
            return false;
        }
        return true;
    }

    /**
     * Sends a file of the visitor's, checked and spooled by the caller: shown in every tab at once
     * (under {@code fileId}), acknowledged once saved, and given to the upstream after what was
     * accepted before it. Only while a chat is open or starting; a file not taken is handed back
     * in {@link Effects#unused}.
     */
    synchronized Effects sendFile(Tab tab, String clientId, String fileId, Attachment file, Instant now,
            Supplier<Optional<Duration>> limit) {
        Effects effects = Effects.none();
        effects.unused = file;
        if (!takes(tab, clientId, limit, effects)) {
            return effects;
        }
        effects.unused = null;
        lastActivity = now;
        RelayEvent shared = append(seq -> new RelayEvent.Shared(seq, now, Author.VISITOR.label(), null, file.name(),
                file.contentType(), fileId, clientId, file.size()));
        accepted.put(clientId, shared.seq());
        Pending pending = new Pending(clientId, file.name(), shared.seq(), false);
        pending.file = file;
        pending.fileId = fileId;
        outbox.addLast(pending);
        effects.ack = new Effects.Ack(tab, clientId, shared.seq());
        return effects;
    }

    /**
     * The visitor chose a button of the rich message numbered {@code seq}: the button is named by
     * its place, so that the tab never holds the upstream's ids. Only while the chat is open.
     */
    synchronized Effects postback(Tab tab, long seq, int element, int button, Supplier<Optional<Duration>> limit) {
        Effects effects = Effects.none();
        Optional<RelayEvent.Rich> rich = log.all().stream().filter(event -> event.seq() == seq)
                .filter(RelayEvent.Rich.class::isInstance).map(RelayEvent.Rich.class::cast).findFirst();
        ChatEvent.RichButton chosen = rich.filter(r -> element >= 0 && element < r.elements().size())
                .map(r -> r.elements().get(element).buttons())
                .filter(buttons -> button >= 0 && button < buttons.size())
                .map(buttons -> buttons.get(button)).orElse(null);
        if (chosen == null || chosen.postbackId() == null || rich.get().ref() == null) {
            tab.deliver(new TabMessage.Error(ErrorCode.BAD_FRAME, "There is no such button."));
            return effects;
        }
        if (!state.open()) {
            tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to answer."));
            return effects;
        }
        Optional<Duration> wait = limit.get();
        if (wait.isPresent()) {
            tab.deliver(new TabMessage.Error(ErrorCode.RATE_LIMITED, "Too many messages. Please wait a moment.",
                    null, wait.get()));
            return effects;
        }
        effects.postback = new Effects.Postback(rich.get().ref(), chosen.postbackId(), true);
        return effects;
    }

    /** A file shared in this conversation, by Parley's id for it ({@code <id>.<element>} for a rich message's image). */
    synchronized Optional<SharedFile> file(String fileId) {
        for (Pending send : outbox) {
            if (fileId.equals(send.fileId)) {
                return Optional.of(new SharedFile(send.file.name(), send.file.contentType(), send.file.path(), null));
            }
        }
        for (RelayEvent event : log.all()) {
            if (event instanceof RelayEvent.Shared shared && fileId.equals(shared.fileId())) {
                return Optional.of(new SharedFile(shared.name(), shared.contentType(), null, shared.url()));
            }
            if (event instanceof RelayEvent.Rich rich && rich.fileId() != null
                    && fileId.startsWith(rich.fileId() + ".")) {
                String index = fileId.substring(rich.fileId().length() + 1);
                if (index.matches("\\d{1,2}") && Integer.parseInt(index) < rich.elements().size()) {
                    ChatEvent.RichElement element = rich.elements().get(Integer.parseInt(index));
                    return Optional.ofNullable(element.imageUrl()).map(url -> new SharedFile(null, null, null, url));
                }
            }
        }
        return Optional.empty();
    }

    /** Parley's ids of the files this conversation holds, by which the relay finds it. */
    synchronized List<String> fileIds() {
        List<String> ids = new ArrayList<>();
        for (RelayEvent event : log.all()) {
            if (event instanceof RelayEvent.Shared shared && shared.fileId() != null) {
                ids.add(shared.fileId());
            } else if (event instanceof RelayEvent.Rich rich && rich.fileId() != null) {
                ids.add(rich.fileId());
            }
        }
        return ids;
    }

    /** The spooled bytes of the visitor's files still on their way: not to be swept. */
    synchronized List<Path> spooled() {
        List<Path> paths = new ArrayList<>();
        outbox.stream().filter(send -> send.file != null).forEach(send -> paths.add(send.file.path()));
        return paths;
    }

    /**
     * Shows the message in every tab at once and queues it for the upstream; once it is saved, it
     * is acknowledged and may go (a start is made then too).
     */
    private Effects accept(Tab tab, String clientId, String text, Instant now, Effects effects) {
        RelayEvent said = append(seq -> new RelayEvent.Said(seq, now, Author.VISITOR.label(), text, clientId));
        accepted.put(clientId, said.seq());
        outbox.addLast(new Pending(clientId, text, said.seq(), false));
        effects.ack = new Effects.Ack(tab, clientId, said.seq());
        return effects;
    }

    /**
     * Acknowledges a message once written; while the store fails, the tab is told to send it
     * again later (with the same id, so that it is not taken twice) and keeps it meanwhile.
     */
    synchronized void acknowledge(Effects.Ack ack, boolean written) {
        if (!written) {
            ack.tab().deliver(new TabMessage.Error(ErrorCode.NOT_SAVED,
                    "The message could not be saved yet; it will be sent again.", ack.clientId(), NOT_SAVED_RETRY));
            return;
        }
        ack.tab().deliver(new TabMessage.Ack(ack.clientId(), ack.seq()));
    }

    /**
     * Leaves a message for later while no chat is open: given to the upstream once, however often
     * tabs send it again with the same id; every tab hears when it was taken. It is not a chat
     * event: the transcript does not hold it.
     */
    synchronized Effects leaveMessage(Tab tab, OfflineMessage message, StartGate gate) {
        Effects effects = Effects.none();
        if (removed) {
            return effects;
        }
        Boolean known = left.get(message.clientId());
        if (known != null) {
            if (known) {
                tab.deliver(new TabMessage.MessageLeft(message.clientId()));
            }
            return effects; // on its way: every tab hears of it
        }
        if (!admitted(tab, message.clientId(), gate)) {
            return effects;
        }
        left.put(message.clientId(), false);
        effects.leave = message;
        return effects;
    }

    /** The upstream took the message left for later, or will not. */
    synchronized void messageLeft(String clientId, boolean taken) {
        if (!left.containsKey(clientId)) {
            return;
        }
        if (taken) {
            left.put(clientId, true);
            broadcast(new TabMessage.MessageLeft(clientId));
        } else {
            left.remove(clientId); // the visitor may try again
            broadcast(new TabMessage.Error(ErrorCode.LEAVE_FAILED,
                    "Your message could not be sent. Please try again later.", clientId));
        }
    }

    /**
     * The visitor rates the chat that ended, or changes or takes back their rating: only after a
     * chat ended, until another starts or {@link Rating#CHANGEABLE_FOR} has passed since the end.
     * Every tab is told the rating now held; giving the same again changes nothing upstream.
     */
    synchronized Effects rate(Tab tab, Rating given, Instant now) {
        Effects effects = Effects.none();
        if (removed) {
            return effects;
        }
        Instant endedAt = state == ConversationState.CLOSED ? lastEnd() : null;
        if (endedAt == null || now.isAfter(endedAt.plus(Rating.CHANGEABLE_FOR))) {
            tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no ended chat to rate."));
            return effects;
        }
        Rating held = given.score() == null ? null : given;
        if (Objects.equals(held, rating)) {
            tab.deliver(new TabMessage.Rated(rating));
            return effects;
        }
        if (held == null && rating == null) {
            return effects;
        }
        rating = held;
        dirty = true;
        broadcast(new TabMessage.Rated(rating));
        effects.rate = given;
        return effects.save();
    }

    /**
     * The visitor opened ({@code accepted}) or dismissed the greeting with this id, in one tab:
     * every tab stops showing it, and the upstream is told once.
     */
    synchronized Effects answerGreeting(String id, boolean accepted) {
        Effects effects = Effects.none();
        if (removed || greeting == null || !greeting.id().equals(id)) {
            return effects; // answered in another tab already, or replaced
        }
        endGreeting();
        effects.greeting = id;
        effects.greetingAccepted = accepted;
        return effects;
    }

    /** A tab says which page the visitor is on: the upstream is told when that changes. */
    synchronized Effects visitorPage(io.parley.upstream.VisitorPage now) {
        Effects effects = Effects.none();
        if (removed || now.equals(page)) {
            return effects;
        }
        page = now;
        effects.page = now;
        return effects;
    }

    private void endGreeting() {
        if (greeting != null) {
            broadcast(new TabMessage.GreetingEnded(greeting.id()));
            greeting = null;
        }
    }

    /** When the last chat ended, from its closed event; null if the log holds none. */
    private Instant lastEnd() {
        List<RelayEvent> events = log.all();
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i) instanceof RelayEvent.Closed closed) {
                return closed.time();
            }
        }
        return null;
    }

    /** The visitor ends the chat. */
    synchronized Effects close(Tab tab, Instant now) {
        Effects effects = Effects.none();
        if (state != ConversationState.STARTING && !state.open()) {
            tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to close."));
            return effects;
        }
        end(ClosedBy.VISITOR, now);
        effects.closeUpstream = true;
        return effects.save();
    }

    /**
     * The visitor's draft while they type, for the agent; blank once the composer is emptied.
     * Only in an open chat, and spaced out with the seen marks ({@link SignalThrottle}).
     */
    synchronized Effects typing(String draft, Instant now) {
        Effects effects = Effects.none();
        if (!state.open()) {
            return effects; // no chat for it, or one that ended while the visitor typed
        }
        if (draft.isBlank()) {
            signals.dropDraft();
            return effects;
        }
        return effects.signal(signals.draft(draft, now));
    }

    /**
     * A tab showed the visitor the chat up to event {@code seq}. The upstream is told only when
     * that moves past an event the visitor did not write (an upstream counts the visitor's own
     * messages as seen by them), spaced out with the drafts.
     */
    synchronized Effects seen(long seq, Instant now) {
        Effects effects = Effects.none();
        if (!state.open() || seq <= seenByVisitor) {
            return effects;
        }
        seenByVisitor = Math.min(seq, shown);
        Instant upTo = null;
        for (RelayEvent event : log.all()) {
            boolean visitors = event instanceof RelayEvent.Said said && Author.VISITOR.label().equals(said.from());
            if (event.seq() <= seenByVisitor && !visitors && (upTo == null || event.time().isAfter(upTo))) {
                upTo = event.time();
            }
        }
        if (upTo == null || seenUpToGiven != null && !upTo.isAfter(seenUpToGiven)) {
            return effects;
        }
        seenUpToGiven = upTo;
        return effects.signal(signals.seen(upTo, now));
    }

    /** A live signal that waited its turn may go now. */
    synchronized Effects flushSignals(Instant now) {
        if (!state.open()) {
            signals.clear();
        }
        return Effects.none().signal(signals.flush(now));
    }

    /**
     * Ends the conversation if its tabs have all been gone since before {@code expiry}: the chat,
     * if one is open, is closed, and the conversation is forgotten. Null while it is kept.
     */
    synchronized Effects expire(Instant expiry, Instant now, Duration gracePeriod) {
        if (removed || !tabs.isEmpty() || lastTabLeftAt == null || lastTabLeftAt.isAfter(expiry)) {
            return null;
        }
        Effects effects = Effects.none();
        if (state.open() || state == ConversationState.STARTING) {
            end(ClosedBy.VISITOR, now);
            effects.closeUpstream = true;
            LOG.info("Conversation {}: no tab for {}, chat closed", logId, gracePeriod);
        }
        removed = true;
        effects.delete = true;
        return effects;
    }

    // --- what the upstream reports ---

    /** The chat is open upstream. */
    synchronized void started() {
        if (state != ConversationState.STARTING) {
            return;
        }
        state = ConversationState.WAITING;
        reachable = true;
        broadcastStatus();
    }

    /** No chat: banned, or refused for good. */
    synchronized void refused(UpstreamChat.Refusal why) {
        if (state != ConversationState.STARTING) {
            return;
        }
        startGiven = false;
        if (why == UpstreamChat.Refusal.BANNED) {
            state = ConversationState.BANNED;
            outbox.clear();
        } else {
            state = ConversationState.IDLE;
            reachable = true;
            for (Pending send : outbox) {
                broadcast(why == UpstreamChat.Refusal.OFFLINE
                        ? new TabMessage.Error(ErrorCode.OFFLINE, "No one is available to chat right now.", send.clientId)
                        : new TabMessage.Error(ErrorCode.START_FAILED,
                                "The chat could not be started. Please try again later.", send.clientId));
            }
            outbox.clear();
        }
        broadcastStatus();
    }

    synchronized void reachable(boolean now) {
        if (reachable == now || state == ConversationState.CLOSED || state == ConversationState.IDLE) {
            return;
        }
        reachable = now;
        broadcastStatus();
    }

    /**
     * Relays what happened in the chat; returns how long an agent's message took from the
     * upstream's stamp to the tabs, for metrics, or null.
     */
    synchronized Duration received(ChatEvent event, Instant now) {
        return received(event, now, VisitorTokens.newFileId());
    }

    /** The same, naming a file or a rich message's images by {@code fileId}, under which the relay finds them. */
    synchronized Duration received(ChatEvent event, Instant now, String fileId) {
        Instant time = event.time() == null ? now : event.time();
        Duration latency = null;
        if (event instanceof ChatEvent.Message message) {
            if (message.from() != Author.VISITOR) {
                lastActivity = now;
                agentTypingAt = null; // the message typed is here: tabs hide the typing line on it
                if (message.from() == Author.AGENT && event.time() != null) {
                    latency = Duration.between(event.time(), now);
                }
            }
            append(seq -> new RelayEvent.Said(seq, time, message.from().label(), message.text(), null));
        } else if (event instanceof ChatEvent.AgentJoined joined) {
            if (!state.open()) {
                return null; // the chat ended while this was on its way: it is not opened again
            }
            agent = joined.agent();
            lastActivity = now;
            append(seq -> new RelayEvent.AgentJoined(seq, time, joined.agent()));
            state = ConversationState.CHATTING;
            broadcastStatus();
            if (queue != null) {
                queue = null; // an agent took the chat: out of the queue
                broadcast(new TabMessage.Queue(0, 0));
            }
        } else if (event instanceof ChatEvent.File file) {
            append(seq -> new RelayEvent.Shared(seq, time, file.from().label(), file.url(), file.name(),
                    file.contentType(), fileId, null, -1));
        } else if (event instanceof ChatEvent.RichMessage rich) {
            lastActivity = now;
            append(seq -> new RelayEvent.Rich(seq, time, rich.from().label(), rich.template(), rich.elements(),
                    rich.ref(), fileId));
        } else if (event instanceof ChatEvent.Notice notice) {
            append(seq -> new RelayEvent.Notice(seq, time, notice.type()));
        } else if (event instanceof ChatEvent.Typing typing) {
            boolean was = agentTypingAt != null;
            agentTypingAt = typing.typing() && state.open() ? now : null;
            if (agentTypingAt != null || was) {
                broadcast(new TabMessage.Typing(agentTypingAt != null)); // a renewal too: tabs time typing out
            }
        } else if (event instanceof ChatEvent.Seen seen) {
            agentSaw(seen.upTo());
        } else if (event instanceof ChatEvent.Greeting greeted) {
            if (state.open() || state == ConversationState.STARTING || greeted.text() == null || greeted.text().isBlank()) {
                return null; // a chat is on: the greeting has nothing to invite to
            }
            endGreeting(); // a new greeting replaces the one shown
            greeting = new TabMessage.Greeting(greeted.id(), greeted.text(), greeted.agent());
            broadcast(greeting);
        } else if (event instanceof ChatEvent.QueuePosition place) {
            TabMessage.Queue told = new TabMessage.Queue(Math.max(1, place.position()), Math.max(0, place.waitSeconds()));
            if ((state == ConversationState.WAITING || state == ConversationState.STARTING) && !told.equals(queue)) {
                queue = told; // a thread read again says it again: told only when it changed
                broadcast(queue);
            }
        }
        // An agent leaving and availability have no frame in the tab protocol yet.
        return latency;
    }

    /**
     * The agent has seen the chat up to this moment: the tabs are told the visitor's last
     * message at or before it. Times of the visitor's messages are this server's, the mark the
     * upstream's; a message is stamped here before it goes, so a mark on it comes later.
     */
    private void agentSaw(Instant upTo) {
        long last = 0;
        for (RelayEvent event : log.all()) {
            if (event instanceof RelayEvent.Said said && Author.VISITOR.label().equals(said.from())
                    && !said.time().isAfter(upTo)) {
                last = said.seq();
            }
        }
        if (last > seenByAgent) {
            seenByAgent = last;
            broadcast(new TabMessage.Seen(last));
        }
    }

    /**
     * Tells a tab that just attached the live signals of now, which no event holds: the agent
     * typing (unless that was long ago), how far they have seen, the place in the queue.
     */
    synchronized void tellSignals(Tab tab, Instant now) {
        if (removed || !tabs.contains(tab)) {
            return;
        }
        if (agentTypingAt != null && state.open() && now.isBefore(agentTypingAt.plus(TYPING_LASTS))) {
            tab.deliver(new TabMessage.Typing(true));
        }
        if (seenByAgent > 0) {
            tab.deliver(new TabMessage.Seen(seenByAgent));
        }
        if (queue != null) {
            tab.deliver(queue);
        }
        if (rating != null && state == ConversationState.CLOSED) {
            tab.deliver(new TabMessage.Rated(rating));
        }
        if (greeting != null) {
            tab.deliver(greeting);
        }
    }

    /** The message landed upstream. */
    synchronized void delivered(String clientId) {
        dirty |= outbox.removeIf(send -> send.clientId.equals(clientId));
    }

    /**
     * The visitor's file landed upstream, which keeps it at {@code url}: served from there from
     * now on. Returns where its bytes were spooled, to be deleted, or null.
     */
    synchronized Path fileDelivered(String clientId, String url) {
        Pending sent = outbox.stream().filter(send -> send.clientId.equals(clientId)).findFirst().orElse(null);
        dirty |= outbox.removeIf(send -> send.clientId.equals(clientId));
        if (url != null) {
            for (RelayEvent event : log.all()) {
                if (event instanceof RelayEvent.Shared shared && clientId.equals(shared.clientId())) {
                    log.replace(shared.withUrl(url));
                    dirty = true;
                }
            }
        }
        return sent == null || sent.file == null || url == null ? null : sent.file.path();
    }

    /** The message did not land, and will not: the tabs are told. */
    synchronized void notDelivered(String clientId, UpstreamChat.Undelivered why) {
        dirty |= outbox.removeIf(send -> send.clientId.equals(clientId));
        String message;
        switch (why) {
            case REFUSED: message = "This message could not be delivered."; break;
            case MAYBE_BEFORE_END: message = "This message may not have been delivered before the chat ended."; break;
            default: message = "This message was not delivered before the chat ended."; break;
        }
        broadcast(new TabMessage.Error(ErrorCode.SEND_FAILED, message, clientId));
    }

    /** The chat ended upstream. */
    synchronized void ended(ClosedBy by, Instant at) {
        end(by, at);
    }

    /** The upstream's snapshot changed: the conversation is to be saved. */
    synchronized void upstreamChanged() {
        dirty = true;
    }

    /** Ends the chat: a closed event, and messages that never went reported as not delivered. */
    private void end(ClosedBy by, Instant time) {
        if (state == ConversationState.CLOSED) {
            return;
        }
        state = ConversationState.CLOSED;
        closedBy = by;
        reachable = true;
        startGiven = false;
        startAwaitsTab = false;
        agentTypingAt = null;
        queue = null;
        signals.clear();
        append(seq -> new RelayEvent.Closed(seq, time, by));
        for (Pending send : outbox) {
            if (!send.given) {
                broadcast(new TabMessage.Error(ErrorCode.SEND_FAILED,
                        "This message was not delivered before the chat ended.", send.clientId));
            }
        }
        // Those given to the upstream are reported by it: delivered, or not.
        outbox.clear();
        broadcastStatus();
        LOG.info("Conversation {}: chat closed by {}", logId, by.label());
    }

    // --- the store ---

    /**
     * What the last write let go: the start, and the saved messages that follow it, in order.
     * Nothing is handed over by a node that does not drive the conversation: its messages wait,
     * saved, for the node that does.
     */
    synchronized Effects written(boolean drives) {
        Effects effects = Effects.none();
        if (drives && !removed && !startAwaitsTab) {
            handOver(effects);
        }
        return effects;
    }

    private void handOver(Effects effects) {
        if (state == ConversationState.STARTING && !startGiven) {
            Pending first = outbox.peekFirst();
            if (first == null || !first.saved) {
                return;
            }
            first.given = true;
            startGiven = true;
            effects.start = startRequest;
            effects.first = first.outgoing();
        }
        if (!startGiven || !(state == ConversationState.STARTING || state.open())) {
            return;
        }
        for (Pending send : outbox) {
            if (send.given) {
                continue;
            }
            if (!send.saved) {
                break; // in order: nothing goes before what was accepted before it
            }
            send.given = true;
            effects.sends.add(send.outgoing());
        }
    }

    /** A conversation restored with an open chat drives it again, with what waits to be sent. */
    synchronized Effects resumed(boolean drives) {
        Effects effects = Effects.none();
        if (drives && state.open()) {
            effects.resume = true;
            handOver(effects);
        }
        return effects;
    }

    /** Whether there is something to write. */
    synchronized boolean needsWriting() {
        return dirty && !removed;
    }

    /**
     * Takes the stored form of what the conversation holds now; null when nothing changed since.
     * It holds every message still unsent up to its {@code lastSeq}.
     */
    synchronized StoredConversation takeRecord() {
        if (!dirty || removed) {
            return null;
        }
        dirty = false;
        List<StoredConversation.Send> acceptedIds = new ArrayList<>(accepted.size());
        accepted.forEach((clientId, seq) -> acceptedIds.add(StoredConversation.Send.of(clientId, seq, null, null)));
        List<StoredConversation.Send> unsent = new ArrayList<>(outbox.size());
        for (Pending send : outbox) {
            unsent.add(new StoredConversation.Send(send.clientId, send.seq, send.text, null, send.file == null ? null
                    : new StoredConversation.Upload(send.fileId, send.file.name(), send.file.contentType(),
                            send.file.size(), send.file.path().toString())));
        }
        return StoredConversation.of(key, logId, origin, state.name(), closedBy == null ? null : closedBy.name(),
                agent, ConversationRecords.start(startRequest), log.lastSeq(),
                log.all().stream().map(ConversationRecords::event).toList(), acceptedIds, unsent,
                lastActivity == null ? null : lastActivity.toEpochMilli(), socketOrigin, null)
                .withRating(ConversationRecords.rated(rating));
    }

    /**
     * A write of a record taken ended: the messages up to {@code upToSeq} it held are saved, or
     * the conversation is to be written again.
     */
    synchronized void recordWritten(boolean written, long upToSeq, boolean showAnyway) {
        if (!written) {
            dirty |= !removed;
            if (showAnyway) {
                // The store fails (readiness says so): the chat goes on for the tabs meanwhile.
                showUpTo(log.lastSeq());
            }
            return;
        }
        showUpTo(upToSeq);
        for (Pending send : outbox) {
            if (send.seq <= upToSeq) {
                send.saved = true;
            }
        }
    }

    /** Nothing waits to be written: every message held is as saved as this store makes anything. */
    synchronized void allSaved() {
        outbox.forEach(send -> send.saved = true);
        showUpTo(log.lastSeq());
    }

    // --- the registry ---

    synchronized boolean registered() {
        return registered;
    }

    synchronized boolean removed() {
        return removed;
    }

    /**
     * Another node drives the conversation now: it is forgotten here, without a word upstream or
     * to the store, and its tabs are returned to be disconnected, so that they come back to the
     * node that drives it.
     */
    synchronized List<Tab> handOver() {
        removed = true;
        handedOver = true;
        return new ArrayList<>(tabs);
    }

    /** Whether another node drives it now: nothing decided here is carried out any more. */
    synchronized boolean handedOver() {
        return handedOver;
    }

    /** Whether the conversation is open upstream and cannot be reached now. */
    synchronized boolean unreachable() {
        return state.open() && !reachable;
    }

    /** Marks a visitor without a chat and without a tab as remembered a while; false if a tab is back. */
    synchronized boolean linger() {
        if (!tabs.isEmpty() || registered || removed) {
            return false;
        }
        lingering = true;
        return true;
    }

    /**
     * Forgets a visitor who never started a chat and has had no tab since before {@code cutoff}
     * (at any time, if null); true if forgotten. A tab that came back keeps them.
     */
    synchronized boolean forgetIfLingering(Instant cutoff) {
        if (!lingering || !tabs.isEmpty() || (cutoff != null && lastTabLeftAt.isAfter(cutoff))) {
            return false;
        }
        lingering = false;
        removed = true;
        return true;
    }

    /** Where the conversation stands. */
    synchronized ConversationState state() {
        return state;
    }

    // --- tabs ---

    private TabMessage.Status status() {
        return new TabMessage.Status(state, closedBy, reachable, agent);
    }

    /** Numbers a new event, keeps it and sends it to every tab. */
    private RelayEvent append(LongFunction<RelayEvent> numbered) {
        RelayEvent event = numbered.apply(log.nextSeq());
        log.append(event);
        dirty = true;
        if (!showWritten) {
            shown = event.seq();
            broadcast(new TabMessage.Event(event));
        }
        return event;
    }

    /** Events reach the tabs once written ({@link #recordWritten}): for a conversation whose store keeps it. */
    synchronized void showWritten() {
        showWritten = true;
    }

    /** Whether events wait to reach the tabs until the conversation is written. */
    synchronized boolean holdsUnshown() {
        return shown < log.lastSeq();
    }

    /** Sends the tabs the events after those they have, up to {@code upToSeq}. */
    private void showUpTo(long upToSeq) {
        if (upToSeq <= shown) {
            return;
        }
        for (RelayEvent event : log.after(shown)) {
            if (event.seq() > upToSeq) {
                break;
            }
            broadcast(new TabMessage.Event(event));
        }
        shown = Math.min(upToSeq, log.lastSeq());
    }

    private void broadcast(TabMessage message) {
        for (Tab tab : tabs) {
            tab.deliver(message);
        }
    }

    private void broadcastStatus() {
        dirty = true;
        broadcast(new TabMessage.StatusChanged(status()));
    }

    @Override
    public String toString() {
        return "Conversation[" + logId + "]";
    }
}
