package io.parley.livechat.v2;

import io.parley.upstream.UpstreamChat;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A visitor's messages on their way upstream, in order, one call at a time. It remembers which
 * client ids landed (so a message given again after a restart is not sent again), which
 * sends may still have echoes to come in the upstream transcript (so no echo is shown as a new
 * message), and which ended ambiguously (an error status, a timeout, a broken connection or an
 * answer that is not the documented one: the send may have landed). An ambiguous send is settled
 * from the transcript before it is sent again, and, since the transcript may lag behind the
 * answer, a message sent again may land twice: each attempt that may have landed is one echo to
 * expect, so every copy is recognised while two messages of the same text remain two. Not
 * thread-safe: guarded by its conversation.
 */
final class VisitorSends {

    /** How many landed client ids are remembered for idempotency. */
    static final int REMEMBERED_IDS = 256;
    /** How many polls a landed message waits for echoes still due before they are no longer expected. */
    static final int ECHO_POLLS = 10;

    enum Status { QUEUED, IN_FLIGHT, AMBIGUOUS, LANDED }

    /** One message on its way. */
    static final class Send {
        final String clientId;
        final String text;
        Status status = Status.QUEUED;
        /** Completed calls that may have landed: successes and ambiguous outcomes. */
        int attempts;
        /** Echoes of this message found in the transcript. */
        int echoes;
        Instant endedAt;
        int pollsWithoutEcho;

        Send(String clientId, String text) {
            this.clientId = clientId;
            this.text = text;
        }

        /** How many copies of it may be upstream: its attempts, and the call in flight. */
        int mayHaveLanded() {
            return attempts + (status == Status.IN_FLIGHT ? 1 : 0);
        }

        boolean echoesDue() {
            return echoes < mayHaveLanded();
        }
    }

    /** Sends not known to have landed, in order; only the first goes out. */
    private final ArrayDeque<Send> unsent = new ArrayDeque<>();
    /** Sends known to have landed whose echoes, or some of them, have not come yet. */
    private final ArrayDeque<Send> awaitingEcho = new ArrayDeque<>();
    private final Set<String> landed = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    });

    /** Landed since {@link #drainLanded()} was last called. */
    private final List<String> newlyLanded = new ArrayList<>(1);

    /** Whether a message with this client id is queued, on its way or landed: then it is not taken again. */
    boolean knows(String clientId) {
        if (landed.contains(clientId)) {
            return true;
        }
        for (Send send : unsent) {
            if (send.clientId.equals(clientId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the message with this client id is known to have landed. */
    boolean hasLanded(String clientId) {
        return landed.contains(clientId);
    }

    Send enqueue(String clientId, String text) {
        Send send = new Send(clientId, text);
        unsent.addLast(send);
        return send;
    }

    /**
     * Queues a message that may have been sent before a restart, as if a call had failed at
     * {@code now}: the next poll's transcript tells whether it landed.
     */
    Send enqueueMaybeSent(String clientId, String text, Instant now) {
        Send send = enqueue(clientId, text);
        send.attempts = 1;
        send.status = Status.AMBIGUOUS;
        send.endedAt = now;
        return send;
    }

    /** The next send to make, marked in flight; empty while another is in flight or unsettled. */
    Optional<Send> takeNext() {
        Send head = unsent.peekFirst();
        if (head == null || head.status != Status.QUEUED) {
            return Optional.empty();
        }
        head.status = Status.IN_FLIGHT;
        return Optional.of(head);
    }

    /** The upstream accepted the send. */
    void sent(Send send) {
        send.attempts++;
        landed(send);
    }

    /**
     * The send may or may not have landed; the transcript will tell. Without an answer (a timeout,
     * a broken connection) the call may still be applied after it ended, for
     * {@link UpstreamChat#IN_DOUBT}; an answer, even an error, comes once the call took effect or not.
     */
    void ambiguous(Send send, Instant endedAt, boolean answered) {
        send.attempts++;
        if (send.echoes > 0) {
            landed(send); // its echo came back while the call was failing
            return;
        }
        send.status = Status.AMBIGUOUS;
        send.endedAt = answered ? endedAt : endedAt.plus(UpstreamChat.IN_DOUBT);
    }

    /** The send surely did not land, e.g. its chat is gone: it may go again. */
    void retry(Send send) {
        if (send.echoes > 0) {
            landed(send); // an earlier attempt's echo shows it landed after all
        } else {
            send.status = Status.QUEUED;
        }
    }

    /**
     * The upstream refused the send for good. It is done with as if landed, so that echoes of its
     * earlier, ambiguous attempts are still recognised.
     */
    void drop(Send send) {
        settled(send);
    }

    /** The client ids of the messages that landed since this was last asked, oldest first. */
    List<String> drainLanded() {
        if (newlyLanded.isEmpty()) {
            return List.of();
        }
        List<String> drained = List.copyOf(newlyLanded);
        newlyLanded.clear();
        return drained;
    }

    private void landed(Send send) {
        newlyLanded.add(send.clientId);
        landed.add(send.clientId);
        settled(send);
    }

    private void settled(Send send) {
        unsent.remove(send);
        awaitingEcho.remove(send);
        send.status = Status.LANDED;
        if (send.echoesDue()) {
            send.pollsWithoutEcho = 0;
            awaitingEcho.addLast(send);
        }
    }

    /**
     * Whether a visitor message in the upstream transcript is an echo of one of ours; if so it
     * is counted and must not be shown again. A message with no echo yet is matched before a
     * message that may have landed more than once, oldest first, as the transcript lists copies
     * in the order they landed.
     */
    boolean matchEcho(String text) {
        String echo = normalise(text);
        Send match = null;
        for (Send send : candidates()) {
            if (send.echoesDue() && normalise(send.text).equals(echo)) {
                if (send.echoes == 0) {
                    match = send;
                    break;
                }
                if (match == null) {
                    match = send;
                }
            }
        }
        if (match == null) {
            return false;
        }
        match.echoes++;
        if (match.status == Status.LANDED) {
            match.pollsWithoutEcho = 0;
            if (!match.echoesDue()) {
                awaitingEcho.remove(match);
            }
        } else if (match.status != Status.IN_FLIGHT) {
            landed(match); // an ambiguous send, or one queued again, that landed: not sent again
        }
        return true;
    }

    private List<Send> candidates() {
        List<Send> all = new ArrayList<>(awaitingEcho.size() + unsent.size());
        all.addAll(awaitingEcho);
        all.addAll(unsent);
        return all;
    }

    /**
     * After a successful poll that started at {@code pollStartedAt}: an ambiguous send whose
     * call could no longer take effect when that poll began and whose echo has not come is taken
     * as lost and queued again. Landed messages whose further echoes never come stop being expected after a while.
     */
    void settleAfterPoll(Instant pollStartedAt) {
        for (Send send : unsent) {
            if (send.status == Status.AMBIGUOUS && !send.endedAt.isAfter(pollStartedAt)) {
                send.status = Status.QUEUED;
            }
        }
        awaitingEcho.removeIf(send -> ++send.pollsWithoutEcho > ECHO_POLLS);
    }

    /**
     * The chat ended: everything still on its way is forgotten, and the sends that surely or
     * possibly did not land are returned, to be reported as not delivered. A send whose call is in
     * flight has reached the upstream before the chat's end was known, as when the visitor closes
     * right after writing; it is not reported.
     */
    List<Send> abandon() {
        List<Send> abandoned = new ArrayList<>(unsent.size());
        for (Send send : unsent) {
            if (send.status != Status.IN_FLIGHT) {
                abandoned.add(send);
            }
        }
        unsent.clear();
        awaitingEcho.clear();
        return abandoned;
    }

    /** The client ids known to have landed, oldest first. */
    List<String> landedIds() {
        return List.copyOf(landed);
    }

    /** The messages not yet known to have landed upstream, in order. */
    List<Send> unsent() {
        return List.copyOf(unsent);
    }

    /** The landed messages with echoes still due. */
    List<Send> awaitingEcho() {
        return List.copyOf(awaitingEcho);
    }

    /**
     * Puts back what a store held. Whether a message was on its way upstream when the server
     * stopped cannot be known, so each one of an open chat is ambiguous, as if a call had failed
     * at {@code now}: the next poll's transcript tells whether it landed.
     *
     * @param restoredLanded   the client ids known to have landed
     * @param restoredUnsent   with the attempts each had made
     * @param restoredAwaiting with the echoes each still had due, as its attempts
     */
    void restore(List<String> restoredLanded, List<Send> restoredUnsent, List<Send> restoredAwaiting,
            boolean chatOpen, Instant now) {
        landed.addAll(restoredLanded);
        for (Send send : restoredUnsent) {
            if (chatOpen) {
                send.attempts++;
                send.status = Status.AMBIGUOUS;
                send.endedAt = now;
            }
            unsent.addLast(send);
        }
        for (Send send : restoredAwaiting) {
            send.status = Status.LANDED;
            if (send.echoesDue()) {
                awaitingEcho.addLast(send);
            }
        }
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
