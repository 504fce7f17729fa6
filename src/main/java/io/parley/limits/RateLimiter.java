package io.parley.limits;

import io.parley.settings.Rate;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One token bucket per key: a burst of {@code count} is allowed, then one more each
 * {@code per / count}. Buckets that have refilled completely carry no information and are
 * dropped once there are many, so memory stays bounded by the keys recently active.
 */
public final class RateLimiter {

    private static final int SWEEP_ABOVE = 10_000;

    private final Rate rate;
    private final LongSupplier clock;
    private final double perMilli;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** {@code clock} gives the current time in milliseconds. */
    public RateLimiter(Rate rate, LongSupplier clock) {
        this.rate = rate;
        this.clock = clock;
        this.perMilli = rate.count() / (double) rate.per().toMillis();
    }

    /**
     * Takes one from the key's bucket.
     *
     * @return empty when allowed; otherwise how long until one will be
     */
    public Optional<Duration> acquire(String key) {
        long now = clock.getAsLong();
        if (buckets.size() > SWEEP_ABOVE) {
            sweep(now);
        }
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(rate.count(), now));
        synchronized (bucket) {
            bucket.refill(now, rate.count(), perMilli);
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return Optional.empty();
            }
            long wait = (long) Math.ceil((1 - bucket.tokens) / perMilli);
            return Optional.of(Duration.ofMillis(Math.max(1, wait)));
        }
    }

    /** Gives back what {@link #acquire} took, when another limit refused the same action. */
    public void refund(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            synchronized (bucket) {
                bucket.tokens = Math.min(rate.count(), bucket.tokens + 1);
            }
        }
    }

    /** Keys currently tracked. */
    public int size() {
        return buckets.size();
    }

    private void sweep(long now) {
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext();) {
            Bucket bucket = it.next();
            synchronized (bucket) {
                bucket.refill(now, rate.count(), perMilli);
                if (bucket.tokens >= rate.count()) {
                    it.remove();
                }
            }
        }
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }

        void refill(long now, int capacity, double perMilli) {
            if (now > updated) {
                tokens = Math.min(capacity, tokens + (now - updated) * perMilli);
                updated = now;
            }
        }
    }
}
