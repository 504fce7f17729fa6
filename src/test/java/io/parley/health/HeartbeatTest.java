package io.parley.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.tasks.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.Test;

class HeartbeatTest {

    /** A scheduler whose clock and tasks move only when the test says. */
    private static final class StalledScheduler implements TaskScheduler {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        final Queue<Runnable> due = new ArrayDeque<>();

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            due.add(task);
            return () -> { };
        }
    }

    @Test
    void aSchedulerThatRunsKeepsTheBeatAndAJammedOneLosesIt() {
        StalledScheduler scheduler = new StalledScheduler();
        Heartbeat heartbeat = Heartbeat.start(scheduler);
        for (int i = 0; i < 5; i++) {
            scheduler.now = scheduler.now.plus(Heartbeat.INTERVAL);
            scheduler.due.remove().run();
            assertEquals(Duration.ZERO, heartbeat.sinceLastBeat());
        }
        scheduler.now = scheduler.now.plusSeconds(12); // the task is due but nothing runs it
        assertEquals(Duration.ofSeconds(12), heartbeat.sinceLastBeat());
        assertEquals(true, heartbeat.sinceLastBeat().compareTo(HealthServlet.STUCK_AFTER) > 0);

        heartbeat.stop();
        scheduler.due.remove().run();
        assertEquals(0, scheduler.due.size(), "a stopped heartbeat schedules nothing more");
    }
}
