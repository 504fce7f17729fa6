package io.parley.cluster;

import com.hazelcast.map.IMap;
import io.parley.relay.Relay;
import io.parley.tasks.TaskScheduler;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps what this node drives equal to what it owns, checked twice a second (membership and
 * migration events are only hints: Hazelcast may lose them): a conversation whose partition it
 * owns now is claimed under the next epoch and driven from its shared record; one it no longer
 * owns, or every one while it is not with a majority, is let go, its tabs sent to the others.
 */
final class Handover {

    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);

    static final Duration EVERY = Duration.ofMillis(500);

    private final HazelcastCluster cluster;
    private final SharedStore store;
    private final IMap<String, Held> records;
    private final Relay relay;
    private final ScheduledExecutorService thread;
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong migrations = new AtomicLong();
    private volatile int driven;
    private volatile boolean wasSafe = true;

    Handover(HazelcastCluster cluster, SharedStore store, IMap<String, Held> records, Relay relay, TaskScheduler scheduler) {
        this.cluster = cluster;
        this.store = store;
        this.records = records;
        this.relay = relay;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread named = new Thread(runnable, "parley-handover");
            named.setDaemon(true);
            return named;
        });
    }

    void start() {
        thread.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        thread.shutdownNow();
    }

    int driven() {
        return driven;
    }

    long failovers() {
        return failovers.get();
    }

    long migrations() {
        return migrations.get();
    }

    private void check() {
        try {
            boolean safe = cluster.safe();
            if (safe != wasSafe) {
                wasSafe = safe;
                if (safe) {
                    LOG.info("This node is with a majority of the cluster again: it drives its share of the conversations");
                } else {
                    LOG.warn("This node is not with a majority of the cluster: it drives nothing until it is");
                }
            }
            Set<String> held = relay.heldKeys();
            for (String key : held) {
                if (!cluster.ownership().drivesHere(key)) {
                    relay.letGo(key);
                    store.forget(key);
                    migrations.incrementAndGet();
                }
            }
            if (safe) {
                for (String key : records.localKeySet()) {
                    if (!held.contains(key) && cluster.ownership().drivesHere(key)) {
                        take(key);
                    }
                }
            }
            driven = relay.heldKeys().size();
        } catch (RuntimeException e) {
            LOG.warn("Handing conversations over failed, tried again in {} ms: {}", EVERY.toMillis(), e.toString());
        }
    }

    /** Takes over the conversation of this key now if this node is to drive it and does not yet: a tab of it is here. */
    void takeNow(String key) {
        try {
            if (cluster.ownership().drivesHere(key) && !relay.holds(key) && records.containsKey(key)) {
                take(key);
            }
        } catch (RuntimeException e) {
            LOG.warn("A conversation could not be taken over for its tab: {}", e.toString());
        }
    }

    /** One at a time, whether for the periodic check or for a tab: a conversation is claimed and adopted once. */
    private synchronized void take(String key) {
        if (relay.holds(key)) {
            return;
        }
        store.claim(key).ifPresent(claimed -> {
            String previous = claimed.previous();
            if (relay.adopt(claimed.record()).isEmpty()) {
                return;
            }
            if (previous.isEmpty() || previous.equals(cluster.node())) {
                return; // after a whole-cluster stop, or taken back
            }
            if (cluster.isMember(previous)) {
                migrations.incrementAndGet();
            } else {
                failovers.incrementAndGet();
                LOG.info("Conversation {} is driven here now: the member that drove it has left",
                        claimed.record().logId());
            }
        });
    }
}
