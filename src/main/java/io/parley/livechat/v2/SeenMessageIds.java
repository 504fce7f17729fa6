package io.parley.livechat.v2;

import java.util.List;
import java.util.TreeSet;

/**
 * The upstream {@code message_id}s already relayed in the current chat, for deduplication
 * whatever the upstream repeats or reorders. The newest {@code capacity} are kept; an id older
 * than all of them counts as seen. Not thread-safe: guarded by its conversation.
 */
final class SeenMessageIds {

    private final int capacity;
    private final TreeSet<Long> ids = new TreeSet<>();

    SeenMessageIds(int capacity) {
        this.capacity = capacity;
    }

    /** Records the id; false if it was seen before (or is too old to tell). */
    boolean add(long id) {
        if (ids.size() >= capacity && id < ids.first()) {
            return false;
        }
        boolean added = ids.add(id);
        if (ids.size() > capacity) {
            ids.pollFirst();
        }
        return added;
    }

    /** The highest id seen: the cursor for the next poll. */
    long highest() {
        return ids.isEmpty() ? 0 : ids.last();
    }

    /** The ids held, lowest first. */
    List<Long> ids() {
        return List.copyOf(ids);
    }

    void clear() {
        ids.clear();
    }
}
