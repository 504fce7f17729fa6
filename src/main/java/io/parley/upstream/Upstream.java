package io.parley.upstream;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A chat service visitors are put through to, as the relay sees it: whatever its API (polled or
 * pushed, ids of any shape), it gives one {@link UpstreamChat} per visitor. The relay imports
 * nothing of an API's own types; an adapter implements this for each.
 */
public interface Upstream extends AutoCloseable {

    /** What chats of this upstream can do beyond messages, so that the widget hides the rest. */
    Set<Capability> capabilities();

    /**
     * A visitor's chats, reporting to {@code listener}. Nothing is called upstream until the relay
     * asks: {@link UpstreamChat#start}, or {@link UpstreamChat#resume} for a restored chat.
     *
     * @param logId    the conversation's id for log lines (never an upstream id)
     * @param snapshot what {@link UpstreamChat#snapshot()} returned before a restart, or null for a new visitor
     * @throws IllegalArgumentException if the snapshot cannot be read
     */
    UpstreamChat chat(String logId, String snapshot, UpstreamChat.Listener listener);

    /**
     * Whether anyone can take a chat in this group now ({@link Capability#AVAILABILITY}), as the
     * upstream last said; empty while not known. One view for the whole node, kept at a cost that
     * does not grow with the visitors: it is kept fresh while it is asked for (the relay asks
     * while tabs are attached), and not read at all otherwise; asking never waits for a read.
     *
     * @param group the group a tab chats with; empty for the default group
     */
    default Optional<Boolean> online(OptionalInt group) {
        return Optional.empty();
    }

    /** Tells {@code changed} whenever {@link #online} may answer otherwise than before. */
    default void onAvailabilityChange(Runnable changed) {
        // an upstream that does not know availability never changes it
    }

    /**
     * Makes no more calls of its own accord (polls, reconnections), for a node that is stopping:
     * calls already made complete, and visitors' messages already given are still sent.
     */
    void stopDriving();

    /**
     * Waits until no call is in flight, at most {@code timeout}; true if none is. A call counts
     * until what its answer changes has reached the listener, so that a stopping node that waits
     * here then saves all of it.
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException;

    /** Releases connections and threads. */
    @Override
    void close();
}
