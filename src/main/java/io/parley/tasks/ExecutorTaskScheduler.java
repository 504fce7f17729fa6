package io.parley.tasks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link TaskScheduler}: one scheduler thread for every conversation. Tasks only
 * start non-blocking work, so one thread is enough; a failing task is logged and does not stop
 * the others.
 */
public final class ExecutorTaskScheduler implements TaskScheduler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTaskScheduler.class);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor executor;

    public ExecutorTaskScheduler(Clock clock, String threadName) {
        this.clock = clock;
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        ScheduledFuture<?> future = executor.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("A scheduled relay task failed", e);
            }
        }, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
