package io.parley.tasks;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A {@link TaskScheduler} on a clock that moves only when the test says so. Single-threaded. */
public final class ManualScheduler implements TaskScheduler {

    private record Task(Instant due, long order, Runnable action, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>(
            Comparator.comparing(Task::due).thenComparingLong(Task::order));
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private long order;

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now.plus(delay), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves the clock forward, running every task that falls due on the way, in time order. */
    public void advance(Duration duration) {
        Instant until = now.plus(duration);
        while (!tasks.isEmpty() && !tasks.peek().due().isAfter(until)) {
            Task task = tasks.poll();
            now = task.due();
            if (!task.cancelled()[0]) {
                task.action().run();
            }
        }
        now = until;
    }
}
