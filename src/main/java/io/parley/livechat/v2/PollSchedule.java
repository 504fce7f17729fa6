package io.parley.livechat.v2;

import io.parley.settings.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a conversation is polled next: fast for a while after activity (the visitor sent, an agent
 * wrote), a normal pace while tabs are attached, an idle pace without tabs, and quick retries
 * with backoff after failures. Jitter only ever shortens a delay (by up to 10%, 5% on average),
 * so no poll comes later than its interval: the keep-alive guarantee and the latency bound
 * hold, and a quiet chat polled every 8 s costs under 8 polls a minute. Pure: the caller
 * supplies the clock and the randomness.
 */
public final class PollSchedule {

    /** The share of a delay that jitter may take off. */
    static final double JITTER = 0.1;

    private final Duration fast;
    private final Duration fastWindow;
    private final Duration normal;
    private final Duration idle;

    public PollSchedule(Duration fast, Duration fastWindow, Duration normal, Duration idle) {
        this.fast = fast;
        this.fastWindow = fastWindow;
        this.normal = normal;
        this.idle = idle;
    }

    public static PollSchedule of(Settings settings) {
        return new PollSchedule(settings.pollFastInterval(), settings.pollFastWindow(), settings.pollInterval(),
                settings.pollIdleInterval());
    }

    /** What the pace depends on. */
    public record Activity(boolean tabsAttached, Instant lastActivity, int consecutiveFailures) {
    }

    /** The interval in force, before failures and jitter. */
    public Duration interval(Activity activity, Instant now) {
        if (activity.lastActivity() != null && now.isBefore(activity.lastActivity().plus(fastWindow))) {
            return fast;
        }
        return activity.tabsAttached() ? normal : idle;
    }

    /** The delay until the next poll. */
    public Duration nextDelay(Activity activity, Instant now, RandomGenerator random) {
        Duration interval = interval(activity, now);
        if (activity.consecutiveFailures() > 0) {
            // Retry soon, doubling from the fast interval, but never slower than the regular pace.
            long backoff = fast.toMillis() / 2 << Math.min(activity.consecutiveFailures() - 1, 16);
            interval = Duration.ofMillis(Math.min(backoff, interval.toMillis()));
        }
        long millis = interval.toMillis();
        return Duration.ofMillis(millis - (long) (millis * JITTER * random.nextDouble()));
    }
}
