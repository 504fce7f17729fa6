package io.parley.relay.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every tracked conversation on one shared scheduler. Per conversation, at most one poll
 * is in flight and the next is scheduled only when the last has been handled; across all of
 * them, at most {@code maxInFlight} polls are in flight, and a poll that finds the cap reached
 * waits a moment and tries again. The pace comes from {@link PollSchedule}.
 *
 * <p>Each entry's lock is a leaf: nothing else is locked or called out to while holding it, so
 * callers may call in while holding their own locks.
 */
public final class UpstreamPoller {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPoller.class);

    /** How long a poll that found the global cap reached waits before trying again. */
    static final Duration CAP_RETRY = Duration.ofMillis(50);

    /** What is polled: one conversation. */
    public interface Target {

        /** Polls once; the future completes, normally, when the result has been handled. */
        CompletableFuture<?> pollOnce();

        /** What the pace depends on right now. */
        PollSchedule.Activity activity();
    }

    private final TaskScheduler scheduler;
    private final PollSchedule schedule;
    private final Semaphore permits;
    private final int maxInFlight;
    private final Random random;
    private final Map<Target, Entry> entries = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public UpstreamPoller(TaskScheduler scheduler, PollSchedule schedule, int maxInFlight, Random random) {
        this.scheduler = scheduler;
        this.schedule = schedule;
        this.permits = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.random = random;
    }

    /** Starts polling the target, first after {@code firstDelay}; does nothing if it is tracked already. */
    public void track(Target target, Duration firstDelay) {
        Entry entry = new Entry(target);
        if (entries.putIfAbsent(target, entry) == null) {
            synchronized (entry) {
                entry.schedule(firstDelay);
            }
        }
    }

    /** Brings the next poll forward to within {@code delay}, unless one is in flight or sooner already. */
    public void hurry(Target target, Duration delay) {
        Entry entry = entries.get(target);
        if (entry == null) {
            return;
        }
        synchronized (entry) {
            if (!entry.inFlight && entry.due != null && entry.due.isAfter(scheduler.now().plus(delay))) {
                entry.schedule(delay);
            }
        }
    }

    /** Stops polling the target; a poll in flight completes but no further one is scheduled. */
    public void untrack(Target target) {
        Entry entry = entries.remove(target);
        if (entry != null) {
            synchronized (entry) {
                entry.removed = true;
                entry.cancel();
            }
        }
    }

    /**
     * Makes no more polls, for a server that is stopping: polls in flight complete. Polls of the
     * conversations resume wherever they are restored.
     */
    public void stop() {
        stopped = true;
    }

    /** How many conversations are polled. */
    public int tracked() {
        return entries.size();
    }

    /** How many polls are in flight now. */
    public int inFlight() {
        return maxInFlight - permits.availablePermits();
    }

    private void fire(Entry entry, long generation) {
        synchronized (entry) {
            if (entry.generation != generation || entry.removed || entry.inFlight || stopped) {
                return; // replaced by a later schedule, untracked, already polling, or stopping
            }
            entry.handle = null;
            entry.due = null;
            if (!permits.tryAcquire()) {
                entry.schedule(jittered(CAP_RETRY));
                return;
            }
            entry.inFlight = true;
        }
        CompletableFuture<?> poll;
        try {
            poll = entry.target.pollOnce();
        } catch (Throwable e) { // whatever it is, the permit is given back below and polling goes on
            LOG.error("Starting a poll failed", e);
            poll = CompletableFuture.completedFuture(null);
        }
        poll.whenComplete((result, failure) -> {
            permits.release();
            if (failure != null) {
                LOG.error("Handling a poll failed", failure);
            }
            // Asked before taking the entry's lock: the target takes its conversation's lock, and
            // the relay calls hurry() holding that one, so entry locks must never wait on others.
            Duration next = schedule.nextDelay(entry.target.activity(), scheduler.now(), random);
            synchronized (entry) {
                entry.inFlight = false;
                if (!entry.removed) {
                    entry.schedule(next);
                }
            }
        });
    }

    private Duration jittered(Duration delay) {
        return delay.plusMillis((long) (delay.toMillis() * random.nextDouble()));
    }

    /** One tracked target and its next poll; guarded by its own monitor. */
    private final class Entry {
        final Target target;
        TaskScheduler.Cancellable handle;
        Instant due;
        boolean inFlight;
        boolean removed;
        /** Counts schedules, so that a task that was replaced but ran anyway does nothing. */
        long generation;

        Entry(Target target) {
            this.target = target;
        }

        void schedule(Duration delay) {
            cancel();
            long current = ++generation;
            due = scheduler.now().plus(delay);
            handle = scheduler.schedule(() -> fire(this, current), delay);
        }

        void cancel() {
            if (handle != null) {
                handle.cancel();
                handle = null;
                due = null;
            }
        }
    }
}
