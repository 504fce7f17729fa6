package io.parley.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Parley's own view of its v3 sockets, from {@code /metrics}: {@code parley_rtm_sockets} (logged
 * in now) and {@code parley_rtm_fallback_chats} (read through the Web API because no socket
 * holds). Sampled every second through the steady phase, so that the fewest sockets and the most
 * fallback chats are seen, not only the end's.
 */
final class RtmMetrics implements AutoCloseable {

    private final ServerProcess parley;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
    private int fewestSockets = Integer.MAX_VALUE;
    private int mostFallback;
    private int samples;

    private RtmMetrics(ServerProcess parley) {
        this.parley = parley;
    }

    /** Starts sampling now. */
    static RtmMetrics sample(ServerProcess parley) {
        RtmMetrics metrics = new RtmMetrics(parley);
        metrics.sampler.scheduleWithFixedDelay(metrics::sampleOnce, 0, 1, TimeUnit.SECONDS);
        return metrics;
    }

    private void sampleOnce() {
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

    /** Sockets logged in and fallback chats, now; {@code -1, -1} when the server does not say. */
    static int[] read(ServerProcess parley) throws Exception {
        String metrics = parley.get("/metrics");
        return new int[] {gauge(metrics, "parley_rtm_sockets"), gauge(metrics, "parley_rtm_fallback_chats")};
    }

    /**
     * Waits, bounded, until this many sockets are logged in; returns how many are. Chats that have
     * started may still be logging in.
     */
    static int awaitSockets(ServerProcess parley, int wanted, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int now = read(parley)[0];
        while (now < wanted && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling Parley's metrics, bounded by the deadline
            now = read(parley)[0];
        }
        return now;
    }

    /** Waits, bounded, until at most this many sockets are logged in; returns how many are. */
    static int awaitAtMost(ServerProcess parley, int most, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int now = read(parley)[0];
        while (now > most && System.nanoTime() < deadline) {
            Thread.sleep(250); // polling Parley's metrics, bounded by the deadline
            now = read(parley)[0];
        }
        return now;
    }

    synchronized int fewestSockets() {
        return samples == 0 ? -1 : fewestSockets;
    }

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
                return (int) Math.round(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return -1;
    }
}
