package io.parley.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Polls a condition until it holds, with a deadline generous enough for a busy 2-core machine; a
 * failure says what was awaited. Between checks it yields the processor for a moment, so that a
 * long wait does not starve the server it waits on.
 */
public final class Eventually {

    /** The deadline of waits on servers in this JVM. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private Eventually() {
    }

    /** Waits until the condition holds, or fails saying {@code what} was awaited. */
    public static void await(String what, Condition condition) throws Exception {
        await(what, DEADLINE, condition);
    }

    public static void await(String what, Duration timeout, Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** A condition that may throw, checked until it holds. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }
}
