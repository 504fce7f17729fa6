package io.parley.livechat.v2;

import io.parley.logs.ConversationLog;
import io.parley.upstream.AgentCard;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ChatStart;
import io.parley.upstream.ClosedBy;
import io.parley.upstream.Outgoing;
import io.parley.upstream.UpstreamChat;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One visitor's chats on the Visitors Chat API v2: the start (retried while the upstream fails),
 * the visitor's messages one at a time and in order, the polls that read new events and keep the
 * chat alive, and the close. v2 has no message ids of the client's: a send that may have landed is
 * settled from the transcript, by its echo, before it goes again ({@link VisitorSends}), and the
 * visitor's own echoed messages are left out of what is reported.
 *
 * <p>Every field is guarded by this object's monitor, which is held while the listener is told,
 * so that it hears of things in the order they happened. Upstream calls are made without it.
 */
final class V2Chat implements UpstreamChat, UpstreamPoller.Target {

    private static final Logger LOG = LoggerFactory.getLogger(V2Chat.class);

    /** Consecutive failed polls after which the chat is reported unreachable. */
    static final int UNREACHABLE_AFTER = 2;
    private static final Duration MAX_RETRY = Duration.ofSeconds(10);

    private final LiveChatV2 upstream;
    private final String logId;
    private final Listener listener;
    private final String visitorId;
    private final SeenMessageIds seen = new SeenMessageIds(512);
    private final VisitorSends sends = new VisitorSends();
    private UpstreamSession session;
    /** A start asked for and not answered yet; null when none is wanted. */
    private ChatStart wanted;
    private boolean startInFlight;
    private int failures;
    private boolean reachable = true;
    /** Restored with an open chat whose session has not answered a poll since. */
    private boolean unconfirmedSinceRestore;
    /** Whether unreadable events have been logged for this chat already. */
    private boolean unreadableLogged;
    /** When an answer was last cut short: the rest is read at the fast pace. */
    private Instant cutAt;
    private boolean released;

    V2Chat(LiveChatV2 upstream, String logId, V2Snapshot snapshot, Listener listener) {
        this.upstream = upstream;
        this.logId = logId;
        this.listener = listener;
        if (snapshot == null) {
            visitorId = LiveChatV2.newVisitorId();
            return;
        }
        visitorId = snapshot.visitorId();
        if (snapshot.securedSessionId() != null) {
            session = new UpstreamSession(visitorId, snapshot.securedSessionId());
            unconfirmedSinceRestore = true;
        }
        snapshot.seenIds().forEach(seen::add);
        sends.restore(snapshot.landed(), sends(snapshot.unsent()), sends(snapshot.awaitingEcho()), session != null,
                upstream.now());
    }

    // --- what the relay asks ---

    @Override
    public void start(ChatStart start, Outgoing first) {
        synchronized (this) {
            if (released) {
                return;
            }
            if (session == null) {
                // Left from a chat that never started (given back from the store, then dropped):
                // the relay gives again, with the first, everything it still wants sent.
                sends.abandon();
            }
            wanted = start;
            failures = 0;
            take(first);
        }
        attemptStart();
    }

    @Override
    public void send(Outgoing message) {
        boolean open;
        synchronized (this) {
            if (released) {
                return;
            }
            take(message);
            open = session != null;
        }
        if (open) {
            upstream.poller().hurry(this, upstream.fastInterval()); // the answer is likely soon
            pumpSends();
        }
    }

    /**
     * Queues a message unless it is queued or landed already (then it is reported delivered
     * again). One given after its chat ended, before the end reached the relay, is not delivered.
     */
    private void take(Outgoing message) {
        if (sends.hasLanded(message.clientId())) {
            listener.delivered(message.clientId());
            listener.changed();
        } else if (session == null && wanted == null) {
            listener.notDelivered(message.clientId(), Undelivered.CHAT_ENDED);
            listener.changed();
        } else if (!sends.knows(message.clientId())) {
            // The conversation's record holds it already: no write is needed for it here.
            if (message.restored() && session != null) {
                // Given back after a restart: it may have gone before the stop.
                sends.enqueueMaybeSent(message.clientId(), message.text(), upstream.now());
            } else {
                sends.enqueue(message.clientId(), message.text());
            }
        }
    }

    @Override
    public void close() {
        UpstreamSession closing;
        synchronized (this) {
            wanted = null;
            closing = session;
            report(finish());
            listener.changed();
        }
        if (closing != null) {
            closeUpstream(closing);
        }
    }

    @Override
    public void resume() {
        synchronized (this) {
            if (released || session == null) {
                return;
            }
        }
        upstream.poller().track(this, Duration.ZERO);
        pumpSends();
    }

    @Override
    public void release() {
        synchronized (this) {
            released = true;
            wanted = null;
        }
        upstream.poller().untrack(this);
    }

    @Override
    public synchronized <T> T holding(Supplier<T> action) {
        return action.get();
    }

    @Override
    public synchronized String snapshot() {
        return new V2Snapshot(visitorId, session == null ? null : session.securedSessionId(), seen.ids(),
                stored(sends.unsent(), send -> send.attempts),
                stored(sends.awaitingEcho(), send -> send.mayHaveLanded() - send.echoes),
                sends.landedIds()).toJson();
    }

    // --- start ---

    /** Starts the chat upstream, unless a start is on its way already: at most one at a time. */
    private void attemptStart() {
        ChatStart request;
        synchronized (this) {
            if (wanted == null || startInFlight || released) {
                return;
            }
            startInFlight = true;
            request = wanted;
        }
        CompletableFuture<StartResult> call;
        try {
            call = upstream.client().start(visitorId, request);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        // Whatever happens to the call, its result is applied: a start left in flight would block every later one.
        call.handle((result, error) -> error == null ? result
                        : new UpstreamFailure.NotSent("the call could not be made: " + error.getClass().getSimpleName()))
                .thenAccept(result -> ConversationLog.run(logId, () -> onStarted(result)));
    }

    private void onStarted(StartResult result) {
        UpstreamSession unwanted = null;
        synchronized (this) {
            startInFlight = false;
            if (wanted == null || released) {
                if (result instanceof StartResult.Started started) {
                    unwanted = started.session(); // the visitor closed while it was starting
                }
            } else if (result instanceof StartResult.Started started) {
                wanted = null;
                session = started.session();
                seen.clear();
                failures = 0;
                unconfirmedSinceRestore = false;
                reachable(true);
                listener.started();
                listener.changed();
                upstream.poller().track(this, upstream.fastInterval());
                LOG.info("Conversation {} started a chat", logId);
            } else if (result instanceof StartResult.Banned) {
                wanted = null;
                sends.abandon();
                listener.refused(Refusal.BANNED);
                listener.changed();
                LOG.info("Conversation {} refused: the visitor is banned", logId);
            } else {
                UpstreamFailure failure = (UpstreamFailure) result;
                if (failure.retryable()) {
                    failures++;
                    reachable(false);
                    Duration delay = backoff(failures);
                    LOG.warn("Conversation {} could not start its chat, retrying in {} ms: {}", logId,
                            delay.toMillis(), failure.describe());
                    upstream.scheduler().schedule(this::attemptStart, delay);
                } else {
                    LOG.warn("Conversation {} could not start its chat: {}", logId, failure.describe());
                    wanted = null;
                    failures = 0;
                    reachable(true);
                    sends.abandon();
                    listener.refused(Refusal.FAILED);
                    listener.changed();
                }
            }
        }
        if (unwanted != null) {
            closeUpstream(unwanted);
        }
        pumpSends();
    }

    // --- sends ---

    /** Sends the next queued message, if none is in flight or waiting to be settled. */
    private void pumpSends() {
        VisitorSends.Send send;
        UpstreamSession current;
        synchronized (this) {
            if (session == null || released) {
                return;
            }
            send = sends.takeNext().orElse(null);
            if (send == null) {
                return;
            }
            current = session;
        }
        upstream.client().send(current, send.text)
                .thenAccept(result -> ConversationLog.run(logId, () -> onSent(current, send, result)));
    }

    private void onSent(UpstreamSession sentIn, VisitorSends.Send send, SendResult result) {
        boolean next = false;
        synchronized (this) {
            if (session != sentIn) {
                // The chat ended while this send was on its way: once it failed, nothing can send
                // it again or settle it, so the visitor is told rather than left to believe it went.
                if (result instanceof UpstreamFailure failure) {
                    LOG.debug("Conversation {}: a send failed after its chat ended: {}", logId, failure.describe());
                    listener.notDelivered(send.clientId, Undelivered.MAYBE_BEFORE_END);
                } else {
                    listener.delivered(send.clientId);
                }
                listener.changed();
                return;
            }
            if (result instanceof SendResult.Sent) {
                sends.sent(send);
                next = true;
            } else {
                UpstreamFailure failure = (UpstreamFailure) result;
                LOG.debug("Conversation {}: a send failed: {}", logId, failure.describe());
                if (failure.ambiguous()) {
                    // It may have landed: the transcript settles it before it is sent again.
                    sends.ambiguous(send, upstream.now(), !(failure instanceof UpstreamFailure.TimedOut
                            || failure instanceof UpstreamFailure.ConnectionFailed));
                    upstream.poller().hurry(this, Duration.ZERO);
                } else if (failure instanceof UpstreamFailure.Rejected rejected) {
                    LOG.warn("Conversation {}: the upstream refused a message: {}", logId, rejected.describe());
                    sends.drop(send);
                    listener.notDelivered(send.clientId, Undelivered.REFUSED);
                    next = true;
                } else {
                    // Surely not landed: it never left, or the chat is gone (which the next poll
                    // will tell, and end it). It goes again.
                    sends.retry(send);
                    upstream.scheduler().schedule(this::pumpSends, backoff(1));
                    upstream.poller().hurry(this, Duration.ZERO);
                }
            }
            reportLanded();
            listener.changed();
        }
        if (next) {
            pumpSends();
        }
    }

    /** Tells the listener of every message that landed since it was last told. */
    private void reportLanded() {
        for (String clientId : sends.drainLanded()) {
            listener.delivered(clientId);
        }
    }

    // --- polls ---

    @Override
    public CompletableFuture<?> pollOnce() {
        UpstreamSession current;
        long cursor;
        synchronized (this) {
            if (session == null || released) {
                return CompletableFuture.completedFuture(null);
            }
            current = session;
            cursor = seen.highest();
        }
        Instant started = upstream.now();
        return upstream.client().poll(current, cursor)
                .thenAccept(result -> ConversationLog.run(logId, () -> onPolled(current, started, result)));
    }

    @Override
    public PollSchedule.Activity activity() {
        Presence presence = listener.presence(); // not under this lock: the listener takes its own
        synchronized (this) {
            Instant last = presence.lastActivity();
            if (cutAt != null && (last == null || cutAt.isAfter(last))) {
                last = cutAt;
            }
            return new PollSchedule.Activity(presence.tabs(), last, failures);
        }
    }

    private void onPolled(UpstreamSession polled, Instant started, PollResult result) {
        synchronized (this) {
            if (session != polled) {
                return;
            }
            if (result instanceof PollResult.Polled answer) {
                applyPolled(answer, started);
            } else if (result instanceof UpstreamFailure.SessionGone) {
                LOG.info("Conversation {}: the upstream no longer knows the chat", logId);
                // Gone while this server was away (or, in demo mode, with the emulator that restarted):
                // nothing says the visitor was inactive.
                end(unconfirmedSinceRestore ? ClosedBy.UPSTREAM : ClosedBy.TIMEOUT, upstream.now());
                return;
            } else if (result instanceof UpstreamFailure.Rejected rejected) {
                LOG.warn("Conversation {}: the upstream refused a poll, ending the chat: {}", logId,
                        rejected.describe());
                end(ClosedBy.UPSTREAM, upstream.now());
                return;
            } else {
                UpstreamFailure failure = (UpstreamFailure) result;
                failures++;
                if (failures == UNREACHABLE_AFTER) {
                    // Per chat at debug: an outage is reported once for the node, by its health.
                    LOG.debug("Conversation {}: the upstream is unreachable: {}", logId, failure.describe());
                    reachable(false);
                } else {
                    LOG.debug("Conversation {}: a poll failed: {}", logId, failure.describe());
                }
                return;
            }
        }
        pumpSends();
    }

    private void applyPolled(PollResult.Polled polled, Instant started) {
        unconfirmedSinceRestore = false;
        if (failures >= UNREACHABLE_AFTER) {
            LOG.debug("Conversation {}: the upstream answers again", logId);
        }
        failures = 0;
        reachable(true);
        List<UpstreamEvent> events = polled.events().stream()
                .sorted(Comparator.comparingLong(UpstreamEvent::messageId)).toList();
        boolean changed = false;
        for (UpstreamEvent event : events) {
            if (seen.add(event.messageId())) {
                changed = true;
                apply(event);
            }
        }
        if (polled.unreadable() > 0 && !unreadableLogged) {
            unreadableLogged = true; // once per chat: the same answer may come again
            LOG.warn("Conversation {}: {} upstream event(s) could not be read and were left out", logId,
                    polled.unreadable());
        }
        if (polled.more()) {
            // Too large to read whole: the rest is pending, and an echo may be in it.
            LOG.debug("Conversation {}: the upstream answer was cut; polling again for the rest", logId);
            cutAt = upstream.now();
        } else if (session != null) {
            // Not written for this: what it settles is kept as attempts, which do not change here.
            sends.settleAfterPoll(started);
        }
        reportLanded();
        if (changed) {
            listener.changed();
        }
    }

    private void apply(UpstreamEvent event) {
        Instant time = event.timestamp();
        if (event instanceof UpstreamEvent.Message message) {
            if (message.from() == UserType.VISITOR && sends.matchEcho(message.text())) {
                return; // our own message, shown when it was sent
            }
            listener.received(new ChatEvent.Message(time, author(message.from()), message.text()));
        } else if (event instanceof UpstreamEvent.AgentDetails details) {
            listener.received(new ChatEvent.AgentJoined(time, new AgentCard(details.name(), details.jobTitle(),
                    details.avatarUrl().map(URI::toString).orElse(null))));
        } else if (event instanceof UpstreamEvent.ChatClosed closed) {
            end(closed.by() == UserType.VISITOR ? ClosedBy.VISITOR : ClosedBy.AGENT, time);
        } else if (event instanceof UpstreamEvent.Attachment file) {
            String url = file.url() != null && file.url().toLowerCase(Locale.ROOT).matches("https?://.+") ? file.url() : null;
            listener.received(new ChatEvent.File(time, author(file.from()), url, file.name(), file.contentType()));
        } else if (event instanceof UpstreamEvent.Other other) {
            upstream.unknownType(logId, other.type());
            listener.received(new ChatEvent.Notice(time, other.type()));
        }
    }

    // --- the end of a chat ---

    /** The chat ended upstream: no more polls, and what was not sent is reported. */
    private void end(ClosedBy by, Instant time) {
        if (session == null) {
            return;
        }
        List<VisitorSends.Send> unsent = finish();
        listener.ended(by, time == null ? upstream.now() : time);
        report(unsent);
        listener.changed();
    }

    /** Forgets the open chat; returns what will not be sent. A send in flight is settled by its answer. */
    private List<VisitorSends.Send> finish() {
        if (session != null) {
            upstream.poller().untrack(this);
        }
        session = null;
        failures = 0;
        reachable = true; // the relay shows an ended chat as reachable: nothing is asked of the upstream
        cutAt = null;
        return sends.abandon();
    }

    private void report(List<VisitorSends.Send> unsent) {
        for (VisitorSends.Send send : unsent) {
            listener.notDelivered(send.clientId, Undelivered.CHAT_ENDED);
        }
    }

    /** Closes the chat upstream; the result only matters to the log, as the upstream times it out anyway. */
    private void closeUpstream(UpstreamSession closing) {
        upstream.client().close(closing).thenAccept(result -> {
            if (result instanceof UpstreamFailure failure) {
                ConversationLog.run(logId, () -> LOG.debug("Conversation {}: closing upstream failed: {}", logId,
                        failure.describe()));
            }
        });
    }

    private void reachable(boolean now) {
        if (reachable != now) {
            reachable = now;
            listener.reachable(now);
        }
    }

    private static Author author(UserType type) {
        switch (type) {
            case AGENT: return Author.AGENT;
            case VISITOR: return Author.VISITOR;
            case SUPERVISOR: return Author.SUPERVISOR;
            default: return Author.UNKNOWN;
        }
    }

    private static Duration backoff(int failures) {
        long millis = 500L << Math.min(failures - 1, 10);
        return Duration.ofMillis(Math.min(millis, MAX_RETRY.toMillis()));
    }

    private static List<V2Snapshot.Send> stored(List<VisitorSends.Send> sends,
            java.util.function.ToIntFunction<VisitorSends.Send> count) {
        return sends.stream().map(send -> new V2Snapshot.Send(send.clientId, send.text, count.applyAsInt(send))).toList();
    }

    private static List<VisitorSends.Send> sends(List<V2Snapshot.Send> stored) {
        List<VisitorSends.Send> sends = new ArrayList<>(stored.size());
        for (V2Snapshot.Send record : stored) {
            VisitorSends.Send send = new VisitorSends.Send(record.clientId(), record.text());
            send.attempts = record.count();
            sends.add(send);
        }
        return sends;
    }

    @Override
    public String toString() {
        return "V2Chat[" + logId + "]";
    }
}
