package io.parley.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import io.parley.limits.RateLimit;
import io.parley.limits.TokenBucket;
import io.parley.settings.Rate;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rate limit whose buckets the cluster keeps (with a backup), changed on their partition's
 * owner: a visitor whose conversation moves, or an address whose tabs a balancer spreads, finds
 * its bucket as the other nodes left it. A bucket that has refilled is dropped by the map itself.
 * When the cluster does not answer soon, this node's own buckets count, rather than letting all
 * through or refusing all. Not fenced, unlike the records: a count taken twice (a call retried
 * after a member left) errs on the strict side by one.
 */
final class SharedRateLimit implements RateLimit {

    private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimit.class);
    /**
     * How long a chat start waits for the cluster's count. It is asked with the conversation's
     * locks held: a member that froze or a merge under way must not hold them for long (the
     * liveness probe fails after 10 s), nor a busy machine's pause make every start count alone.
     */
    static final Duration ANSWER_WITHIN = Duration.ofSeconds(2);
    private static final int COUNTED_HERE_AT_MOST = 10_000;
    private static final Duration SAY_EVERY = Duration.ofMinutes(1);

    private final IMap<String, TokenBucket> buckets;
    private final String name;
    private final Rate rate;
    private final LongSupplier clock;
    private final RateLimit fallback;
    /** Keys whose latest count was this node's own, so that a refund goes back there. */
    private final Set<String> countedHere = ConcurrentHashMap.newKeySet();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong lastSaid = new AtomicLong(Long.MIN_VALUE / 2);

    SharedRateLimit(IMap<String, TokenBucket> buckets, String name, Rate rate, LongSupplier clock, RateLimit fallback) {
        this.buckets = buckets;
        this.name = name;
        this.rate = rate;
        this.clock = clock;
        this.fallback = fallback;
    }

    @Override
    public Optional<Duration> acquire(String key) {
        long wait;
        try {
            wait = buckets.submitToKey(name + ":" + key, new Take(rate.count(), rate.per().toMillis(), clock.getAsLong()))
                    .toCompletableFuture().get(ANSWER_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return countedHere(key);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            unanswered(e instanceof ExecutionException ? e.getCause() : e);
            return countedHere(key);
        }
        countedHere.remove(key);
        return wait == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(wait));
    }

    /** Not waited for: the refusal it goes with is answered at once, whenever the token is back. */
    @Override
    public void refund(String key) {
        if (countedHere.remove(key)) {
            fallback.refund(key); // given back where it was taken
            return;
        }
        try {
            buckets.submitToKey(name + ":" + key, new Refund(rate.count(), rate.per().toMillis()));
        } catch (RuntimeException e) {
            unanswered(e);
        }
    }

    /**
     * Said once a minute at most, with how many went unanswered meanwhile: in a burst of starts
     * each would say the same, and Hazelcast's own description of a late call is a page long.
     */
    private void unanswered(Throwable why) {
        long missed = unanswered.incrementAndGet();
        long now = clock.getAsLong();
        long last = lastSaid.get();
        if (now - last >= SAY_EVERY.toMillis() && lastSaid.compareAndSet(last, now)) {
            unanswered.set(0);
            LOG.warn("The cluster did not answer {} call(s) counting {} within {} ms ({}), so this node counted "
                    + "alone meanwhile", missed, name, ANSWER_WITHIN.toMillis(), why.getClass().getSimpleName());
        }
    }

    private Optional<Duration> countedHere(String key) {
        if (countedHere.size() > COUNTED_HERE_AT_MOST) {
            countedHere.clear(); // a long outage: a refund may go to the cluster instead, erring by one
        }
        countedHere.add(key);
        return fallback.acquire(key);
    }

    /** Takes one from the bucket at {@code now}; answers 0 when taken, else the milliseconds until one will be. */
    record Take(int count, long perMillis, long now) implements EntryProcessor<String, TokenBucket, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(Map.Entry<String, TokenBucket> entry) {
            Rate rate = new Rate(count, Duration.ofMillis(perMillis));
            TokenBucket bucket = entry.getValue() == null ? TokenBucket.full(rate, now) : entry.getValue().at(now, rate);
            if (bucket.hasOne()) {
                keep(entry, bucket.lessOne(), rate);
                return 0L;
            }
            keep(entry, bucket, rate);
            return bucket.untilOne(now, rate).toMillis();
        }
    }

    /** Gives one back to the bucket, if it is still kept. */
    record Refund(int count, long perMillis) implements EntryProcessor<String, TokenBucket, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean process(Map.Entry<String, TokenBucket> entry) {
            if (entry.getValue() == null) {
                return Boolean.FALSE;
            }
            Rate rate = new Rate(count, Duration.ofMillis(perMillis));
            keep(entry, entry.getValue().plusOne(rate), rate);
            return Boolean.TRUE;
        }
    }

    /** Keeps the bucket until it will have refilled (plus a second for the members' clocks to differ). */
    private static void keep(Map.Entry<String, TokenBucket> entry, TokenBucket bucket, Rate rate) {
        if (entry instanceof ExtendedMapEntry<String, TokenBucket> extended) {
            extended.setValue(bucket, bucket.untilFull(rate).toMillis() + 1000, TimeUnit.MILLISECONDS);
        } else {
            entry.setValue(bucket);
        }
    }
}
