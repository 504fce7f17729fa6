package io.parley.app;

import io.parley.emulator.web.Emulator;
import io.parley.health.Heartbeat;
import io.parley.health.UpstreamHealth;
import io.parley.limits.AbuseLimits;
import io.parley.livechat.v2.ObservedUpstreamClient;
import io.parley.metrics.ParleyMetrics;
import io.parley.relay.ConversationStore;
import io.parley.relay.Relay;
import io.parley.settings.Durations;
import io.parley.settings.Settings;
import io.parley.tasks.ExecutorTaskScheduler;
import io.parley.upstream.Upstream;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Parley built at start-up, for the life of the servlet context. Found in the context
 * attribute {@link #ATTRIBUTE}.
 */
public final class Parley implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Parley.class);

    public static final String ATTRIBUTE = Parley.class.getName();

    private final Settings settings;
    private final Upstream upstream;
    private final ObservedUpstreamClient client;
    private final Emulator emulator;
    private final Relay relay;
    private final ExecutorTaskScheduler scheduler;
    private final ConversationStore store;
    private final AbuseLimits limits;
    private final Watchers watchers;
    /** Null for a node alone. */
    private final Shared shared;

    /** A member of a cluster: the cluster, and what forwards tabs to the other members. */
    record Shared(io.parley.cluster.Cluster cluster, io.parley.relay.ws.Forwarder forwarder) {
    }

    /** What watches Parley work: its meters, the upstream's health, and the scheduler's heartbeat. */
    record Watchers(ParleyMetrics metrics, UpstreamHealth upstreamHealth, Heartbeat heartbeat) {
    }

    Parley(Settings settings, Upstream upstream, ObservedUpstreamClient client, Emulator emulator, Relay relay,
            ExecutorTaskScheduler scheduler, ConversationStore store, AbuseLimits limits, Watchers watchers,
            Shared shared) {
        this.shared = shared;
        this.client = client;
        this.limits = limits;
        this.store = store;
        this.watchers = watchers;
        this.settings = settings;
        this.upstream = upstream;
        this.emulator = emulator;
        this.relay = relay;
        this.scheduler = scheduler;
    }

    /** The cluster and the tab forwarder of a member; empty for a node alone. */
    public Optional<Shared> shared() {
        return Optional.ofNullable(shared);
    }

    /** Where conversations are kept. */
    public ConversationStore store() {
        return store;
    }

    /** The relay's scheduler, which also keeps the sockets' deadlines. */
    public ExecutorTaskScheduler scheduler() {
        return scheduler;
    }

    /** The limits on chat starts, messages and connections. */
    public AbuseLimits limits() {
        return limits;
    }

    /** The relay behind {@code /ws}. */
    public Relay relay() {
        return relay;
    }

    public Settings settings() {
        return settings;
    }

    /** The upstream the relay puts visitors through to. */
    public Upstream upstream() {
        return upstream;
    }

    /** The Visitors Chat API v2 client (LiveChat's API, or in demo mode the emulator over HTTP), when v2 is spoken. */
    public Optional<ObservedUpstreamClient> livechatV2() {
        return Optional.ofNullable(client);
    }

    /** The emulator, mounted in demo mode only. */
    public Optional<Emulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    /** The meters behind {@code /metrics}. */
    public ParleyMetrics metrics() {
        return watchers.metrics();
    }

    /** Whether the upstream answers, for readiness. */
    public UpstreamHealth upstreamHealth() {
        return watchers.upstreamHealth();
    }

    /** The relay scheduler's heartbeat, for liveness. */
    public Heartbeat heartbeat() {
        return watchers.heartbeat();
    }

    /**
     * Stops gracefully: takes no more tabs and disconnects those attached (each comes back and
     * resumes, here after a restart or on another node), makes no more polls, lets the upstream
     * calls in flight finish (visitors' messages among them; at most {@code shutdown-timeout}),
     * then saves what is left and releases everything.
     */
    @Override
    public void close() {
        relay.stopAccepting();
        try {
            if (!upstream.awaitIdle(settings.shutdownTimeout())) {
                LOG.warn("Stopping with upstream calls still unanswered after {}: a message among them is "
                        + "settled from the transcript after the restart", Durations.format(settings.shutdownTimeout()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (shared != null) {
            shared.forwarder().close(); // forwarded tabs come back, to another node
        }
        relay.close(); // writes what is still pending, on this thread
        if (shared != null) {
            shared.cluster().close(); // the others take over what this node drove
        }
        watchers.heartbeat().stop();
        scheduler.close();
        upstream.close();
        store.close();
        if (emulator != null) {
            emulator.close();
        }
        watchers.metrics().close();
    }
}
