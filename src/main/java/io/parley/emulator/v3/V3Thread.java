package io.parley.emulator.v3;

import io.parley.emulator.ChatState;
import io.parley.emulator.EmulatedChat;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thread of a v3 chat: a chat of the console ({@link EmulatedChat}), whose event
 * {@code message_id}s make the thread's event ids ({@code <thread id>_<n>}), plus what only v3
 * has: thread properties (a rating) and the customer's last sneak peek.
 */
public final class V3Thread {

    private final String id;
    private final EmulatedChat chat;
    private final Instant createdAt;
    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    private String sneakPeek;
    private Map<String, Object> queue;
    /** Started {@code continuous} while its group was offline: a message left for later. */
    private boolean leftOffline;

    V3Thread(String id, EmulatedChat chat, Instant createdAt) {
        this.id = id;
        this.chat = chat;
        this.createdAt = createdAt;
    }

    public String id() {
        return id;
    }

    /** The console's chat of this thread. */
    public EmulatedChat console() {
        return chat;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public boolean active() {
        return chat.state() != ChatState.CLOSED;
    }

    /** Merges properties in, namespace by namespace, as {@code update_thread_properties} does. */
    synchronized void updateProperties(Map<String, Map<String, Object>> update) {
        update.forEach((namespace, values) ->
                properties.computeIfAbsent(namespace, key -> new LinkedHashMap<>()).putAll(values));
    }

    /** Removes properties by name, namespace by namespace, as {@code delete_thread_properties} does. */
    synchronized void deleteProperties(Map<String, List<String>> names) {
        names.forEach((namespace, keys) -> {
            Map<String, Object> values = properties.get(namespace);
            if (values != null) {
                keys.forEach(values::remove);
                if (values.isEmpty()) {
                    properties.remove(namespace);
                }
            }
        });
    }

    synchronized Map<String, Object> properties() {
        Map<String, Object> copy = new LinkedHashMap<>();
        properties.forEach((namespace, values) -> copy.put(namespace, new LinkedHashMap<>(values)));
        return copy;
    }

    /** The thread's place in the queue, as get_chat shows it; null once an agent has it. */
    synchronized void queue(Map<String, Object> place) {
        queue = place;
    }

    synchronized Map<String, Object> queue() {
        return queue == null ? null : new LinkedHashMap<>(queue);
    }

    synchronized void leftOffline(boolean offline) {
        leftOffline = offline;
    }

    synchronized boolean leftOffline() {
        return leftOffline;
    }

    synchronized void sneakPeek(String text) {
        sneakPeek = text;
    }

    synchronized String sneakPeek() {
        return sneakPeek;
    }
}
