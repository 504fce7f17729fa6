package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.map.ExtendedMapEntry;
import io.parley.limits.TokenBucket;
import java.util.AbstractMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A shared bucket as its partition's owner (and backup) changes it: the same arithmetic as a
 * node's own, whichever member's clock asks, and a member whose clock is behind refills nothing.
 */
class SharedRateLimitTest {

    private static final long HOUR = 3_600_000;

    private final Map.Entry<String, TokenBucket> entry = new AbstractMap.SimpleEntry<>("chat-starts-per-visitor:k", null);

    @Test
    void aBurstIsTakenThenTheWaitIsTheTimeUntilOneRefills() {
        assertEquals(0L, new SharedRateLimit.Take(2, HOUR, 1_000).process(entry));
        assertEquals(0L, new SharedRateLimit.Take(2, HOUR, 1_000).process(entry));
        assertEquals(HOUR / 2, new SharedRateLimit.Take(2, HOUR, 1_000).process(entry).longValue());
        // another member, its clock a minute behind: no refill, and a wait a minute longer on its clock
        assertEquals(HOUR / 2 + 60_000, new SharedRateLimit.Take(2, HOUR, 1_000 - 60_000).process(entry).longValue());
        // half an hour on, on any member: one more
        assertEquals(0L, new SharedRateLimit.Take(2, HOUR, 1_000 + HOUR / 2).process(entry));
        assertTrue(new SharedRateLimit.Take(2, HOUR, 1_000 + HOUR / 2).process(entry) > 0);
    }

    @Test
    void aRefundGivesBackOneAndNeverMoreThanTheCount() {
        assertFalse(new SharedRateLimit.Refund(1, HOUR).process(entry), "nothing taken, nothing kept");
        assertEquals(0L, new SharedRateLimit.Take(1, HOUR, 5_000).process(entry));
        assertTrue(new SharedRateLimit.Refund(1, HOUR).process(entry));
        assertTrue(new SharedRateLimit.Refund(1, HOUR).process(entry));
        assertEquals(1.0, entry.getValue().tokens());
        assertEquals(0L, new SharedRateLimit.Take(1, HOUR, 5_000).process(entry));
        assertTrue(new SharedRateLimit.Take(1, HOUR, 5_000).process(entry) > 0);
    }

    @Test
    void aBucketIsKeptUntilItWillHaveRefilledAndASecondMore() {
        KeptEntry kept = new KeptEntry();
        assertEquals(0L, new SharedRateLimit.Take(2, HOUR, 1_000).process(kept));
        assertEquals(HOUR / 2 + 1_000, kept.ttlMillis, "one of two taken: full again in half an hour");
        assertEquals(0L, new SharedRateLimit.Take(2, HOUR, 1_000).process(kept));
        assertEquals(HOUR + 1_000, kept.ttlMillis);
        assertTrue(new SharedRateLimit.Refund(2, HOUR).process(kept));
        assertEquals(HOUR / 2 + 1_000, kept.ttlMillis);
    }

    /** An entry of the map as Hazelcast hands it to a processor: its value may be kept for a while only. */
    private static final class KeptEntry extends AbstractMap.SimpleEntry<String, TokenBucket>
            implements ExtendedMapEntry<String, TokenBucket> {
        private static final long serialVersionUID = 1L;
        long ttlMillis = -1;

        KeptEntry() {
            super("chat-starts-per-ip:127.0.0.1", null);
        }

        @Override
        public TokenBucket setValue(TokenBucket value, long ttl, TimeUnit unit) {
            ttlMillis = unit.toMillis(ttl);
            return setValue(value);
        }

        @Override
        public TokenBucket setValueWithoutChangingExpiryTime(TokenBucket value) {
            return setValue(value);
        }
    }
}
