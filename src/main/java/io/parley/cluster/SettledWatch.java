package io.parley.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether no partition is moving between the members, known without waiting for them. Asking
 * Hazelcast means asking every member, and a member that froze or is merging back may not answer
 * for minutes: a readiness probe must not wait on that. So the question is asked on a thread of
 * its own, and its answer counts only while it is fresh and the members are still those it was
 * asked of.
 */
final class SettledWatch {

    private static final Logger LOG = LoggerFactory.getLogger(SettledWatch.class);
    private static final Duration EVERY = Duration.ofMillis(500);
    /** An answer older than this (the check is stuck on a member) says nothing. */
    private static final Duration FRESH_FOR = Duration.ofSeconds(5);

    private final HazelcastInstance hazelcast;
    private final ScheduledExecutorService thread;
    private volatile Answer last;

    private record Answer(long askedAt, Set<Member> members, boolean settled) {
    }

    SettledWatch(HazelcastInstance hazelcast) {
        this.hazelcast = hazelcast;
        this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-partitions-settled"));
        thread.scheduleWithFixedDelay(this::ask, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether the latest answer was yes, is recent, and was asked of the members there are now. */
    boolean settled() {
        Answer answer = last;
        return answer != null && answer.settled && System.nanoTime() - answer.askedAt < FRESH_FOR.toNanos()
                && answer.members.equals(hazelcast.getCluster().getMembers());
    }

    private void ask() {
        long askedAt = System.nanoTime();
        try {
            Set<Member> members = hazelcast.getCluster().getMembers();
            last = new Answer(askedAt, members, hazelcast.getPartitionService().isClusterSafe());
        } catch (RuntimeException e) { // an exception would end the schedule: it must go on
            LOG.debug("Could not ask whether partitions have settled: {}", e.toString());
            last = null;
        }
    }

    void stop() {
        thread.shutdownNow();
    }
}
