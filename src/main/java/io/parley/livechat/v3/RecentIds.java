package io.parley.livechat.v3;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The newest ids of something (events relayed, messages landed), oldest dropped first beyond the
 * capacity: enough to tell a repeat from a new one in any answer or push of a live chat. Not
 * thread-safe: guarded by its chat.
 */
final class RecentIds {

    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    RecentIds(int capacity) {
        this.capacity = capacity;
    }

    /** Records the id; false if it was held already. */
    boolean add(String id) {
        if (!ids.add(id)) {
            return false;
        }
        if (ids.size() > capacity) {
            ids.remove(ids.iterator().next());
        }
        return true;
    }

    void addAll(Collection<String> all) {
        all.forEach(this::add);
    }

    boolean contains(String id) {
        return ids.contains(id);
    }

    /** The ids held, oldest first. */
    List<String> ids() {
        return List.copyOf(ids);
    }

    void clear() {
        ids.clear();
    }
}
