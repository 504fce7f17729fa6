package io.parley.relay;

import io.parley.relay.poll.PollSchedule;
import io.parley.relay.poll.UpstreamPoller;
import io.parley.upstream.ChatStart;
import io.parley.upstream.UpstreamSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * One visitor's conversation: the upstream session and cursor, the numbered log of what was
 * relayed, the visitor's messages on their way upstream, the tabs attached and the state. Every
 * field is guarded by the conversation's own monitor; {@link Relay} holds it for each change and
 * delivers to the tabs while holding it, which is what keeps every tab's events in order.
 */
public final class Conversation {

    /** How many events are kept for tabs that resume. */
    static final int LOG_CAPACITY = 100;

    private final String key;
    private final String origin;
    /** The handshake {@code Origin} the token was issued through; empty for none, null if not recorded. */
    private final String socketOrigin;
    private final String visitorId;
    private final String logId;
    /** Set while the token is known: at creation, or when a tab resumes a restored conversation. */
    String token;

    final EventLog log = new EventLog(LOG_CAPACITY);
    final VisitorSends sends = new VisitorSends();
    final SeenMessageIds seen = new SeenMessageIds(512);
    final List<Tab> tabs = new ArrayList<>(2);

    ConversationState state = ConversationState.IDLE;
    ClosedBy closedBy;
    AgentCard agent;
    boolean reachable = true;
    UpstreamSession session;
    ChatStart startRequest;
    int failures;
    /** A start call is on its way upstream. */
    boolean startInFlight;
    /** Restored while starting: the start is made again only once a tab of the visitor is back. */
    boolean startAwaitsTab;
    /** Restored with an open chat whose upstream session has not answered a poll since. */
    boolean unconfirmedSinceRestore;
    /** Whether unreadable upstream events have been logged for this conversation already. */
    boolean unreadableLogged;
    Instant lastActivity;
    Instant lastTabLeftAt;
    boolean removed;
    /**
     * In the registry: from the visitor's first chat start, or restored. Before, the conversation
     * holds only tabs and lives only as long as they do.
     */
    boolean registered;
    /** Not registered and without a tab: remembered a short while, then forgotten. */
    boolean lingering;
    /**
     * Whether something changed since the conversation was last saved. A new conversation holds
     * nothing worth keeping until its first event or status change.
     */
    boolean dirty;
    UpstreamPoller.Target pollTarget;

    Conversation(String key, String origin, String socketOrigin, String visitorId, String logId) {
        this.key = key;
        this.origin = origin;
        this.socketOrigin = socketOrigin;
        this.visitorId = visitorId;
        this.logId = logId;
    }

    /** A new conversation with a fresh token and upstream visitor id, holding nothing yet. */
    static Conversation create(String origin, String socketOrigin) {
        String token = VisitorTokens.newToken();
        Conversation c = new Conversation(VisitorTokens.key(token), origin, socketOrigin == null ? "" : socketOrigin,
                VisitorTokens.newVisitorId(), VisitorTokens.newLogId());
        c.token = token;
        return c;
    }

    /**
     * Whether the token was issued to this site, through a handshake of this {@code Origin}: a
     * token copied elsewhere, to another site or to a client that sends another or no
     * {@code Origin}, is as good as unknown. Conversations stored before the handshake's origin
     * was recorded accept any.
     */
    boolean issuedTo(String origin, String socketOrigin) {
        return Objects.equals(this.origin, origin)
                && (this.socketOrigin == null || this.socketOrigin.equals(socketOrigin == null ? "" : socketOrigin));
    }

    /** The handshake {@code Origin} the token was issued through, as stored. */
    String socketOrigin() {
        return socketOrigin;
    }

    /** The hash of the visitor's token, by which the conversation is found and stored. */
    public String key() {
        return key;
    }

    /** The origin of the site the conversation was started on (null for the chat page on its own). */
    String origin() {
        return origin;
    }

    /** The upstream visitor id: a secret, never sent to a browser or written to a log. */
    String visitorId() {
        return visitorId;
    }

    /** A short id for log lines, unrelated to the token and to upstream ids. */
    public String logId() {
        return logId;
    }

    TabMessage.Status status() {
        return new TabMessage.Status(state, closedBy, reachable, agent);
    }

    PollSchedule.Activity activity() {
        return new PollSchedule.Activity(!tabs.isEmpty(), lastActivity, failures);
    }

    /** Numbers a new event, keeps it and sends it to every tab. */
    RelayEvent append(LongFunction<RelayEvent> numbered) {
        RelayEvent event = numbered.apply(log.nextSeq());
        log.append(event);
        dirty = true;
        broadcast(new TabMessage.Event(event));
        return event;
    }

    void broadcast(TabMessage message) {
        for (Tab tab : tabs) {
            tab.deliver(message);
        }
    }

    void broadcastStatus() {
        dirty = true;
        broadcast(new TabMessage.StatusChanged(status()));
    }

    @Override
    public String toString() {
        return "Conversation[" + logId + "]";
    }
}
