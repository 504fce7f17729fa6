package io.parley.relay;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A visitor's messages on their way upstream, in order, one call at a time. It remembers which
 * client ids were accepted (so a repeated send is acknowledged again, not sent again), which
 * sends await their echo in the upstream transcript (so the echo is not shown twice), and which
 * ended ambiguously (a timeout or a broken connection: they are settled from the transcript
 * before being sent again). Not thread-safe: guarded by its conversation.
 */
final class VisitorSends {

    /** How many accepted client ids are remembered for idempotency. */
    static final int REMEMBERED_IDS = 256;
    /** How many polls a sent message waits for its echo before it is no longer expected. */
    static final int ECHO_POLLS = 10;

    enum Status { QUEUED, IN_FLIGHT, AMBIGUOUS }

    /** One message on its way. */
    static final class Send {
        final String clientId;
        final String text;
        final long seq;
        Status status = Status.QUEUED;
        boolean echoed;
        Instant endedAt;
        int pollsWithoutEcho;

        Send(String clientId, String text, long seq) {
            this.clientId = clientId;
            this.text = text;
            this.seq = seq;
        }
    }

    private final ArrayDeque<Send> unsent = new ArrayDeque<>();
    private final ArrayDeque<Send> awaitingEcho = new ArrayDeque<>();
    private final Map<String, Long> accepted = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };

    /** The sequence number this client id was accepted as, if it was. */
    Optional<Long> acceptedAs(String clientId) {
        return Optional.ofNullable(accepted.get(clientId));
    }

    void enqueue(String clientId, String text, long seq) {
        accepted.put(clientId, seq);
        unsent.addLast(new Send(clientId, text, seq));
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
        unsent.remove(send);
        if (!send.echoed) {
            awaitingEcho.addLast(send);
        }
    }

    /** The send may or may not have landed; the transcript will tell. */
    void ambiguous(Send send, Instant endedAt) {
        if (send.echoed) {
            unsent.remove(send); // its echo came back while the call was failing: it landed
            return;
        }
        send.status = Status.AMBIGUOUS;
        send.endedAt = endedAt;
    }

    /** The send surely did not land (e.g. a 5xx before it took effect): send it again. */
    void retry(Send send) {
        if (send.echoed) {
            unsent.remove(send); // the transcript shows it landed after all
        } else {
            send.status = Status.QUEUED;
        }
    }

    /** The upstream refused the send for good. */
    void drop(Send send) {
        unsent.remove(send);
    }

    /**
     * Whether a visitor message in the upstream transcript is the echo of one of ours, oldest
     * first; if so it is marked as landed and must not be shown again.
     */
    boolean matchEcho(String text) {
        String echo = normalise(text);
        for (Iterator<Send> it = awaitingEcho.iterator(); it.hasNext();) {
            if (normalise(it.next().text).equals(echo)) {
                it.remove();
                return true;
            }
        }
        for (Iterator<Send> it = unsent.iterator(); it.hasNext();) {
            Send send = it.next();
            if (send.status != Status.QUEUED && !send.echoed && normalise(send.text).equals(echo)) {
                send.echoed = true;
                if (send.status == Status.AMBIGUOUS) {
                    it.remove();
                }
                return true;
            }
        }
        return false;
    }

    /**
     * After a successful poll that started at {@code pollStartedAt}: an ambiguous send whose
     * call ended before that poll began and whose echo has not come is taken as lost and queued
     * again. Sent messages whose echo never comes stop being expected after a while.
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

    /** The accepted client ids and their sequence numbers, oldest first. */
    Map<String, Long> accepted() {
        return new LinkedHashMap<>(accepted);
    }

    /** The messages not yet known to have landed upstream, in order. */
    List<Send> unsent() {
        return List.copyOf(unsent);
    }

    List<Send> awaitingEcho() {
        return List.copyOf(awaitingEcho);
    }

    /**
     * Puts back what a store held. Whether a message was on its way upstream when the server
     * stopped cannot be known, so each one of an open chat is ambiguous, as if its call had
     * failed at {@code now}: the next poll's transcript tells whether it landed.
     */
    void restore(Map<String, Long> restoredAccepted, List<Send> restoredUnsent, List<Send> restoredAwaiting,
            boolean chatOpen, Instant now) {
        accepted.putAll(restoredAccepted);
        for (Send send : restoredUnsent) {
            if (chatOpen) {
                send.status = Status.AMBIGUOUS;
                send.endedAt = now;
            }
            unsent.addLast(send);
        }
        awaitingEcho.addAll(restoredAwaiting);
    }

    private static String normalise(String text) {
        return text.strip().replaceAll("\\s+", " ");
    }
}
