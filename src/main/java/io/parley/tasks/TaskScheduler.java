package io.parley.tasks;

import java.time.Duration;
import java.time.Instant;

/**
 * Runs tasks after a delay and tells the time: a scheduled executor in production, a manual
 * clock in tests of the scheduling logic.
 */
public interface TaskScheduler {

    Instant now();

    /** Runs the task once after the delay; the returned handle cancels it if it has not run. */
    Cancellable schedule(Runnable task, Duration delay);

    /** A scheduled task that can still be cancelled. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
