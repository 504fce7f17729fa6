package io.parley.limits;

import io.parley.settings.Rate;
import java.io.Serializable;
import java.time.Duration;

/**
 * One key's bucket as it was at {@code updated} (milliseconds): immutable, so that it can be kept
 * in a map of this node or of a cluster alike and changed only by replacing it.
 */
public record TokenBucket(double tokens, long updated) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A bucket no one has taken from yet. */
    public static TokenBucket full(Rate rate, long now) {
        return new TokenBucket(rate.count(), now);
    }

    /** The bucket at {@code now}, refilled for the time since; a clock behind it refills nothing. */
    public TokenBucket at(long now, Rate rate) {
        if (now <= updated) {
            return this;
        }
        return new TokenBucket(Math.min(rate.count(), tokens + (now - updated) * (double) rate.count() / rate.per().toMillis()), now);
    }

    public boolean hasOne() {
        return tokens >= 1;
    }

    /** With one taken; {@link #hasOne()} first. */
    public TokenBucket lessOne() {
        return new TokenBucket(tokens - 1, updated);
    }

    /** With one given back, never beyond the count. */
    public TokenBucket plusOne(Rate rate) {
        return new TokenBucket(Math.min(rate.count(), tokens + 1), updated);
    }

    public boolean isFull(Rate rate) {
        return tokens >= rate.count();
    }

    /**
     * How long from {@code now} until one can be taken (at least a millisecond): counted from the
     * bucket's own time, which a clock behind it has not reached yet.
     */
    public Duration untilOne(long now, Rate rate) {
        return Duration.ofMillis(Math.max(0, updated - now) + Math.max(1, (long) Math.ceil((1 - tokens) * millisEach(rate))));
    }

    /** How long until the bucket is full again: after that it says nothing a new one would not. */
    public Duration untilFull(Rate rate) {
        return Duration.ofMillis(Math.max(0, (long) Math.ceil((rate.count() - tokens) * millisEach(rate))));
    }

    /** Milliseconds for one to refill (as a quotient of the exact figures, so that whole waits stay whole). */
    private static double millisEach(Rate rate) {
        return rate.per().toMillis() / (double) rate.count();
    }
}
