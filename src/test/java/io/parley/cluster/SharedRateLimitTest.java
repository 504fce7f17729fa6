package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.limits.TokenBucket;
import java.util.AbstractMap;
import java.util.Map;
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
        // another member, its clock a minute behind: no refill, the same wait from its own now
        assertEquals(HOUR / 2, new SharedRateLimit.Take(2, HOUR, 1_000 - 60_000).process(entry).longValue());
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
}
