package io.parley.emulator.v3;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A chat of the Customer Chat API: a string id, its customer, its group, and its threads in
 * order; at most the last one is active. Changes to its threads happen under its lock, so that
 * two {@code resume_chat} calls cannot both open one.
 */
public final class V3Chat {

    private final String id;
    private final Customer customer;
    private final List<V3Thread> threads = new ArrayList<>();
    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    private int group;

    V3Chat(String id, Customer customer, int group) {
        this.id = id;
        this.customer = customer;
        this.group = group;
    }

    public String id() {
        return id;
    }

    public Customer customer() {
        return customer;
    }

    public synchronized int group() {
        return group;
    }

    synchronized void group(int newGroup) {
        group = newGroup;
    }

    synchronized void add(V3Thread thread) {
        threads.add(thread);
    }

    /** Every thread, oldest first. */
    public synchronized List<V3Thread> threads() {
        return List.copyOf(threads);
    }

    public synchronized Optional<V3Thread> last() {
        return threads.isEmpty() ? Optional.empty() : Optional.of(threads.get(threads.size() - 1));
    }

    public synchronized Optional<V3Thread> thread(String threadId) {
        return threads.stream().filter(thread -> thread.id().equals(threadId)).findFirst();
    }

    /** The active thread, if the chat is active. */
    public Optional<V3Thread> active() {
        return last().filter(V3Thread::active);
    }

    /** The thread before or after this one, by id, or null. */
    synchronized String neighbour(V3Thread thread, int step) {
        int at = threads.indexOf(thread) + step;
        return at >= 0 && at < threads.size() && threads.indexOf(thread) >= 0 ? threads.get(at).id() : null;
    }

    synchronized void updateProperties(Map<String, Map<String, Object>> update) {
        update.forEach((namespace, values) ->
                properties.computeIfAbsent(namespace, key -> new LinkedHashMap<>()).putAll(values));
    }

    synchronized Map<String, Object> properties() {
        Map<String, Object> copy = new LinkedHashMap<>();
        properties.forEach((namespace, values) -> copy.put(namespace, new LinkedHashMap<>(values)));
        return copy;
    }
}
