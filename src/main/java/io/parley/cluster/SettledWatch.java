package io.parley.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether no partition is moving between the members, known without waiting for them. Asking
 * Hazelcast means asking every member, and a member that froze or is merging back may not answer
 * for minutes: a readiness probe must not wait on that. So the question is asked on a thread of
 * its own, and the answer counts only while it is fresh and was asked after the members last
 * changed.
 */
final class SettledWatch implements MembershipListener {

    private static final Logger LOG = LoggerFactory.getLogger(SettledWatch.class);
    private static final Duration EVERY = Duration.ofMillis(500);
    /** An answer older than this (the check is stuck on a member) says nothing. */
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final HazelcastInstance hazelcast;
    private final ScheduledExecutorService thread;
    private final UUID listener;
    private volatile long membersChangedAt = System.nanoTime();
    private volatile Answer last = new Answer(Long.MIN_VALUE, false);

    private record Answer(long askedAt, boolean settled) {
    }

    SettledWatch(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.listener = hazelcast.getCluster().addMembershipListener(this);
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "parley-partitions-settled");
            named.setDaemon(true);
            return named;
        });
        thread.scheduleWithFixedDelay(this::ask, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the latest answer, asked after the members last changed and not long ago, was yes. */
    boolean settled() {
        Answer answer = last;
        return answer.settled && answer.askedAt - membersChangedAt > 0
                && System.nanoTime() - answer.askedAt < FRESH_FOR.toNanos();
    }

    private void ask() {
        long askedAt = System.nanoTime();
        boolean settled;
        try {
            settled = hazelcast.getPartitionService().isClusterSafe();
        } catch (RuntimeException e) {
            LOG.debug("Could not ask whether partitions have settled: {}", e.toString());
            settled = false;
        }
        last = new Answer(askedAt, settled);
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        membersChangedAt = System.nanoTime();
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        membersChangedAt = System.nanoTime();
    }

    void stop() {
        thread.shutdownNow();
        try {
            hazelcast.getCluster().removeMembershipListener(listener);
        } catch (RuntimeException e) {
            LOG.debug("Could not remove the membership listener: {}", e.toString());
        }
    }
}
