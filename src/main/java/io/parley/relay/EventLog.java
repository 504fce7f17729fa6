package io.parley.relay;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent events of a conversation, numbered from 1 without gaps. Only the newest
 * {@code capacity} are kept: a tab that saw less than that gets a snapshot instead of a diff.
 * Not thread-safe: guarded by its conversation.
 */
final class EventLog {

    private final int capacity;
    private final ArrayDeque<RelayEvent> events = new ArrayDeque<>();
    private long lastSeq;

    EventLog(int capacity) {
        this.capacity = capacity;
    }

    long nextSeq() {
        return lastSeq + 1;
    }

    long lastSeq() {
        return lastSeq;
    }

    void append(RelayEvent event) {
        if (event.seq() != lastSeq + 1) {
            throw new IllegalStateException("events must be numbered without gaps");
        }
        lastSeq = event.seq();
        events.addLast(event);
        if (events.size() > capacity) {
            events.removeFirst();
        }
    }

    /** Puts a changed event in place of the one of its number, if it is still held. */
    void replace(RelayEvent changed) {
        ArrayDeque<RelayEvent> kept = new ArrayDeque<>(events.size());
        for (RelayEvent event : events) {
            kept.addLast(event.seq() == changed.seq() ? changed : event);
        }
        events.clear();
        events.addAll(kept);
    }

    /** Whether every event after {@code seq} is still held, so that a diff can be sent. */
    boolean holdsAfter(long seq) {
        if (seq > lastSeq) {
            return false; // the tab knows of events this log never had: it must start over
        }
        return seq == lastSeq || events.peekFirst().seq() <= seq + 1;
    }

    /** The events after {@code seq}, oldest first; everything held when {@code seq} is too old. */
    List<RelayEvent> after(long seq) {
        List<RelayEvent> after = new ArrayList<>();
        for (RelayEvent event : events) {
            if (event.seq() > seq) {
                after.add(event);
            }
        }
        return after;
    }

    /** Puts back what a store held: the last sequence number and the newest events. */
    void restore(long restoredLastSeq, List<RelayEvent> restored) {
        events.clear();
        events.addAll(restored.subList(Math.max(0, restored.size() - capacity), restored.size()));
        lastSeq = restoredLastSeq;
    }

    List<RelayEvent> all() {
        return List.copyOf(events);
    }
}
