package io.parley.livechat.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.settings.Settings;
import io.parley.tasks.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The poller on a manual clock: no sleeps, every instant under the test's control. */
class UpstreamPollerTest {

    private final ManualScheduler clock = new ManualScheduler();
    private final PollSchedule schedule = new PollSchedule(Duration.ofSeconds(1), Duration.ofSeconds(30),
            Duration.ofSeconds(3), Duration.ofSeconds(8));

    /** A conversation whose polls complete only when the test says so. */
    private final class FakeTarget implements UpstreamPoller.Target {
        final List<Instant> started = new ArrayList<>();
        final List<CompletableFuture<Void>> polls = new ArrayList<>();
        boolean tabs = true;
        int failures;

        @Override
        public CompletableFuture<?> pollOnce() {
            started.add(clock.now());
            CompletableFuture<Void> poll = new CompletableFuture<>();
            polls.add(poll);
            return poll;
        }

        @Override
        public PollSchedule.Activity activity() {
            return new PollSchedule.Activity(tabs, null, failures);
        }

        void finishLast() {
            polls.get(polls.size() - 1).complete(null);
        }
    }

    /** Moves the clock in small steps until the target's n-th poll has started. */
    private void advanceUntilStarted(FakeTarget target, int polls) {
        for (int step = 0; target.started.size() < polls; step++) {
            assertTrue(step < 100_000, "poll " + polls + " never started");
            clock.advance(Duration.ofMillis(10));
        }
    }

    private UpstreamPoller poller(int maxInFlight) {
        return new UpstreamPoller(clock, schedule, maxInFlight, new Random(5));
    }

    @Test
    void atMostOnePollInFlightPerConversation() {
        UpstreamPoller poller = poller(10);
        FakeTarget target = new FakeTarget();
        poller.track(target, Duration.ZERO);

        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, target.started.size(), "the next poll waits for the last one");
        poller.hurry(target, Duration.ZERO);
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, target.started.size(), "hurrying does not add a second poll in flight");

        target.finishLast();
        clock.advance(Duration.ofSeconds(3));
        assertEquals(2, target.started.size());
        Duration gap = Duration.between(target.started.get(0).plus(Duration.ofMinutes(1)).plusSeconds(10),
                target.started.get(1));
        assertTrue(gap.compareTo(Duration.ofMillis(2700)) >= 0 && gap.compareTo(Duration.ofSeconds(3)) <= 0,
                "next poll within the pace, jitter taking off at most 10%: " + gap);
    }

    @Test
    void aGlobalCapOnPollsInFlight() {
        UpstreamPoller poller = poller(2);
        List<FakeTarget> targets = List.of(new FakeTarget(), new FakeTarget(), new FakeTarget());
        targets.forEach(target -> poller.track(target, Duration.ZERO));

        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(1, 1, 0), targets.stream().map(t -> t.started.size()).toList());
        assertEquals(2, poller.inFlight());

        targets.get(0).finishLast();
        clock.advance(Duration.ofMillis(200));
        assertEquals(1, targets.get(2).started.size(), "the waiting poll goes as soon as there is room");
        assertEquals(2, poller.inFlight());
    }

    @Test
    void hurryBringsTheNextPollForwardAndUntrackStopsPolling() {
        UpstreamPoller poller = poller(10);
        FakeTarget target = new FakeTarget();
        target.tabs = false;
        poller.track(target, Duration.ofSeconds(8));
        clock.advance(Duration.ofSeconds(1));
        poller.hurry(target, Duration.ofMillis(100));
        clock.advance(Duration.ofMillis(100));
        assertEquals(1, target.started.size());

        target.finishLast();
        poller.untrack(target);
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, target.started.size());
        assertEquals(0, poller.tracked());
    }

    @Test
    void pollsOfManyConversationsDoNotBunch() {
        UpstreamPoller poller = poller(1000);
        List<FakeTarget> targets = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            FakeTarget target = new FakeTarget();
            targets.add(target);
            poller.track(target, Duration.ZERO); // all at once, as after a restart
        }
        for (int round = 0; round < 5; round++) {
            clock.advance(Duration.ofMillis(1));
            targets.forEach(FakeTarget::finishLast);
            clock.advance(Duration.ofSeconds(3));
        }
        long distinctStarts = targets.stream().map(t -> t.started.get(t.started.size() - 1)).distinct().count();
        assertTrue(distinctStarts > 150, "after a few rounds polls are spread out: " + distinctStarts + " of 200");
    }

    @Test
    void twoTimedOutPollsInARowStayWithinTheKeepAlive() {
        Duration timeout = Duration.ofSeconds(5);
        UpstreamPoller poller = poller(10);
        FakeTarget target = new FakeTarget();
        target.tabs = false;
        poller.track(target, Duration.ZERO);
        clock.advance(Duration.ZERO);
        target.finishLast(); // a good poll: the upstream heard from us at t0
        Instant lastHeard = target.started.get(0);

        for (int failed = 1; failed <= 2; failed++) { // the next two hang until they time out
            advanceUntilStarted(target, failed + 1);
            clock.advance(timeout);
            target.failures = failed;
            target.finishLast();
        }
        advanceUntilStarted(target, 4);
        Instant nextHeard = target.started.get(3);
        Duration gap = Duration.between(lastHeard, nextHeard);
        assertTrue(gap.compareTo(Settings.KEEP_ALIVE_BUDGET) <= 0, "the upstream went " + gap + " without a poll");
    }

    @Test
    void underTheCapTheChatPolledLongestAgoGoesFirstAndLatenessIsReported() {
        List<Duration> late = new ArrayList<>();
        UpstreamPoller poller = new UpstreamPoller(clock, schedule, 1, new Random(5), (since, lateBy) -> late.add(lateBy));
        FakeTarget stale = new FakeTarget(); // polled long ago: its keep-alive is nearer to risk
        FakeTarget fresh = new FakeTarget(); // polled more recently
        FakeTarget busy = new FakeTarget(); // holds the only room
        poller.track(stale, Duration.ZERO);
        clock.advance(Duration.ZERO);
        stale.finishLast();
        clock.advance(Duration.ofSeconds(2));
        poller.track(fresh, Duration.ZERO);
        clock.advance(Duration.ZERO);
        fresh.finishLast();
        clock.advance(Duration.ofMillis(100));
        poller.track(busy, Duration.ZERO);
        clock.advance(Duration.ZERO);
        assertEquals(1, busy.started.size());

        clock.advance(Duration.ofSeconds(4)); // both are due again; there is no room
        assertEquals(2, poller.waiting(), "both due, both waiting for room");
        busy.finishLast();
        assertEquals(2, stale.started.size(), "the one polled longest ago goes first");
        assertEquals(1, fresh.started.size());
        stale.finishLast();
        assertEquals(2, fresh.started.size(), "then the next, as soon as there is room, with no retry loop");
        assertEquals(0, poller.waiting());
        assertTrue(late.get(late.size() - 1).compareTo(Duration.ofSeconds(1)) >= 0,
                "its wait for room counts as lateness: " + late);
    }
}
