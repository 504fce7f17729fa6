package io.parley.relay;

import io.parley.relay.poll.PollSchedule;
import io.parley.relay.poll.TaskScheduler;
import io.parley.relay.poll.UpstreamPoller;
import io.parley.settings.Settings;
import io.parley.upstream.ChatStart;
import io.parley.upstream.UpstreamClient;
import io.parley.upstream.UpstreamSession;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What tabs can do: say hello (and resume), start a chat, send, close, leave. One conversation
 * per visitor token however many tabs it has; each change happens under the conversation's lock
 * and reaches every tab in order. Conversations whose tabs have all been gone for the grace
 * period are closed upstream and dropped.
 *
 * <p>Input is expected validated by the caller (lengths, types); the relay enforces state:
 * no send without a chat, no second start, tabs per visitor, conversations per node.
 */
public final class Relay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    private final Settings settings;
    private final ConversationRegistry registry;
    private final TaskScheduler scheduler;
    private final UpstreamPoller poller;
    private final UpstreamBridge bridge;
    private volatile boolean closed;

    public Relay(Settings settings, UpstreamClient upstream, ConversationRegistry registry, TaskScheduler scheduler,
            Random random) {
        this.settings = settings;
        this.registry = registry;
        this.scheduler = scheduler;
        this.poller = new UpstreamPoller(scheduler, PollSchedule.of(settings), settings.pollsInFlight(), random);
        this.bridge = new UpstreamBridge(upstream, poller, scheduler, settings);
        scheduler.schedule(this::sweep, sweepInterval());
    }

    /**
     * Attaches a tab: to the conversation of this token, or to a new one if the token is absent or
     * unknown. The tab gets a welcome with the events after {@code lastSeq}; empty when refused
     * (the tab was told why and is being ended).
     */
    public Optional<Conversation> hello(Tab tab, String token, long lastSeq) {
        Optional<Conversation> known = registry.find(token);
        if (known.isPresent()) {
            Conversation c = known.get();
            synchronized (c) {
                if (!c.removed) {
                    return attach(tab, c, lastSeq) ? known : Optional.empty();
                }
            }
        }
        if (registry.size() >= settings.maxConversations()) {
            LOG.warn("Refused a new conversation: this node holds its maximum of {}", settings.maxConversations());
            tab.end(new TabMessage.Error(ErrorCode.BUSY, "Chat is very busy right now. Please try again in a minute."));
            return Optional.empty();
        }
        Conversation c = registry.create();
        c.pollTarget = pollTarget(c);
        synchronized (c) {
            c.tabs.add(tab);
            // A token the server does not know (any more) means the tab's transcript is stale: start over.
            tab.deliver(new TabMessage.Welcome(c.token(), c.status(), 0, token != null, List.of()));
        }
        return Optional.of(c);
    }

    private boolean attach(Tab tab, Conversation c, long lastSeq) {
        if (c.tabs.size() >= settings.maxTabsPerVisitor()) {
            tab.end(new TabMessage.Error(ErrorCode.TOO_MANY_TABS,
                    "The chat is open in too many tabs. Please close one and reload."));
            return false;
        }
        c.tabs.add(tab);
        c.lastTabLeftAt = null;
        boolean diff = c.log.holdsAfter(lastSeq);
        tab.deliver(new TabMessage.Welcome(c.token(), c.status(), c.log.lastSeq(), !diff,
                diff ? c.log.after(lastSeq) : c.log.all()));
        return true;
    }

    /** Starts a chat with the visitor's first message, which is acknowledged like any send. */
    public void start(Tab tab, Conversation c, String clientId, String text, String name, String email,
            OptionalInt group) {
        synchronized (c) {
            Optional<Long> accepted = c.sends.acceptedAs(clientId);
            if (accepted.isPresent()) {
                tab.deliver(new TabMessage.Ack(clientId, accepted.get()));
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
            c.startRequest = new ChatStart(settings.welcomeMessage(), name, email, group);
            c.state = ConversationState.STARTING;
            c.closedBy = null;
            c.agent = null;
            c.failures = 0;
            c.lastActivity = scheduler.now();
            c.broadcastStatus();
            accept(tab, c, clientId, text);
        }
        bridge.start(c);
    }

    /** Sends a visitor's message; a repeated client id is acknowledged again and not sent again. */
    public void send(Tab tab, Conversation c, String clientId, String text) {
        synchronized (c) {
            Optional<Long> accepted = c.sends.acceptedAs(clientId);
            if (accepted.isPresent()) {
                tab.deliver(new TabMessage.Ack(clientId, accepted.get()));
                return;
            }
            if (c.state != ConversationState.STARTING && !c.state.open()) {
                tab.deliver(new TabMessage.Error(ErrorCode.NO_CHAT, "There is no open chat to send to.", clientId));
                return;
            }
            c.lastActivity = scheduler.now();
            accept(tab, c, clientId, text);
            poller.hurry(c.pollTarget, settings.pollFastInterval());
        }
        bridge.pumpSends(c);
    }

    /** Shows the message in every tab at once, acknowledges it, and queues it for the upstream. */
    private void accept(Tab tab, Conversation c, String clientId, String text) {
        Instant now = scheduler.now();
        RelayEvent said = c.append(seq -> new RelayEvent.Said(seq, now, "visitor", text, clientId));
        c.sends.enqueue(clientId, text, said.seq());
        tab.deliver(new TabMessage.Ack(clientId, said.seq()));
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
        }
        if (session != null) {
            bridge.closeUpstream(c, session);
        }
    }

    /** The tab is gone; the conversation lives on for the grace period. */
    public void detach(Tab tab, Conversation c) {
        synchronized (c) {
            if (c.tabs.remove(tab) && c.tabs.isEmpty()) {
                c.lastTabLeftAt = scheduler.now();
            }
        }
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
            Instant expiry = scheduler.now().minus(settings.gracePeriod());
            for (Conversation c : registry.all()) {
                expireIfAbandoned(c, expiry);
            }
        } finally {
            scheduler.schedule(this::sweep, sweepInterval()); // whatever happened, keep sweeping
        }
    }

    private void expireIfAbandoned(Conversation c, Instant expiry) {
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
        }
        if (session != null) {
            bridge.closeUpstream(c, session);
        }
    }

    private Duration sweepInterval() {
        long quarter = settings.gracePeriod().toMillis() / 4;
        return Duration.ofMillis(Math.max(50, Math.min(1000, quarter)));
    }

    /** Disconnects every tab, e.g. before the server stops; each reconnects and resumes where it was. */
    public void disconnectAll() {
        for (Conversation c : registry.all()) {
            List<Tab> tabs;
            synchronized (c) {
                tabs = List.copyOf(c.tabs);
            }
            tabs.forEach(Tab::disconnect); // outside the lock: closing calls back to detach
        }
    }

    @Override
    public void close() {
        closed = true;
        disconnectAll();
    }
}
