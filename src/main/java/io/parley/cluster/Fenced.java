package io.parley.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.Map;

/**
 * The only changes made to shared records, each run on the record's partition owner and again on
 * its backup: small and deterministic, so that both replicas agree. A write is fenced by the
 * writer's epoch: Hazelcast's own locks are not safe when a member fails.
 */
final class Fenced {

    /** What a refused write answers. */
    static final long REFUSED = -1;

    private Fenced() {
    }

    /**
     * Writes a record for the node holding this epoch (0: a conversation new on that node); answers
     * the epoch it is written under, or {@link #REFUSED} if another node claimed it since.
     */
    record Write(String node, long epoch, String json) implements EntryProcessor<String, Held, Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long process(Map.Entry<String, Held> entry) {
            Held now = entry.getValue();
            if (now == null) {
                if (epoch != 0) {
                    return REFUSED; // ended or set aside by its driver since: not brought back
                }
                entry.setValue(new Held(node, 1, json));
                return 1L;
            }
            if (now.epoch() != epoch || !now.node().equals(node)) {
                return REFUSED;
            }
            entry.setValue(new Held(node, epoch, json));
            return epoch;
        }
    }

    /** Takes a record over for this node under the next epoch; answers it as taken, or null if there is none. */
    record Claim(String node) implements EntryProcessor<String, Held, Held> {
        private static final long serialVersionUID = 1L;

        @Override
        public Held process(Map.Entry<String, Held> entry) {
            Held now = entry.getValue();
            if (now == null) {
                return null;
            }
            Held claimed = new Held(node, now.epoch() + 1, now.json());
            entry.setValue(claimed);
            return now; // the previous holder tells failover from handover
        }
    }

    /** Removes the record if this node still holds it under this epoch; answers whether it did. */
    record Remove(String node, long epoch) implements EntryProcessor<String, Held, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean process(Map.Entry<String, Held> entry) {
            Held now = entry.getValue();
            if (now == null || now.epoch() != epoch || !now.node().equals(node)) {
                return Boolean.FALSE;
            }
            entry.setValue(null);
            return Boolean.TRUE;
        }
    }

    /** A record a node kept locally, offered after a whole-cluster stop: taken only if none is shared. */
    record Offer(String json) implements EntryProcessor<String, Held, Boolean> {
        private static final long serialVersionUID = 1L;

        @Override
        public Boolean process(Map.Entry<String, Held> entry) {
            if (entry.getValue() != null) {
                return Boolean.FALSE;
            }
            entry.setValue(new Held("", 0, json));
            return Boolean.TRUE;
        }
    }
}
