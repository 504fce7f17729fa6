package io.parley.relay;

import java.time.Duration;
import java.time.Instant;

/**
 * Spaces out one conversation's live signals to the upstream: the visitor's draft (typing) and
 * how far they have seen the chat. Together they cost at most one upstream call per
 * {@link #SPACING}, however many tabs send them and however fast: a signal that comes too soon
 * waits, replaced by any newer one of its kind, and goes once the spacing has passed, so that
 * the agent ends up with the latest draft and the latest seen mark. Each upstream call costs
 * money (Web API calls are billed), and an agent needs no more than this to see a draft move.
 *
 * <p>Not thread-safe: guarded by its conversation. The caller schedules {@link #flush} when a
 * step says so.
 */
final class SignalThrottle {

    /** The least time between two signals given to the upstream. */
    static final Duration SPACING = Duration.ofSeconds(2);

    /** A signal to give the upstream now: exactly one of the two is set. */
    record Call(String draft, Instant seenUpTo) {
    }

    /** What an offer or a flush decided: a call to make now (or null), and when to flush (or null). */
    record Step(Call call, Duration flushIn) {

        static final Step NOTHING = new Step(null, null);
    }

    private Instant nextAllowed = Instant.MIN;
    private String draft;
    private Instant seenUpTo;
    private boolean flushScheduled;
    /** Which kind goes first when both wait: they take turns, so that neither starves the other. */
    private boolean seenFirst = true;

    /** The visitor's draft, non-blank. */
    Step draft(String text, Instant now) {
        draft = text;
        return next(now);
    }

    /** The visitor has seen up to this moment; the caller offers only marks that move forward. */
    Step seen(Instant upTo, Instant now) {
        seenUpTo = upTo;
        return next(now);
    }

    /** The composer was emptied: a draft still waiting is not sent. */
    void dropDraft() {
        draft = null;
    }

    /** The chat ended: nothing waiting is sent. */
    void clear() {
        draft = null;
        seenUpTo = null;
    }

    /** The flush asked for is due. */
    Step flush(Instant now) {
        flushScheduled = false;
        return next(now);
    }

    private Step next(Instant now) {
        if (draft == null && seenUpTo == null) {
            return Step.NOTHING;
        }
        if (now.isBefore(nextAllowed)) {
            if (flushScheduled) {
                return Step.NOTHING; // the flush already asked for takes the newest value
            }
            flushScheduled = true;
            return new Step(null, Duration.between(now, nextAllowed));
        }
        nextAllowed = now.plus(SPACING);
        Call call;
        if (seenUpTo != null && (seenFirst || draft == null)) {
            call = new Call(null, seenUpTo);
            seenUpTo = null;
            seenFirst = false;
        } else {
            call = new Call(draft, null);
            draft = null;
            seenFirst = true;
        }
        Duration flushIn = null;
        if ((draft != null || seenUpTo != null) && !flushScheduled) {
            flushScheduled = true;
            flushIn = SPACING; // the other kind waits its turn
        }
        return new Step(call, flushIn);
    }
}
