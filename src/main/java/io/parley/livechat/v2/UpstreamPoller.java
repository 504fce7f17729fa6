package io.parley.livechat.v2;

import io.parley.tasks.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every tracked conversation on one shared scheduler. Per conversation, at most one poll
 * is in flight and the next is scheduled only when the last has been handled; across all of
 * them, at most {@code maxInFlight} polls are in flight. The pace comes from {@link PollSchedule}.
 *
 * <p>Under overload, when the cap is reached, polls that are due wait in a queue and go as room
 * comes, the conversation polled longest ago first: a chat whose keep-alive is at risk goes
 * before one polled a second ago for its fast window, so fast polls slow down before any chat's
 * keep-alive poll is late.
 *
 * <p>Each entry's lock and the queue's are leaves, never held together: nothing else is locked
 * or called out to while holding them, so callers may call in while holding their own locks.
 */
public final class UpstreamPoller {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPoller.class);

    /** Told when each poll starts, for metrics. */
    public interface Listener {

        Listener NONE = (sinceLastPoll, late) -> { };

        /**
         * A poll started, this long after the conversation's last one (null for its first), and
         * this long after it was due (its wait in the queue included).
         */
        void pollStarted(Duration sinceLastPoll, Duration late);
    }

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
    /** Due polls waiting for room, the conversation polled longest ago first; guarded by itself. */
    private final PriorityQueue<Entry> waiting = new PriorityQueue<>(Comparator.comparing(Entry::lastStartedOrEpoch));
    private final Listener listener;
    private volatile boolean stopped;

    public UpstreamPoller(TaskScheduler scheduler, PollSchedule schedule, int maxInFlight, Random random) {
        this(scheduler, schedule, maxInFlight, random, Listener.NONE);
    }

    public UpstreamPoller(TaskScheduler scheduler, PollSchedule schedule, int maxInFlight, Random random,
            Listener listener) {
        this.scheduler = scheduler;
        this.schedule = schedule;
        this.permits = new Semaphore(maxInFlight);
        this.maxInFlight = maxInFlight;
        this.random = random;
        this.listener = listener;
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
            synchronized (waiting) {
                waiting.remove(entry);
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

    /** How many due polls wait for room under the cap now. */
    public int waiting() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    private void fire(Entry entry, long generation) {
        boolean go;
        synchronized (entry) {
            if (entry.generation != generation || entry.removed || entry.inFlight || entry.queued || stopped) {
                return; // replaced by a later schedule, untracked, already polling or waiting, or stopping
            }
            entry.handle = null;
            go = permits.tryAcquire();
            entry.inFlight = go;
            entry.queued = !go; // keeps its due time, by which its lateness is measured
        }
        if (go) {
            start(entry);
        } else {
            synchronized (waiting) {
                waiting.add(entry);
            }
            startWaiting(); // room may have come between the refusal and the queueing
        }
    }

    /** Starts waiting polls, longest unpolled first, while there is room. */
    private void startWaiting() {
        while (!stopped && permits.tryAcquire()) {
            Entry next;
            synchronized (waiting) {
                next = waiting.poll();
            }
            if (next == null) {
                permits.release();
                synchronized (waiting) {
                    if (waiting.isEmpty()) {
                        return;
                    }
                }
                continue; // one was queued while the permit was held here: it must not wait for another poll
            }
            boolean go;
            synchronized (next) {
                go = next.queued && !next.removed && !next.inFlight;
                next.queued = false;
                next.inFlight = go;
            }
            if (go) {
                start(next);
            } else {
                permits.release();
            }
        }
    }

    /** Starts the entry's poll; its permit is held, and given back when the poll has been handled. */
    private void start(Entry entry) {
        Instant now = scheduler.now();
        Duration late;
        Duration sinceLast;
        synchronized (entry) {
            late = entry.due == null || now.isBefore(entry.due) ? Duration.ZERO : Duration.between(entry.due, now);
            sinceLast = entry.lastStarted == null ? null : Duration.between(entry.lastStarted, now);
            entry.lastStarted = now;
            entry.due = null;
        }
        listener.pollStarted(sinceLast, late);
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
            startWaiting();
        });
    }

    /** One tracked target and its next poll; guarded by its own monitor. */
    private final class Entry {
        final Target target;
        TaskScheduler.Cancellable handle;
        Instant due;
        volatile Instant lastStarted;
        boolean inFlight;
        /** Due, and waiting in the queue for room under the cap. */
        boolean queued;
        boolean removed;
        /** Counts schedules, so that a task that was replaced but ran anyway does nothing. */
        long generation;

        Entry(Target target) {
            this.target = target;
        }

        /** The queue's order; read without the entry's lock, as a moment's stale value only reorders. */
        Instant lastStartedOrEpoch() {
            Instant last = lastStarted;
            return last == null ? Instant.EPOCH : last;
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
