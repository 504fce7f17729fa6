package io.parley.relay;

import io.parley.testing.Eventually;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A tab that records what it is given, in order, and whether it was ended or disconnected. */
final class RecordingTab implements Tab {

    final List<TabMessage> received = new CopyOnWriteArrayList<>();
    private final BlockingQueue<TabMessage> queue = new LinkedBlockingQueue<>();
    volatile TabMessage.Error endedWith;
    volatile boolean disconnected;

    @Override
    public void deliver(TabMessage message) {
        received.add(message);
        queue.add(message);
    }

    @Override
    public void end(TabMessage.Error reason) {
        endedWith = reason;
        deliver(reason);
    }

    @Override
    public void disconnect() {
        disconnected = true;
    }

    /** The messages of this type received so far, in order. */
    <T extends TabMessage> List<T> all(Class<T> type) {
        List<T> all = new ArrayList<>();
        for (TabMessage message : received) {
            if (type.isInstance(message)) {
                all.add(type.cast(message));
            }
        }
        return all;
    }

    /** The last message of this type received so far. */
    <T extends TabMessage> T last(Class<T> type) {
        List<T> all = all(type);
        if (all.isEmpty()) {
            throw new AssertionError("no " + type.getSimpleName() + " received; received " + received);
        }
        return all.get(all.size() - 1);
    }

    /** The events relayed to this tab, in order. */
    List<RelayEvent> events() {
        List<RelayEvent> events = new ArrayList<>();
        for (TabMessage message : received) {
            if (message instanceof TabMessage.Welcome welcome) {
                events.addAll(welcome.events());
            } else if (message instanceof TabMessage.Event event) {
                events.add(event.event());
            }
        }
        return events;
    }

    /** The state the tab was last told. */
    ConversationState state() {
        TabMessage.Status status = status();
        return status.state();
    }

    /** The status the tab was last told. */
    TabMessage.Status status() {
        TabMessage.Status status = null;
        for (TabMessage message : received) {
            if (message instanceof TabMessage.Welcome welcome) {
                status = welcome.status();
            } else if (message instanceof TabMessage.StatusChanged changed) {
                status = changed.status();
            }
        }
        if (status == null) {
            throw new AssertionError("no status received");
        }
        return status;
    }

    /** The token of the last welcome. */
    String token() {
        return last(TabMessage.Welcome.class).token();
    }

    /** Waits for the next message of this type that matches, skipping others; for relays on real threads. */
    <T extends TabMessage> T next(Class<T> type, Predicate<T> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Eventually.DEADLINE.toNanos();
        while (true) {
            TabMessage message = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (message == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within the deadline; received " + received);
            }
            if (type.isInstance(message) && condition.test(type.cast(message))) {
                return type.cast(message);
            }
        }
    }
}
