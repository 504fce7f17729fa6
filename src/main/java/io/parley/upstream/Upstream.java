package io.parley.upstream;

import java.time.Duration;
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
