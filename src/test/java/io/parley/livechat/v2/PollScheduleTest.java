package io.parley.livechat.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PollScheduleTest {

    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private final PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(3), Duration.ofSeconds(8));

    private Duration interval(boolean tabs, Duration sinceActivity, int failures) {
        return schedule.interval(new PollSchedule.Activity(tabs,
                sinceActivity == null ? null : NOW.minus(sinceActivity), failures), NOW);
    }

    @Test
    void fastAfterActivityNormalWithTabsIdleWithout() {
        assertEquals(Duration.ofSeconds(1), interval(true, Duration.ofSeconds(5), 0));
        assertEquals(Duration.ofSeconds(1), interval(false, Duration.ofSeconds(29), 0), "fast even while navigating");
        assertEquals(Duration.ofSeconds(3), interval(true, Duration.ofSeconds(30), 0));
        assertEquals(Duration.ofSeconds(3), interval(true, null, 0));
        assertEquals(Duration.ofSeconds(8), interval(false, Duration.ofMinutes(5), 0));
    }

    @Test
    void jitterOnlyShortensAndSpreads() {
        Random random = new Random(3);
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            long delay = schedule.nextDelay(new PollSchedule.Activity(false, null, 0), NOW, random).toMillis();
            shortest = Math.min(shortest, delay);
            longest = Math.max(longest, delay);
            total += delay;
        }
        assertTrue(longest <= 8000, "never longer than the interval: " + longest);
        assertTrue(shortest >= 8000 * 0.9, "at most 10% shorter: " + shortest);
        assertTrue(longest - shortest > 500, "polls spread out: " + shortest + ".." + longest);
        assertTrue(60_000.0 / (total / 1000.0) < 8, "an 8 s pace costs under 8 polls a minute");
    }

    @Test
    void failuresRetrySoonWithBackoffButNeverSlowerThanThePace() {
        Random noJitter = new Random() {
            @Override
            public double nextDouble() {
                return 0;
            }
        };
        long[] expected = {500, 1000, 2000, 4000, 8000, 8000, 8000};
        for (int failures = 1; failures <= expected.length; failures++) {
            assertEquals(expected[failures - 1], schedule.nextDelay(
                    new PollSchedule.Activity(false, null, failures), NOW, noJitter).toMillis(), "failures " + failures);
        }
        assertEquals(3000, schedule.nextDelay(new PollSchedule.Activity(true, null, 40), NOW, noJitter).toMillis());
    }
}
