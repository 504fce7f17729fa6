package io.parley.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Faults on a seeded schedule during the steady phase: tabs dropped and resumed; one at a time, a
 * second of upstream errors, latency, broken connections, malformed answers, or sends answered
 * with an error after they landed (on v3 also sockets dropped, pushes lost, and every socket
 * dropped at once); and, half-way, the measured server killed ({@code SIGKILL}) and started again
 * on its store, its tabs resuming once it is back. (Starts that land and then fail, and on v3
 * tokens that expire, are injected while the chats start: see {@link UpstreamKind#startFaults}.)
 */
final class Chaos {

    private static final String[][] V2_FAULTS = {
        {"upstream errors", "error_rate=0.5&error_status=503"},
        {"upstream latency", "latency_ms=800"},
        {"connection resets", "drop_rate=0.3"},
        {"malformed answers", "malformed_rate=0.3"},
        {"sends that land and then fail", "error_after_rate=0.5&error_status=500&calls=send_message"},
    };

    /**
     * On v3 the calls named are the visitor's sends and the reads of a chat (over the Web API and
     * RTM alike); the logins are spared, or sockets would rarely come back within the second.
     */
    private static final String[][] V3_FAULTS = {
        {"5xx on sends and reads", "error_rate=0.5&error_status=503&calls=send_event,get_chat,list_chats"},
        {"upstream latency", "latency_ms=800&calls=send_event,get_chat,list_chats,login"},
        {"connection resets on sends and reads", "drop_rate=0.3&calls=send_event,get_chat,list_chats"},
        {"malformed answers", "malformed_rate=0.3&calls=send_event,get_chat,list_chats"},
        {"sends that land and then fail", "error_after_rate=0.5&error_status=500&calls=send_event"},
        {"sockets dropped after pushes", "rtm_drop_rate=0.2"},
        {"pushes lost", "push_loss_rate=0.3"},
        {"every socket dropped at once", null},
    };

    /** On v3 the customers' tokens last this long during the chaos: each socket sees them expire. */
    static final int V3_TOKEN_LIFETIME_S = 20;

    private final UpstreamKind kind;

    private final ServerProcess upstream;
    private final ServerProcess parley;
    private final Load load;
    private final Benchmark.Options options;
    private final List<String> log;
    private final Tally tally;
    private final List<Long> cleared = new ArrayList<>();

    Chaos(UpstreamKind kind, ServerProcess upstream, ServerProcess parley, Load load, Benchmark.Options options,
            List<String> log, Tally tally) {
        this.kind = kind;
        this.upstream = upstream;
        this.parley = parley;
        this.load = load;
        this.options = options;
        this.log = log;
        this.tally = tally;
    }

    /** After the messages have settled: how long delivery took to resume after each upstream fault. */
    void reportResumption() {
        List<Long> resumed = new ArrayList<>();
        for (long instant : cleared) {
            long after = tally.resumedAfter(instant);
            if (after >= 0) {
                resumed.add(after);
            }
        }
        resumed.sort(null);
        log.add("after each upstream fault cleared, the next agent message reached a tab in p50 "
                + Tally.percentile(resumed, 0.5) + " ms, max " + (resumed.isEmpty() ? -1 : resumed.get(resumed.size() - 1))
                + " ms (" + resumed.size() + " of " + cleared.size() + " faults followed by a message)");
    }

    private String restartServer() throws Exception {
        long killed = System.nanoTime();
        parley.killAndRestart();
        long listening = System.nanoTime();
        int resumed = load.resumeClosed();
        long back = System.nanoTime();
        return String.format("server restart: killed (SIGKILL) and started again on its store, listening after %d ms;"
                + " %d tabs resumed %d ms later", (listening - killed) / 1_000_000, resumed, (back - listening) / 1_000_000);
    }

    void run(Duration duration) throws Exception {
        Random random = new Random(options.seed);
        ExecutorService drops = Executors.newFixedThreadPool(8);
        List<Future<Long>> resumes = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        long restartAt = System.nanoTime() + duration.toNanos() / 2;
        String restart = "server restart: not reached";
        int upstreamFaults = 0;
        String[][] kinds = kind == UpstreamKind.V2 ? V2_FAULTS : V3_FAULTS;
        java.util.Map<String, Integer> byKind = new java.util.TreeMap<>();
        while (System.nanoTime() < end) {
            if (restartAt > 0 && System.nanoTime() >= restartAt) {
                restartAt = 0;
                restart = restartServer();
                continue;
            }
            String[] fault = kinds[random.nextInt(kinds.length)];
            if (fault[1] == null) {
                upstream.post("/emulator/agent/api/rtm/drop", "");
            } else {
                upstream.post("/emulator/agent/api/faults", fault[1] + "&seed=" + random.nextInt(1000));
            }
            byKind.merge(fault[0], 1, Integer::sum);
            upstreamFaults++;
            for (int i = 0; i < 8; i++) { // eight tabs dropped during each upstream fault
                int visitor = random.nextInt(options.visitors);
                int tab = random.nextInt(options.tabsPerVisitor);
                long pause = 100 + random.nextInt(400);
                resumes.add(drops.submit(() -> load.dropAndResume(visitor, tab, pause)));
            }
            Thread.sleep(1000); // the fault lasts a second
            upstream.post("/emulator/agent/api/faults", kind.calm());
            cleared.add(System.currentTimeMillis());
            Thread.sleep(500 + random.nextInt(500)); // then a calm moment
        }
        drops.shutdown();
        drops.awaitTermination(2, TimeUnit.MINUTES);
        List<Long> times = new ArrayList<>();
        for (Future<Long> resume : resumes) {
            times.add(resume.get());
        }
        times.sort(null);
        log.add(upstreamFaults + " upstream faults, a second each: " + byKind);
        if (kind == UpstreamKind.V3) {
            log.add("customer tokens issued for " + V3_TOKEN_LIFETIME_S + " s throughout: every socket is ended with"
                    + " access_token_expired and logged in again with a new token");
        }
        log.add(resumes.size() + " tabs dropped and resumed; resume took p50 " + Tally.percentile(times, 0.5)
                + " ms, max " + (times.isEmpty() ? -1 : times.get(times.size() - 1)) + " ms");
        log.add(restart);
        log.add((upstreamFaults + resumes.size() + 1) + " faults in all");
    }
}
