package io.parley.cluster;

import com.hazelcast.map.IMap;
import io.parley.relay.Relay;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
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

    /** How long a tab waits for a take under way before it is told to come back. */
    static final Duration TAKE_WAIT = Duration.ofMillis(200);

    private final HazelcastCluster cluster;
    private final SharedStore store;
    private final IMap<String, Held> records;
    private final Relay relay;
    /**
     * How long a conversation moved from a member still there waits before it is taken: longer
     * than an upstream call of the old member's may take.
     */
    private final Duration migrationWait;
    private final ScheduledExecutorService thread;
    private final AtomicLong failovers = new AtomicLong();
    private final AtomicLong migrations = new AtomicLong();
    /** Held while a conversation is claimed and adopted. */
    private final ReentrantLock taking = new ReentrantLock();
    /** Conversations moved from a member still there, and when they may be taken (nanoTime). */
    private final Map<String, Long> waiting = new ConcurrentHashMap<>();
    /** Records this node could not read: left alone, not claimed again and again. */
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private volatile boolean wasSafe = true;

    Handover(HazelcastCluster cluster, SharedStore store, IMap<String, Held> records, Relay relay, Duration migrationWait) {
        this.migrationWait = migrationWait;
        this.cluster = cluster;
        this.store = store;
        this.records = records;
        this.relay = relay;
        this.thread = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("parley-handover"));
    }

    void start() {
        thread.scheduleWithFixedDelay(this::check, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        thread.shutdownNow();
    }

    int driven() {
        return relay.conversations();
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
                if (!safe || !cluster.ownsPartitionOf(key)) {
                    relay.letGo(key);
                    store.forget(key);
                    migrations.incrementAndGet();
                }
            }
            if (safe && relay.accepting()) {
                Set<String> candidates = new HashSet<>();
                for (String key : records.localKeySet()) {
                    if (!held.contains(key) && !unreadable.contains(key) && !store.holdsClaim(key)
                            && cluster.ownsPartitionOf(key)) {
                        candidates.add(key);
                    }
                }
                if (!candidates.isEmpty()) {
                    takeAll(candidates);
                }
            }
            waiting.keySet().removeIf(key -> !cluster.ownership().drivesHere(key));
        } catch (RuntimeException e) {
            LOG.warn("Handing conversations over failed, tried again in {} ms: {}", EVERY.toMillis(), e.toString());
        }
    }

    /**
     * Takes these conversations together (one claim call for all of them, as after a failover
     * there are hundreds), except those moved from a member still there, which wait their turn.
     */
    private void takeAll(Set<String> keys) {
        taking.lock();
        try {
            Map<String, Held> now = records.getAll(keys);
            Set<String> ready = new HashSet<>();
            for (Map.Entry<String, Held> entry : now.entrySet()) {
                if (entry.getValue() != null && !relay.holds(entry.getKey()) && due(entry.getKey(), entry.getValue())) {
                    ready.add(entry.getKey());
                }
            }
            if (ready.isEmpty()) {
                return;
            }
            store.claimAll(ready).forEach((key, claimed) -> {
                waiting.remove(key);
                try {
                    adopted(claimed);
                } catch (RuntimeException e) {
                    LOG.error("A conversation could not be taken over here: {}", e.toString());
                }
            });
            for (String key : ready) {
                if (!relay.holds(key) && !store.holdsClaim(key) && unreadable.add(key)) {
                    LOG.error("A conversation could not be read here and is left to another version of Parley");
                }
            }
        } finally {
            taking.unlock();
        }
    }

    /** Whether a conversation may be taken now: at once, unless it moved from a member still there. */
    private boolean due(String key, Held now) {
        if (now.node().isEmpty() || now.node().equals(cluster.node()) || !cluster.isMember(now.node())) {
            return true;
        }
        // Moved from a member still there, which may have a call of it on its way upstream:
        // taken once that call is answered or timed out, so that nothing is sent twice.
        long due = waiting.computeIfAbsent(key, k -> System.nanoTime() + migrationWait.toNanos());
        return System.nanoTime() >= due;
    }

    /** Drives a conversation just claimed; counts whether it came from a member that left or one still there. */
    private boolean adopted(SharedStore.Claimed claimed) {
        if (relay.holds(claimed.record().key())) {
            return true; // taken for a tab meanwhile
        }
        if (relay.adopt(claimed.record()).isEmpty()) {
            return false;
        }
        String previous = claimed.previous();
        if (!previous.isEmpty() && !previous.equals(cluster.node())) {
            if (cluster.isMember(previous)) {
                migrations.incrementAndGet();
            } else {
                failovers.incrementAndGet();
                LOG.info("Conversation {} is driven here now: the member that drove it has left", claimed.record().logId());
            }
        }
        return true;
    }

    /**
     * Takes over the conversation of a tab's token now, if this node is to drive it and does not
     * yet; false while it cannot yet (another node may still be finishing a call of it, or a
     * take is under way): the tab is then told to come back.
     */
    boolean takeNow(String key) {
        try {
            if (!cluster.ownership().drivesHere(key) || relay.holds(key) || !records.containsKey(key)) {
                return true; // nothing to take: the tab is served as the relay knows it
            }
            if (!taking.tryLock(TAKE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            try {
                return take(key);
            } finally {
                taking.unlock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (RuntimeException e) {
            LOG.warn("A conversation could not be taken over for its tab: {}", e.toString());
            return false;
        }
    }

    /**
     * Claims and adopts one conversation for a tab, with {@link #taking} held, as the periodic
     * check holds it too: a conversation is claimed and adopted once.
     */
    private boolean take(String key) {
        if (relay.holds(key)) {
            return true;
        }
        if (unreadable.contains(key) || store.holdsClaim(key) || !relay.accepting()) {
            return false; // unreadable here, or being deleted by this node, or this node is stopping
        }
        Held now = records.get(key);
        if (now == null) {
            return true;
        }
        if (!due(key, now)) {
            return false;
        }
        waiting.remove(key);
        return store.claim(key).map(this::adopted).orElse(true);
    }
}
