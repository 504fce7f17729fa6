package io.parley.cluster;

import com.hazelcast.map.IMap;
import io.parley.relay.ConversationStore;
import io.parley.relay.StoredConversation;
import io.parley.store.RecordJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conversations every node shares: each record in a Hazelcast map (one synchronous backup),
 * written only by the node that claimed it, under its epoch; and, so that a whole-cluster stop
 * loses no more than one node's restart does, in this node's local store too. A write is done
 * once the map and its backup hold it, which is when a visitor's message is acknowledged.
 */
final class SharedStore implements ConversationStore {

    private static final Logger LOG = LoggerFactory.getLogger(SharedStore.class);

    /** How long a write may wait for the map: past it, the write failed and is made again. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

    /** How long an ended conversation's key is remembered: a node restarting meanwhile does not bring it back. */
    private static final Duration ENDED_KEPT = Duration.ofHours(24);

    private final IMap<String, Held> records;
    private final IMap<String, String> values;
    /** Keys of conversations that ended, for {@link #ENDED_KEPT}. */
    private final IMap<String, Boolean> ended;
    private final ConversationStore local;
    private final String node;
    /** The epoch under which this node holds each conversation it drives (0: new here, not written yet). */
    private final Map<String, Long> claims = new ConcurrentHashMap<>();

    SharedStore(IMap<String, Held> records, IMap<String, String> values, IMap<String, Boolean> ended,
            ConversationStore local, String node) {
        this.ended = ended;
        this.records = records;
        this.values = values;
        this.local = local;
        this.node = node;
    }

    /**
     * Offers what this node kept locally to the shared map, taken only where the map holds
     * nothing (after a whole-cluster stop), then forgets it locally: the handover takes back, from
     * the map, what this node is now to drive.
     */
    void offerLocal() {
        int offered = 0;
        for (StoredConversation stored : local.loadAll()) {
            try {
                // A conversation that ended while this node was down is not brought back.
                if (!ended.containsKey(stored.key())
                        && Boolean.TRUE.equals(records.executeOnKey(stored.key(), new Fenced.Offer(RecordJson.write(stored))))) {
                    offered++;
                }
                local.delete(stored.key());
            } catch (RuntimeException e) {
                LOG.warn("Conversation {} kept here could not be shared yet; it stays here: {}", stored.logId(),
                        e.toString());
            }
        }
        if (offered > 0) {
            LOG.info("Shared {} conversations this node had kept", offered);
        }
    }

    /** Nothing is loaded at start: the handover claims what this node owns. */
    @Override
    public List<StoredConversation> loadAll() {
        return List.of();
    }

    /**
     * Claims a conversation for this node under the next epoch: from now on only this node's
     * writes of it are taken. Empty if the map holds no record of it.
     */
    Optional<Claimed> claim(String key) {
        Held before = records.executeOnKey(key, new Fenced.Claim(node));
        if (before == null) {
            return Optional.empty();
        }
        StoredConversation record = RecordJson.read(before.json()); // throws, claiming nothing here, if unreadable
        claims.put(key, before.epoch() + 1);
        return Optional.of(new Claimed(record, before.node()));
    }

    /** Whether this node holds a claim on the conversation: it drives it, or is deleting it. */
    boolean holdsClaim(String key) {
        return claims.containsKey(key);
    }

    /** No: a failed write here most likely means this node is cut off, and another numbers the events. */
    @Override
    public boolean showsUnwritten() {
        return false;
    }

    /**
     * Claims these conversations for this node together, in one call; those whose record is gone
     * or cannot be read here are left out (a record this version cannot read stays claimed by
     * nobody here: the node of another version may).
     */
    Map<String, Claimed> claimAll(Set<String> keys) {
        Map<String, Held> before = records.executeOnKeys(keys, new Fenced.Claim(node));
        Map<String, Claimed> claimed = new LinkedHashMap<>();
        before.forEach((key, held) -> {
            if (held == null) {
                return;
            }
            try {
                StoredConversation record = RecordJson.read(held.json());
                claims.put(key, held.epoch() + 1);
                claimed.put(key, new Claimed(record, held.node()));
            } catch (RuntimeException e) {
                LOG.debug("A shared record could not be read: {}", e.toString());
            }
        });
        return claimed;
    }

    /** A conversation claimed, and the member that held it before (empty: nobody since a whole-cluster stop). */
    record Claimed(StoredConversation record, String previous) {
    }

    /** This node no longer drives the conversation: its claim and its local copy go. */
    void forget(String key) {
        claims.remove(key);
        try {
            local.delete(key);
        } catch (RuntimeException e) {
            LOG.debug("A conversation driven elsewhere now could not be removed from the local store: {}", e.toString());
        }
    }

    @Override
    public void save(StoredConversation conversation) {
        write(List.of(conversation), List.of());
    }

    @Override
    public void write(List<StoredConversation> saved, List<String> deleted) {
        Map<String, CompletableFuture<Long>> writes = new LinkedHashMap<>();
        Map<String, StoredConversation> byKey = new LinkedHashMap<>();
        Map<String, Long> epochs = new LinkedHashMap<>();
        for (StoredConversation c : saved) {
            long epoch = claims.getOrDefault(c.key(), 0L);
            epochs.put(c.key(), epoch);
            byKey.put(c.key(), c);
            writes.put(c.key(), records.submitToKey(c.key(), new Fenced.Write(node, epoch, RecordJson.write(c)))
                    .toCompletableFuture());
        }
        Map<String, CompletableFuture<Boolean>> removals = new LinkedHashMap<>();
        for (String key : deleted) {
            Long epoch = claims.get(key);
            if (epoch != null && epoch > 0) {
                removals.put(key, records.submitToKey(key, new Fenced.Remove(node, epoch)).toCompletableFuture());
            }
        }
        Set<String> refused = new HashSet<>();
        List<StoredConversation> written = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Long>> write : writes.entrySet()) {
            long epoch = await(write.getValue());
            if (epoch == Fenced.REFUSED) {
                refused.add(write.getKey());
            } else if (epochs.get(write.getKey()) == 0) {
                claims.put(write.getKey(), epoch); // new here: its first claim
                written.add(byKey.get(write.getKey()));
            } else if (claims.containsKey(write.getKey())) {
                written.add(byKey.get(write.getKey())); // not if let go meanwhile: no local copy comes back
            }
        }
        for (CompletableFuture<Boolean> removal : removals.values()) {
            await(removal);
        }
        for (String key : deleted) {
            if (claims.remove(key) != null) {
                ended.set(key, Boolean.TRUE, ENDED_KEPT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        try {
            local.write(written, deleted);
        } catch (RuntimeException e) {
            // Shared with a backup already: this node's copy is only for a whole-cluster stop.
            LOG.debug("The local copy of shared conversations could not be written: {}", e.toString());
        }
        if (!refused.isEmpty()) {
            refused.forEach(this::forget);
            throw new DrivenElsewhere(refused);
        }
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the cluster", e);
        } catch (ExecutionException e) {
            // The cause's name only: Hazelcast describes a late call in a page, with no more to say.
            throw new IllegalStateException("the cluster did not take the write ("
                    + e.getCause().getClass().getSimpleName() + ")", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the cluster did not take the write within " + WRITE_TIMEOUT.toSeconds() + "s", e);
        }
    }

    @Override
    public void delete(String key) {
        write(List.of(), List.of(key));
    }

    @Override
    public Optional<String> value(String name) {
        try {
            String shared = values.get(name);
            if (shared != null) {
                return Optional.of(shared);
            }
        } catch (RuntimeException e) {
            LOG.warn("The cluster could not be asked for {}; this node's own copy is used: {}", name, e.toString());
        }
        return local.value(name);
    }

    @Override
    public void putValue(String name, String value) {
        values.set(name, value);
        local.putValue(name, value);
    }

    @Override
    public void setAside(String key) {
        // Left in the map: a node of another version may read what this one cannot.
        claims.remove(key);
        local.setAside(key);
    }

    @Override
    public String location() {
        return "shared by the cluster's members (one backup each), and " + local.location();
    }

    @Override
    public void close() {
        local.close();
    }
}
