package io.parley.limits;

import io.parley.settings.Rate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The buckets of one rate limit, kept in this node. Buckets that have refilled completely carry
 * no information and are dropped once there are many, so memory stays bounded by the keys
 * recently active.
 */
public final class RateLimiter implements RateLimit {

    private static final int SWEEP_ABOVE = 10_000;

    private final Rate rate;
    private final LongSupplier clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    /** {@code clock} gives the current time in milliseconds. */
    public RateLimiter(Rate rate, LongSupplier clock) {
        this.rate = rate;
        this.clock = clock;
    }

    @Override
    public Optional<Duration> acquire(String key) {
        long now = clock.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        Duration[] wait = new Duration[1];
        buckets.compute(key, (k, bucket) -> {
            TokenBucket current = (bucket == null ? TokenBucket.full(rate, now) : bucket).at(now, rate);
            if (current.hasOne()) {
                return current.lessOne();
            }
            wait[0] = current.untilOne(now, rate);
            return current;
        });
        return Optional.ofNullable(wait[0]);
    }

    @Override
    public void refund(String key) {
        buckets.computeIfPresent(key, (k, bucket) -> bucket.plusOne(rate));
    }

    /** Keys currently tracked. */
    public int size() {
        return buckets.size();
    }

    private void sweep(long now) {
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, bucket) -> bucket.at(now, rate).isFull(rate) ? null : bucket);
        }
    }
}
