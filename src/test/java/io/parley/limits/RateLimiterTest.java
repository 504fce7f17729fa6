package io.parley.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.settings.Rate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A burst up to the count, then one more each period / count; keys are independent. */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RateLimiter limiter = new RateLimiter(new Rate(3, Duration.ofSeconds(30)), now::get);

    @Test
    void aBurstIsAllowedThenTheWaitIsTheTimeUntilOneRefills() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Optional.empty(), limiter.acquire("a"));
        }
        assertEquals(Optional.of(Duration.ofSeconds(10)), limiter.acquire("a"));
        now.addAndGet(4_000);
        assertEquals(Optional.of(Duration.ofSeconds(6)), limiter.acquire("a"));
        now.addAndGet(6_000);
        assertEquals(Optional.empty(), limiter.acquire("a"));
        assertTrue(limiter.acquire("a").isPresent());
        assertEquals(Optional.empty(), limiter.acquire("b"), "another key has its own bucket");
    }

    @Test
    void aRefundGivesBackWhatWasTaken() {
        for (int i = 0; i < 3; i++) {
            limiter.acquire("a");
        }
        limiter.refund("a");
        assertEquals(Optional.empty(), limiter.acquire("a"));
        assertTrue(limiter.acquire("a").isPresent());
    }

    @Test
    void fullBucketsAreForgottenOnceThereAreMany() {
        for (int i = 0; i <= 10_001; i++) {
            limiter.acquire("key-" + i);
        }
        now.addAndGet(30_000);
        limiter.acquire("one more");
        assertEquals(1, limiter.size(), "only the newest key is still tracked");
    }
}
