package io.parley.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.jetty12.client.JettyClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.parley.relay.Relay;
import io.parley.relay.RelayObserver;
import io.parley.upstream.UpstreamCallListener;
import java.time.Duration;
import java.util.function.IntSupplier;
import org.eclipse.jetty.client.Request;

/**
 * Parley's meters, fed by the relay ({@link RelayObserver}) and the upstream client
 * ({@link ObservedUpstreamClient.Listener}). Names as Prometheus shows them:
 * <ul>
 * <li>{@code parley_conversations}, {@code parley_tabs}, {@code parley_polls_in_flight}: now;</li>
 * <li>{@code parley_upstream_calls_seconds{call, outcome}}: every upstream call, a histogram;
 *     {@code call} is start, poll, send or close; {@code outcome} is ok, banned or the kind of
 *     failure;</li>
 * <li>{@code parley_agent_message_latency_seconds}: from the upstream's stamp on an agent's
 *     message to its reaching the tabs, a histogram;</li>
 * <li>{@code parley_rate_limited_total{limit}}: refusals by limit;</li>
 * <li>{@code parley_refused_total{reason}}: connections and requests refused or cut for another
 *     reason: origin, host, tabs_per_ip, busy, hello_timeout, idle, too_slow;</li>
 * <li>{@code parley_visitors_without_chat}: visitors with tabs here who have not started a chat;</li>
 * <li>{@code jetty_client_requests_seconds}: the upstream client's HTTP requests, by status;</li>
 * <li>{@code jvm_*}, {@code process_*}, {@code system_*}: the JVM and the process.</li>
 * </ul>
 */
public final class ParleyMetrics implements RelayObserver, UpstreamCallListener, AutoCloseable {

    /** The format {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Between two polls of one chat as Parley sent them; the buckets show the keep-alive at risk. */
    private final Timer pollGap = Timer.builder("parley.poll.gap")
            .description("Time between two polls of a chat, as sent")
            .serviceLevelObjectives(Duration.ofSeconds(8), Duration.ofSeconds(10), Duration.ofSeconds(20),
                    Duration.ofSeconds(30))
            .register(registry);
    private final Timer pollLateness = Timer.builder("parley.poll.lateness")
            .description("How long after it was due a poll started: the scheduler's delay and the wait for room")
            .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5))
            .register(registry);
    private final Request.Listener upstreamRequests;

    public ParleyMetrics() {
        // First: it adds a meter filter, which Micrometer wants in place before any meter exists.
        upstreamRequests = JettyClientMetrics.builder(registry, (request, result) -> {
            String path = request.getPath();
            return "/visitors/{visitor_id}/chat/" + path.substring(path.lastIndexOf('/') + 1);
        }).build();
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** What the counters of a member of a cluster read. */
    private java.util.function.Supplier<io.parley.cluster.Cluster.View> cluster;

    /** Adds the gauges that read the relay's state at each scrape. */
    public void watch(Relay relay) {
        Gauge.builder("parley.conversations", relay, Relay::conversations)
                .description("Conversations held by this node").register(registry);
        Gauge.builder("parley.visitors.without.chat", relay, Relay::visitorsWithoutChat)
                .description("Visitors with tabs here who have not started a chat (nothing is stored for them)")
                .register(registry);
        Gauge.builder("parley.tabs", relay, Relay::tabs)
                .description("Browser tabs attached to a conversation").register(registry);
        Gauge.builder("parley.chats.unreachable", relay, Relay::unreachableChats)
                .description("Open chats whose upstream cannot be polled now").register(registry);
    }

    /** Adds the gauges of a member of a cluster: what it sees of the others, and what it took over. */
    public void watchCluster(java.util.function.Supplier<io.parley.cluster.Cluster.View> cluster) {
        this.cluster = cluster; // counters hold what they read weakly
        Gauge.builder("parley.cluster.members", cluster, c -> c.get().members()).strongReference(true)
                .description("Members of the cluster this node sees, itself included").register(registry);
        Gauge.builder("parley.cluster.majority", cluster, c -> c.get().safe() ? 1 : 0).strongReference(true)
                .description("1 while this node is with a majority of the members (it drives conversations only then)")
                .register(registry);
        Gauge.builder("parley.cluster.conversations.driven", cluster, c -> c.get().driven()).strongReference(true)
                .description("Conversations this node drives").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("parley.cluster.failovers", cluster,
                c -> c.get().failovers()).description("Conversations taken over from a member that left")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("parley.cluster.migrations", cluster,
                c -> c.get().migrations()).description("Conversations handed between members still there")
                .register(registry);
    }

    /**
     * Adds the gauges of a polled upstream: polls in flight, and due polls waiting for room
     * under {@code polls-in-flight}.
     */
    public void watchPolls(IntSupplier inFlight, IntSupplier waiting) {
        Gauge.builder("parley.polls.in.flight", inFlight, IntSupplier::getAsInt).strongReference(true)
                .description("Upstream polls waiting for their answer").register(registry);
        Gauge.builder("parley.polls.waiting", waiting, IntSupplier::getAsInt).strongReference(true)
                .description("Due polls waiting for room under polls-in-flight").register(registry);
    }

    /** Watches the RTM sockets of the Customer Chat API v3, and the chats read without one. */
    public void watchRtm(IntSupplier loggedIn, IntSupplier polling) {
        Gauge.builder("parley.rtm.sockets", loggedIn, IntSupplier::getAsInt).strongReference(true)
                .description("RTM sockets logged in upstream, one per live chat").register(registry);
        Gauge.builder("parley.rtm.fallback.chats", polling, IntSupplier::getAsInt).strongReference(true)
                .description("Chats read through the Web API because no RTM socket could be held").register(registry);
    }

    /**
     * Measures the upstream client's HTTP requests. Its {@code uri} tag names the call, never the
     * visitor id in the path.
     */
    public Request.Listener upstreamRequests() {
        return upstreamRequests;
    }

    @Override
    public void finished(String call, String outcome, boolean answered, boolean ends, Duration took) {
        Timer.builder("parley.upstream.calls")
                .description("Calls to the upstream API, by call and outcome")
                .tag("call", call)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(took);
    }

    @Override
    public void rateLimited(String limit) {
        Counter.builder("parley.rate.limited")
                .description("Requests refused by an abuse limit")
                .tag("limit", limit)
                .register(registry)
                .increment();
    }

    @Override
    public void refused(String reason) {
        Counter.builder("parley.refused")
                .description("Connections and requests refused or cut before they cost anything, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A poll started, this long after the chat's last one (null for its first), and this long after it was due. */
    public void pollStarted(Duration sinceLastPoll, Duration late) {
        if (sinceLastPoll != null) {
            pollGap.record(sinceLastPoll);
        }
        pollLateness.record(late);
    }

    @Override
    public void agentMessageRelayed(Duration latency) {
        Timer.builder("parley.agent.message.latency")
                .description("From the upstream's time stamp on an agent's message (whole seconds) to the tabs")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)
                .record(latency.isNegative() ? Duration.ZERO : latency);
    }

    /** Every meter, in Prometheus' text format ({@link #CONTENT_TYPE}). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
