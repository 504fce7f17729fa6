package io.parley.relay;

import io.parley.logs.QuietLog;
import io.parley.relay.poll.TaskScheduler;
import io.parley.relay.poll.UpstreamPoller;
import io.parley.upstream.ChatStart;
import io.parley.upstream.PollResult;
import io.parley.upstream.SendResult;
import io.parley.upstream.StartResult;
import io.parley.upstream.UpstreamClient;
import io.parley.upstream.UpstreamEvent;
import io.parley.upstream.UpstreamFailure;
import io.parley.upstream.UpstreamSession;
import io.parley.upstream.UserType;
import io.parley.settings.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a conversation does upstream: starting the chat (retried while the upstream fails),
 * delivering the visitor's messages one at a time and in order, polling and turning new upstream
 * events into relayed ones, and closing. Results are applied under the conversation's lock and
 * ignored if the chat they belong to has ended meanwhile.
 */
final class UpstreamBridge {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamBridge.class);

    /** Consecutive failed polls after which tabs are told the upstream is unreachable. */
    static final int UNREACHABLE_AFTER = 2;
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final UpstreamClient upstream;
    private final UpstreamPoller poller;
    private final TaskScheduler scheduler;
    private final Settings settings;
    private final ConversationPersistence persistence;
    private final RelayObserver observer;
    /** The upstream decides how many events of unknown types it sends: a line a minute says so. */
    private final QuietLog unknownTypes;

    UpstreamBridge(UpstreamClient upstream, UpstreamPoller poller, TaskScheduler scheduler, Settings settings,
            ConversationPersistence persistence, RelayObserver observer) {
        this.observer = observer;
        this.upstream = upstream;
        this.poller = poller;
        this.scheduler = scheduler;
        this.settings = settings;
        this.persistence = persistence;
        this.unknownTypes = QuietLog.everyMinute(LOG, () -> scheduler.now().toEpochMilli());
    }

    /** Writes what the quiet log left out once its minute is over. */
    void flushLogs() {
        unknownTypes.flush();
    }

    // --- start ---

    /** Starts the chat upstream, unless a start is on its way already: at most one at a time. */
    void start(Conversation c) {
        ChatStart request;
        synchronized (c) {
            if (c.state != ConversationState.STARTING || c.startInFlight || c.startAwaitsTab) {
                return;
            }
            c.startInFlight = true;
            request = c.startRequest;
        }
        CompletableFuture<StartResult> call;
        try {
            call = upstream.start(c.visitorId(), request);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        // Whatever happens to the call, its result is applied: a start left in flight would block every later one.
        call.handle((result, error) -> error == null ? result
                        : new UpstreamFailure.NotSent("the call could not be made: " + error.getClass().getSimpleName()))
                .thenAccept(result -> ConversationLog.run(c, () -> onStarted(c, result)));
    }

    private void onStarted(Conversation c, StartResult result) {
        synchronized (c) {
            c.startInFlight = false;
            try {
                if (!applyStarted(c, result)) {
                    return;
                }
            } finally {
                persistence.save(c);
            }
        }
        pumpSends(c);
    }

    /** Applies the start's result under the lock; true when the chat is open and sends may go. */
    private boolean applyStarted(Conversation c, StartResult result) {
        if (c.state != ConversationState.STARTING) {
            if (result instanceof StartResult.Started started) {
                upstream.close(started.session()); // the visitor closed while it was starting
            }
            return false;
        }
        if (result instanceof StartResult.Started started) {
            c.session = started.session();
            c.seen.clear();
            c.failures = 0;
            c.state = ConversationState.WAITING;
            c.reachable = true;
            c.broadcastStatus();
            poller.track(c.pollTarget, settings.pollFastInterval());
            LOG.info("Conversation {} started a chat", c.logId());
        } else if (result instanceof StartResult.Banned) {
            c.state = ConversationState.BANNED;
            c.sends.abandon();
            c.broadcastStatus();
            LOG.info("Conversation {} refused: the visitor is banned", c.logId());
            return false;
        } else {
            UpstreamFailure failure = (UpstreamFailure) result;
            if (failure.retryable()) {
                c.failures++;
                if (c.reachable) {
                    c.reachable = false;
                    c.broadcastStatus();
                }
                Duration delay = backoff(c.failures);
                LOG.warn("Conversation {} could not start its chat, retrying in {} ms: {}", c.logId(),
                        delay.toMillis(), failure.describe());
                scheduler.schedule(() -> start(c), delay);
                return false;
            }
            LOG.warn("Conversation {} could not start its chat: {}", c.logId(), failure.describe());
            c.state = ConversationState.IDLE;
            c.failures = 0;
            c.reachable = true;
            for (VisitorSends.Send send : c.sends.abandon()) {
                c.broadcast(new TabMessage.Error(ErrorCode.START_FAILED,
                        "The chat could not be started. Please try again later.", send.clientId));
            }
            c.broadcastStatus();
            return false;
        }
        return true;
    }

    // --- sends ---

    /** Sends the next queued message, if none is in flight or waiting to be settled. */
    void pumpSends(Conversation c) {
        VisitorSends.Send send;
        UpstreamSession session;
        synchronized (c) {
            if (!c.state.open() || c.session == null) {
                return;
            }
            send = c.sends.takeNext().orElse(null);
            if (send == null) {
                return;
            }
            session = c.session;
        }
        upstream.send(session, send.text).thenAccept(result -> ConversationLog.run(c, () -> onSent(c, session, send, result)));
    }

    private void onSent(Conversation c, UpstreamSession session, VisitorSends.Send send, SendResult result) {
        boolean next = false;
        synchronized (c) {
            if (c.session != session) {
                // The chat ended while this send was on its way: once it failed, nothing can send
                // it again or settle it, so the visitor is told rather than left to believe it went.
                if (result instanceof UpstreamFailure failure) {
                    LOG.debug("Conversation {}: a send failed after its chat ended: {}", c.logId(), failure.describe());
                    c.broadcast(new TabMessage.Error(ErrorCode.SEND_FAILED,
                            "This message may not have been delivered before the chat ended.", send.clientId));
                }
                return;
            }
            c.dirty = true;
            if (result instanceof SendResult.Sent) {
                c.sends.sent(send);
                next = true;
            } else {
                UpstreamFailure failure = (UpstreamFailure) result;
                LOG.debug("Conversation {}: a send failed: {}", c.logId(), failure.describe());
                if (failure.ambiguous()) {
                    // It may have landed: the transcript settles it before it is sent again.
                    c.sends.ambiguous(send, scheduler.now());
                    poller.hurry(c.pollTarget, Duration.ZERO);
                } else if (failure instanceof UpstreamFailure.Rejected rejected) {
                    LOG.warn("Conversation {}: the upstream refused a message: {}", c.logId(), rejected.describe());
                    c.sends.drop(send);
                    c.broadcast(new TabMessage.Error(ErrorCode.SEND_FAILED,
                            "This message could not be delivered.", send.clientId));
                    next = true;
                } else {
                    // Surely not landed: it never left, or the chat is gone (which the next poll
                    // will tell, and end it). It goes again.
                    c.sends.retry(send);
                    scheduler.schedule(() -> pumpSends(c), backoff(1));
                    poller.hurry(c.pollTarget, Duration.ZERO);
                }
            }
            persistence.save(c);
        }
        if (next) {
            pumpSends(c);
        }
    }

    // --- polls ---

    CompletableFuture<?> poll(Conversation c) {
        UpstreamSession session;
        long cursor;
        synchronized (c) {
            if (!c.state.open() || c.session == null) {
                return CompletableFuture.completedFuture(null);
            }
            session = c.session;
            cursor = c.seen.highest();
        }
        Instant started = scheduler.now();
        return upstream.poll(session, cursor)
                .thenAccept(result -> ConversationLog.run(c, () -> onPolled(c, session, started, result)));
    }

    private void onPolled(Conversation c, UpstreamSession session, Instant started, PollResult result) {
        synchronized (c) {
            try {
                if (!applyPolled(c, session, started, result)) {
                    return;
                }
            } finally {
                persistence.save(c);
            }
        }
        pumpSends(c);
    }

    /** Applies a poll's result under the lock; true when the chat is still open and sends may go. */
    private boolean applyPolled(Conversation c, UpstreamSession session, Instant started, PollResult result) {
        if (c.session != session || !c.state.open()) {
            return false;
        }
        if (result instanceof PollResult.Polled polled) {
            c.unconfirmedSinceRestore = false;
            if (c.failures >= UNREACHABLE_AFTER) {
                LOG.debug("Conversation {}: the upstream answers again", c.logId());
            }
            c.failures = 0;
            if (!c.reachable) {
                c.reachable = true;
                c.broadcastStatus();
            }
            c.dirty |= !polled.events().isEmpty();
            List<UpstreamEvent> events = polled.events().stream()
                    .sorted(Comparator.comparingLong(UpstreamEvent::messageId)).toList();
            for (UpstreamEvent event : events) {
                if (c.seen.add(event.messageId())) {
                    apply(c, event);
                }
            }
            if (polled.unreadable() > 0 && !c.unreadableLogged) {
                c.unreadableLogged = true; // once per conversation: the same answer may come again
                LOG.warn("Conversation {}: {} upstream event(s) could not be read and were left out", c.logId(),
                        polled.unreadable());
            }
            if (polled.more()) {
                // Too large to read whole: the rest is pending, and an echo may be in it.
                LOG.debug("Conversation {}: the upstream answer was cut; polling again for the rest", c.logId());
                c.lastActivity = scheduler.now();
            } else {
                c.sends.settleAfterPoll(started);
            }
        } else if (result instanceof UpstreamFailure.SessionGone) {
            LOG.info("Conversation {}: the upstream no longer knows the chat", c.logId());
            // Gone while this server was away (or, in demo mode, with the emulator that restarted):
            // nothing says the visitor was inactive.
            end(c, c.unconfirmedSinceRestore ? ClosedBy.UPSTREAM : ClosedBy.TIMEOUT);
            return false;
        } else if (result instanceof UpstreamFailure.Rejected rejected) {
            LOG.warn("Conversation {}: the upstream refused a poll, ending the chat: {}", c.logId(),
                    rejected.describe());
            end(c, ClosedBy.UPSTREAM);
            return false;
        } else {
            UpstreamFailure failure = (UpstreamFailure) result;
            c.failures++;
            if (c.failures == UNREACHABLE_AFTER) {
                // Per chat at debug: an outage is reported once for the node, by UpstreamHealth.
                LOG.debug("Conversation {}: the upstream is unreachable: {}", c.logId(), failure.describe());
                c.reachable = false;
                c.broadcastStatus();
            } else {
                LOG.debug("Conversation {}: a poll failed: {}", c.logId(), failure.describe());
            }
            return false;
        }
        return true;
    }

    private void apply(Conversation c, UpstreamEvent event) {
        Instant time = event.timestamp();
        if (event instanceof UpstreamEvent.Message message) {
            if (message.from() == UserType.VISITOR && c.sends.matchEcho(message.text())) {
                return; // our own message, shown when it was sent
            }
            if (message.from() != UserType.VISITOR) {
                c.lastActivity = scheduler.now();
                if (message.from() == UserType.AGENT && time != null) {
                    observer.agentMessageRelayed(Duration.between(time, c.lastActivity));
                }
            }
            c.append(seq -> new RelayEvent.Said(seq, time, label(message.from()), message.text(), null));
        } else if (event instanceof UpstreamEvent.AgentDetails details) {
            c.agent = AgentCard.of(details);
            c.lastActivity = scheduler.now();
            c.append(seq -> new RelayEvent.AgentJoined(seq, time, c.agent));
            c.state = ConversationState.CHATTING;
            c.broadcastStatus();
        } else if (event instanceof UpstreamEvent.ChatClosed closed) {
            end(c, closed.by() == UserType.VISITOR ? ClosedBy.VISITOR : ClosedBy.AGENT, time);
        } else if (event instanceof UpstreamEvent.Attachment file) {
            String url = file.url() != null && file.url().toLowerCase(Locale.ROOT).matches("https?://.+") ? file.url() : null;
            c.append(seq -> new RelayEvent.Shared(seq, time, label(file.from()), url, file.name(), file.contentType()));
        } else if (event instanceof UpstreamEvent.Other other) {
            unknownTypes.info("unknown-type", "Conversation " + c.logId() + ": upstream event of unknown type '"
                    + other.type() + "' shown as a notice");
            c.append(seq -> new RelayEvent.Notice(seq, time, other.type()));
        }
    }

    // --- the end of a chat ---

    /** Ends the chat (under the conversation's lock): a closed event, no more polls, unsent messages reported. */
    void end(Conversation c, ClosedBy by) {
        end(c, by, scheduler.now());
    }

    private void end(Conversation c, ClosedBy by, Instant time) {
        if (c.state == ConversationState.CLOSED) {
            return;
        }
        poller.untrack(c.pollTarget);
        c.session = null;
        c.state = ConversationState.CLOSED;
        c.closedBy = by;
        c.failures = 0;
        c.reachable = true;
        c.append(seq -> new RelayEvent.Closed(seq, time, by));
        for (VisitorSends.Send send : c.sends.abandon()) {
            c.broadcast(new TabMessage.Error(ErrorCode.SEND_FAILED,
                    "This message was not delivered before the chat ended.", send.clientId));
        }
        c.broadcastStatus();
        LOG.info("Conversation {}: chat closed by {}", c.logId(), by.label());
    }

    /** Closes the chat upstream; the result only matters to the log, as the upstream times it out anyway. */
    void closeUpstream(Conversation c, UpstreamSession session) {
        upstream.close(session).thenAccept(result -> {
            if (result instanceof UpstreamFailure failure) {
                LOG.debug("Conversation {}: closing upstream failed: {}", c.logId(), failure.describe());
            }
        });
    }

    private static String label(UserType type) {
        return type.name().toLowerCase(Locale.ROOT);
    }

    private static Duration backoff(int failures) {
        long millis = 500L << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }
}
