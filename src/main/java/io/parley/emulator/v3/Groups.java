package io.parley.emulator.v3;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The groups of the demo account and their status: {@code online}, {@code online_for_queue} or
 * {@code offline}. Group 0 exists and is online; the agent API sets others, which creates them.
 */
public final class Groups {

    /** The statuses the documents name. */
    public static final Set<String> STATUSES = Set.of("online", "online_for_queue", "offline");

    private final Map<Integer, String> statuses = new TreeMap<>();
    private final BiConsumer<Integer, String> changed;

    /** @param changed told of each change, outside the lock (to push {@code groups_status_updated}) */
    public Groups(BiConsumer<Integer, String> changed) {
        this.changed = changed;
        statuses.put(DemoAccount.DEFAULT_GROUP, "online");
    }

    public void set(int group, String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of online, online_for_queue, offline");
        }
        if (group < 0) {
            throw new IllegalArgumentException("group must be 0 or more");
        }
        String before;
        synchronized (this) {
            before = statuses.put(group, status);
        }
        if (!status.equals(before)) {
            changed.accept(group, status);
        }
    }

    /** The group's status, or null if there is no such group. */
    public synchronized String status(int group) {
        return statuses.get(group);
    }

    /** Whether a chat can start in this group without {@code continuous}: an agent takes it, or a queue. */
    public synchronized boolean accepting(int group) {
        String status = statuses.get(group);
        return "online".equals(status) || "online_for_queue".equals(status);
    }

    public synchronized Map<Integer, String> all() {
        return new TreeMap<>(statuses);
    }

    /** The groups where agents accept chats, as {@code online_group_ids}. */
    public synchronized List<Integer> online() {
        return statuses.entrySet().stream().filter(e -> !"offline".equals(e.getValue())).map(Map.Entry::getKey).toList();
    }

    public void reset() {
        synchronized (this) {
            statuses.clear();
            statuses.put(DemoAccount.DEFAULT_GROUP, "online");
        }
    }
}
