package io.parley.health;

import io.parley.tasks.TaskScheduler;
import java.time.Duration;
import java.time.Instant;

/**
 * Beats once a second on the relay's scheduler, the thread pool that runs every poll, retry and
 * grace period: a node whose scheduler has stopped or is jammed is alive in name only.
 */
public final class Heartbeat {

    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final TaskScheduler scheduler;
    private volatile Instant last;
    private volatile boolean stopped;

    private Heartbeat(TaskScheduler scheduler) {
        this.scheduler = scheduler;
        this.last = scheduler.now();
    }

    /** Starts beating on this scheduler. */
    public static Heartbeat start(TaskScheduler scheduler) {
        Heartbeat heartbeat = new Heartbeat(scheduler);
        heartbeat.beat();
        return heartbeat;
    }

    private void beat() {
        last = scheduler.now();
        if (!stopped) {
            scheduler.schedule(this::beat, INTERVAL);
        }
    }

    /** How long since the last beat. */
    public Duration sinceLastBeat() {
        return Duration.between(last, scheduler.now());
    }

    public void stop() {
        stopped = true;
    }
}
