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
        if (ids.contains(id)) {
            return false;
        }
        addEvicting(id);
        return true;
    }

    /**
     * Records an id not held yet; returns the oldest id dropped to make room, or the empty
     * string when none was.
     */
    String addEvicting(String id) {
        ids.add(id);
        if (ids.size() > capacity) {
            String oldest = ids.iterator().next();
            ids.remove(oldest);
            return oldest;
        }
        return "";
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
