package io.parley.cluster;

import io.parley.relay.ConversationRegistry;
import io.parley.relay.ConversationStore;
import io.parley.relay.Ownership;
import io.parley.relay.Relay;
import io.parley.relay.ws.Forwarding;
import io.parley.settings.ClusterSettings;
import java.lang.reflect.InvocationTargetException;

/**
 * This node as a member of several sharing their conversations. It names no Hazelcast type, so
 * that a node alone, which never calls {@link #join}, loads none.
 */
public interface Cluster extends AutoCloseable {

    /**
     * Joins (or forms) the cluster these settings describe; throws with one line naming the
     * problem if it cannot.
     *
     * @param socketPath the relay socket's path within the server, e.g. {@code /ws}, for tabs forwarded here
     */
    static Cluster join(ClusterSettings settings, String socketPath) {
        try {
            return (Cluster) Class.forName("io.parley.cluster.HazelcastCluster")
                    .getMethod("join", ClusterSettings.class, String.class).invoke(null, settings, socketPath);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("cannot join the cluster: " + cause, cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot join the cluster: the Hazelcast library is missing (" + e + ")", e);
        }
    }

    /** Which conversations this node drives: those whose key's partition it owns, while it is with a majority. */
    Ownership ownership();

    /** The shared store, writing each conversation this node drives there (fenced) and to {@code local}. */
    ConversationStore sharing(ConversationStore local);

    /** This node's conversations, counted across the cluster for {@code max-conversations}. */
    ConversationRegistry registry();

    /** Where tabs of conversations driven elsewhere go. */
    Forwarding forwarding();

    /** This node serves HTTP on this port under this context path: how other nodes forward tabs here. */
    void serving(int port, String contextPath);

    /**
     * Starts handing conversations over as members come and go: takes those it now owns, lets go
     * of the others.
     *
     * @param callsAnsweredWithin the longest an upstream call may take ({@code upstream-timeout}):
     *                            a conversation moved from a member still there is taken after it
     */
    void drive(Relay relay, java.time.Duration callsAnsweredWithin);

    /**
     * A rate limit counted by every member ({@link io.parley.limits.SharedRateLimits}), on this
     * clock (milliseconds).
     */
    io.parley.limits.RateLimit rateLimit(String name, io.parley.settings.Rate rate, java.util.function.LongSupplier clock);

    /** What this member sees now, for readiness and metrics. */
    View view();

    /**
     * Whether no partition is moving between members now (after a member came or went), as last
     * asked of the members in the background: it never waits on a member that does not answer.
     */
    boolean settled();

    /**
     * @param members     members this one sees, itself included
     * @param safe        whether it is with a majority of the members it was configured with (or there are fewer than three)
     * @param driven      conversations it drives
     * @param failovers   conversations taken from a member that had left
     * @param migrations  conversations taken from, or handed to, a member still there
     */
    record View(int members, boolean safe, int driven, long failovers, long migrations) {
    }

    /** Leaves the cluster: the others take what this node drove. */
    @Override
    void close();
}
