package io.parley.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The v3 sockets, seen from both ends: Parley's {@code /metrics} ({@code parley_rtm_sockets},
 * logged in now, and {@code parley_rtm_fallback_chats}, read through the Web API because no
 * socket holds) and the emulator's (a chat's {@code rtm_logged_in}: its customer has a socket
 * logged in). Sampled through the steady phase, so that the fewest sockets and the most fallback
 * chats are seen, not only the end's. A gauge Parley does not give (or gives as NaN) reads -1.
 */
final class RtmMetrics implements AutoCloseable {

    private final ServerProcess parley;
    private final ServerProcess upstream;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private int fewestSockets = Integer.MAX_VALUE;
    private int fewestUpstream = Integer.MAX_VALUE;
    private int mostFallback = -1;
    private int samples;
    private int upstreamSamples;

    private RtmMetrics(ServerProcess parley, ServerProcess upstream) {
        this.parley = parley;
        this.upstream = upstream;
    }

    /**
     * Starts sampling now: Parley's gauges every second, the emulator's view every 5 s (its list
     * of every chat is not free to make, and the steady phase measures latency).
     */
    static RtmMetrics sample(ServerProcess parley, ServerProcess upstream) {
        RtmMetrics metrics = new RtmMetrics(parley, upstream);
        metrics.sampler.scheduleWithFixedDelay(metrics::sampleParley, 0, 1, TimeUnit.SECONDS);
        metrics.sampler.scheduleWithFixedDelay(metrics::sampleUpstream, 0, 5, TimeUnit.SECONDS);
        return metrics;
    }

    private void sampleParley() {
        try {
            int[] now = read(parley);
            synchronized (this) {
                fewestSockets = Math.min(fewestSockets, now[0]);
                mostFallback = Math.max(mostFallback, now[1]);
                samples++;
            }
        } catch (Exception e) {
            // the server may be down (killed on purpose): that second is not sampled
        }
    }

    private void sampleUpstream() {
        try {
            int now = upstreamSockets(upstream);
            synchronized (this) {
                fewestUpstream = Math.min(fewestUpstream, now);
                upstreamSamples++;
            }
        } catch (Exception e) {
            // not sampled this time
        }
    }

    /** Parley's sockets logged in and fallback chats, now; -1 for a gauge it does not give. */
    static int[] read(ServerProcess parley) throws Exception {
        String metrics = parley.get("/metrics");
        return new int[] {gauge(metrics, "parley_rtm_sockets"), gauge(metrics, "parley_rtm_fallback_chats")};
    }

    /** The benchmark's open chats whose customer has a socket logged in, as the emulator sees them. */
    static int upstreamSockets(ServerProcess upstream) throws Exception {
        List<Map<String, Object>> chats = ServerProcess.json(upstream.get("/emulator/agent/api/chats"));
        int online = 0;
        for (Map<String, Object> chat : chats) {
            boolean open = "waiting".equals(chat.get("state")) || "chatting".equals(chat.get("state"));
            if (open && String.valueOf(chat.get("name")).startsWith("bench-v") && Boolean.TRUE.equals(chat.get("rtm_logged_in"))) {
                online++;
            }
        }
        return online;
    }

    /** Sockets logged in now: Parley's gauge, or the emulator's count if Parley does not say. */
    static int sockets(ServerProcess parley, ServerProcess upstream) throws Exception {
        int own = read(parley)[0];
        return own >= 0 ? own : upstreamSockets(upstream);
    }

    /**
     * Waits, bounded, until this many sockets are logged in; returns how many are. Chats that have
     * started may still be logging in.
     */
    static int awaitSockets(ServerProcess parley, ServerProcess upstream, int wanted, long timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int now = sockets(parley, upstream);
        while (now < wanted && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling the counts, bounded by the deadline
            now = sockets(parley, upstream);
        }
        return now;
    }

    /** Waits, bounded, until at most this many sockets are logged in; returns how many are. */
    static int awaitAtMost(ServerProcess parley, ServerProcess upstream, int most, long timeoutSeconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int now = sockets(parley, upstream);
        while (now > most && System.nanoTime() < deadline) {
            Thread.sleep(500); // polling the counts, bounded by the deadline
            now = sockets(parley, upstream);
        }
        return now;
    }

    /** The fewest sockets Parley said were logged in; -1 if it never said. */
    synchronized int fewestSockets() {
        return samples == 0 || fewestSockets == Integer.MAX_VALUE ? -1 : fewestSockets;
    }

    /** The fewest the emulator saw logged in; -1 if never sampled. */
    synchronized int fewestUpstream() {
        return upstreamSamples == 0 ? -1 : fewestUpstream;
    }

    /** The most chats Parley said were read for want of a socket; -1 if it never said. */
    synchronized int mostFallback() {
        return mostFallback;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }

    private static int gauge(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                return Double.isNaN(value) ? -1 : (int) Math.round(value); // NaN: the gauge lost what it watched
            }
        }
        return -1;
    }
}
