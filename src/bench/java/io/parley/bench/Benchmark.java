package io.parley.bench;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The benchmark: measures a bare Jetty WebSocket echo server holding the tabs, then Parley
 * holding them with every visitor in a chat, while agents and visitors write in a share of the
 * chats, optionally under injected faults: once per upstream API asked for ({@code --upstream},
 * v2 then v3 by default), each in fresh servers, reported side by side. Three JVMs besides this one: the echo server, the
 * upstream (a Parley demo server, for its emulator) and the Parley under measurement, which
 * reaches the upstream over HTTP like a production node. Writes {@code target/bench/report.md}
 * and a latency chart per upstream, and prints the key figures.
 *
 * <pre>
 * bench/run                                    # small: 500 visitors x 2 tabs, about a minute
 * bench/run --visitors=5000 --duration=120s --fast-window=30s   # full: 10,000 tabs, 1,000 active chats
 * bench/run --chaos                            # with faults on a seeded schedule
 * bench/run --cpu-hog=1                        # overload: a core kept busy during the steady phase
 * bench/run --upstream=v3                      # one upstream only
 * bench/run --nodes=3 --chaos                  # one node against three sharing their chats, one killed
 * </pre>
 */
public final class Benchmark {

    private final Options options;
    private final Path out = Path.of("target", "bench");
    private long echoHeapPerTab;

    private Benchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Benchmark benchmark = new Benchmark(Options.parse(args));
        benchmark.run();
        System.exit(0);
    }

    /** What one upstream's run measured. */
    record Run(UpstreamKind kind, Map<String, Object> figures, Tally tally, List<String> faults) {
    }

    private void run() throws Exception {
        Files.createDirectories(out);
        int tabs = options.visitors * options.tabsPerVisitor;
        System.out.printf("Parley benchmark: %d visitors x %d tabs, %.0f%% active, %s, upstream %s%s%s%n", options.visitors,
                options.tabsPerVisitor, options.activeShare * 100, options.duration,
                options.upstreams.stream().map(UpstreamKind::label).collect(java.util.stream.Collectors.joining(" then ")),
                options.chaos ? ", chaos" : "",
                options.cpuHog > 0 ? ", " + options.cpuHog + " core(s) kept busy" : "");
        List<Run> runs = new ArrayList<>();
        WebSocketClient client = client();
        if (options.nodes > 1) {
            try {
                new ClusterBenchmark(options, out, client).run();
            } finally {
                client.stop();
            }
            return;
        }
        try {
            measureEcho(client, tabs);
            for (UpstreamKind kind : options.upstreams) {
                Run run = new Run(kind, new HashMap<>(), new Tally(), new ArrayList<>());
                run.tally().signals = options.signals;
                run.figures().put("echo_heap_per_tab", echoHeapPerTab);
                measureParley(client, tabs, run);
                runs.add(run);
            }
        } finally {
            client.stop();
        }
        Report.write(out, options, runs);
    }

    private static WebSocketClient client() throws Exception {
        HttpClient http = new HttpClient();
        http.setMaxConnectionsPerDestination(100_000);
        WebSocketClient client = new WebSocketClient(http);
        client.setIdleTimeout(Duration.ofMinutes(10));
        client.start();
        return client;
    }

    /** The bare limit: the same number of idle connections on an echo endpoint. */
    private void measureEcho(WebSocketClient client, int tabs) throws Exception {
        try (ServerProcess echo = ServerProcess.start(options.serverHeap, "echo", List.of(), out.resolve("echo.log"))) {
            long before = echo.stats()[0];
            List<EchoTab> held = new ArrayList<>();
            Semaphore inFlight = new Semaphore(200);
            List<CompletableFuture<?>> connecting = new ArrayList<>();
            for (int i = 0; i < tabs; i++) {
                inFlight.acquire();
                EchoTab tab = new EchoTab();
                held.add(tab);
                connecting.add(client.connect(tab, URI.create(echo.uri("/echo").toString().replace("http:", "ws:")))
                        .whenComplete((session, failure) -> inFlight.release()));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
            long after = echo.stats()[0];
            echoHeapPerTab = (after - before) / tabs;
            System.out.printf("Echo baseline: %,d tabs held, %,d bytes of heap per tab%n", tabs, echoHeapPerTab);
            held.forEach(EchoTab::close);
        }
    }

    private void measureParley(WebSocketClient client, int tabs, Run run) throws Exception {
        UpstreamKind kind = run.kind();
        Map<String, Object> figures = run.figures();
        Tally tally = run.tally();
        List<String> faults = run.faults();
        List<String> settings = new ArrayList<>(List.of(
                "max-conversations=" + (options.visitors + 100),
                "upstream-connections=256",
                "poll-fast-interval=" + options.fastInterval.toMillis() + "ms",
                "poll-interval=" + options.pollInterval.toMillis() + "ms",
                "poll-idle-interval=" + options.pollInterval.toMillis() + "ms",
                "poll-fast-window=" + options.fastWindow.toMillis() + "ms",
                // Every simulated visitor comes from 127.0.0.1 and writes as fast as told:
                // the abuse limits, which would refuse them, are not what is measured.
                "connections-per-ip=1000000/1m", "tabs-per-ip=1000000", "chat-starts-per-ip=1000000/1h",
                "chat-starts-per-visitor=1000/1h", "messages-per-visitor=100000/1m"));
        // A fresh store each run, as a deployment's default one is (under chaos it is killed and
        // must find its chats there again); the upstream's own relay keeps nothing.
        settings.add("data-dir=" + dataDir());
        System.out.printf("%n--- Parley on the emulator's %s API ---%n", kind.label());
        try (ServerProcess upstream = ServerProcess.start("2g", "parley", List.of("emulator-demo-agent=false",
                "emulator-chat-timeout=30s", "data-dir=none"), out.resolve("upstream-" + kind.label() + ".log"));
             ServerProcess parley = ServerProcess.start(options.serverHeap, "parley",
                     with(settings, kind.accountSettings(upstream.uri("/emulator"))),
                     out.resolve("parley-" + kind.label() + ".log"))) {
            long baseline = parley.stats()[0];
            URI ws = URI.create("ws://127.0.0.1:" + parley.port + "/ws");
            Load load = new Load(client, ws, tally, options);

            long started = System.nanoTime();
            load.connectAll();
            double seconds = (System.nanoTime() - started) / 1e9;
            figures.put("tabs", load.openTabs());
            figures.put("handshakes_per_s", (long) (tabs / seconds));
            System.out.printf("Connected %,d tabs in %.1f s: %,d handshakes/s%n", load.openTabs(), seconds,
                    (long) (tabs / seconds));
            long tabsOnly = parley.stats()[0];

            if (options.chaos) {
                upstream.post("/emulator/agent/api/faults", kind.startFaults() + "&seed=" + options.seed);
            }
            load.startChats();
            Agents agents = new Agents(upstream, load, options, tally);
            agents.mapChats();
            upstream.post("/emulator/agent/api/faults", "error_rate=0");
            if (kind == UpstreamKind.V3) {
                // A started chat logs its socket in (and reads its thread) just after: wait for them all.
                int sockets = RtmMetrics.awaitSockets(parley, upstream, options.visitors, 120);
                figures.put("sockets_after_start", sockets);
                System.out.printf("RTM sockets logged in: %,d of %,d chats (Parley's gauge says %d)%n", sockets,
                        options.visitors, RtmMetrics.read(parley)[0]);
            }
            long[] held = parley.stats();
            figures.put("heap_per_tab", (held[0] - baseline) / tabs);
            figures.put("heap_per_chat", (held[0] - tabsOnly) / options.visitors);
            System.out.printf("Parley: %,d bytes of heap per tab, chats and conversations included; %,d per chat%n",
                    (held[0] - baseline) / tabs, (held[0] - tabsOnly) / options.visitors);

            // v2: starting a chat is activity, wait until the chats have left the fast window.
            // v3: the logins' reads are done; a moment for what the starts left in flight.
            Duration settle = kind == UpstreamKind.V2 ? options.fastWindow.plusSeconds(1) : Duration.ofSeconds(2);
            System.out.printf("Waiting %d s for the chats to go quiet, then %d s of quiet chats only%n",
                    settle.toSeconds(), options.quiet.toSeconds());
            Thread.sleep(settle.toMillis()); // the benchmark's own pacing
            EmulatorCalls quietFrom = EmulatorCalls.of(upstream);
            long quietStarted = System.nanoTime();
            Thread.sleep(options.quiet.toMillis()); // nobody writes: what quiet chats cost
            EmulatorCalls quietTo = EmulatorCalls.of(upstream);
            double quietHours = (System.nanoTime() - quietStarted) / 3.6e12;
            long quietBilled = kind.billed(quietTo.counts()) - kind.billed(quietFrom.counts());
            double quietPerChatHour = quietBilled / (options.visitors * quietHours);
            figures.put("billed_quiet_per_chat_hour", quietPerChatHour);
            figures.put("quiet_calls", quietFrom.until(quietTo).toString());

            Map<Integer, Long> pollsBefore = kind == UpstreamKind.V2 ? agents.polls() : Map.of();
            upstream.delete("/emulator/agent/api/poll-gaps"); // both views of the gaps cover the steady phase
            PollMetrics parleyPollsBefore = PollMetrics.of(parley);
            EmulatorCalls steadyFrom = EmulatorCalls.of(upstream);
            long cpuBefore = parley.stats()[1];
            long window = System.nanoTime();
            Chaos chaos = options.chaos ? new Chaos(kind, upstream, parley, load, options, faults, tally) : null;
            try (CpuHog hog = CpuHog.start(options.cpuHog, out.resolve("hog.log"));
                 RtmMetrics rtm = kind == UpstreamKind.V3 ? RtmMetrics.sample(parley, upstream) : null) {
                agents.run(options.duration, chaos);
                if (rtm != null) {
                    figures.put("sockets_fewest", rtm.fewestSockets());
                    figures.put("sockets_fewest_upstream", rtm.fewestUpstream());
                    figures.put("fallback_most", rtm.mostFallback());
                }
            }
            double windowSeconds = (System.nanoTime() - window) / 1e9;
            long cpuAfter = parley.stats()[1];
            EmulatorCalls steadyTo = EmulatorCalls.of(upstream);
            figures.put("cpu_share", (cpuAfter - cpuBefore) / 1e9 / windowSeconds / Runtime.getRuntime().availableProcessors());
            Map<String, Long> steady = steadyFrom.until(steadyTo);
            figures.put("steady_calls", steady.toString());
            if (kind == UpstreamKind.V2) {
                PollMetrics parleyPollsAfter = PollMetrics.of(parley);
                figures.put("parley_gaps_over_10s", parleyPollsBefore.gapsOver10sUntil(parleyPollsAfter));
                figures.put("parley_gap_max_ms", Math.round(parleyPollsAfter.gapMaxSeconds * 1000));
                figures.put("parley_polls_late_over_1s", parleyPollsBefore.lateOver1sUntil(parleyPollsAfter));
                figures.put("parley_polls", parleyPollsBefore.pollsUntil(parleyPollsAfter));
                figures.put("parley_late_max_ms", Math.round(parleyPollsAfter.lateMaxSeconds * 1000));
                figures.put("parley_polls_not_sent", parleyPollsBefore.notSentUntil(parleyPollsAfter));
                figures.put("parley_polls_timed_out", parleyPollsBefore.timedOutUntil(parleyPollsAfter));
                figures.put("parley_metrics_since", parleyPollsBefore.restartedBefore(parleyPollsAfter)
                        ? " (since the restart)" : "");
                agents.pollFigures(pollsBefore, windowSeconds, figures);
            }
            activeCost(kind, agents, steady, windowSeconds, quietPerChatHour, figures);
            figures.put("reconnects", steady.getOrDefault("rtm:login", 0L));
            figures.put("token_mints", steady.getOrDefault("accounts:customer_token", 0L));
            if (kind == UpstreamKind.V3) {
                figures.put("sockets_at_end", RtmMetrics.read(parley)[0]);
                figures.put("sockets_at_end_upstream", RtmMetrics.upstreamSockets(upstream));
            }
            agents.settle();
            figures.put("tabs_closed", load.closedTabs());
            if (chaos != null) {
                chaos.reportResumption();
            }
            agents.chatFigures(figures);
            agents.visitorFigures(figures);
            if (kind == UpstreamKind.V3) {
                measureSockets(upstream, parley, figures);
            }
            load.closeAll();
        }
    }

    /**
     * Billed requests per active chat-hour over the steady phase. v2: the active chats' own polls
     * (the emulator counts each chat's) and every visitor message sent (only active chats write).
     * v3: every billed request of the steady phase, less what the quiet chats cost at the quiet
     * phase's rate; quiet chats an agent writes to cost nothing more on v3 (the message is pushed).
     */
    private void activeCost(UpstreamKind kind, Agents agents, Map<String, Long> steady, double seconds,
            double quietPerChatHour, Map<String, Object> figures) {
        double hours = seconds / 3600;
        int active = Math.max(1, agents.active());
        double perChatHour;
        if (kind == UpstreamKind.V2) {
            perChatHour = (double) figures.get("polls_per_min_active") * 60
                    + steady.getOrDefault(kind.sendCount(), 0L) / (active * hours);
        } else {
            long billed = kind.billed(steady);
            double quietShare = quietPerChatHour * (options.visitors - agents.active()) * hours;
            perChatHour = Math.max(0, billed - quietShare) / (active * hours);
        }
        figures.put("billed_active_per_chat_hour", perChatHour);
        figures.put("sends_per_active_chat_hour", steady.getOrDefault(kind.sendCount(), 0L) / (active * hours));
        // Drafts and seen marks, over RTM or the Web API: every tab of an active chat sends them more often.
        long signals = steady.entrySet().stream()
                .filter(call -> call.getKey().endsWith("send_sneak_peek") || call.getKey().endsWith("mark_events_as_seen"))
                .mapToLong(Map.Entry::getValue).sum();
        figures.put("signal_calls", signals);
        figures.put("signals_per_active_chat_per_2s", signals / (double) active / (seconds / 2));
    }

    /**
     * v3: what one upstream socket costs Parley. The heap is measured with every socket logged in,
     * then with every socket dropped and kept down (logins refused), the chats read through the
     * Web API meanwhile; the difference, per socket, is the socket's own cost.
     */
    private void measureSockets(ServerProcess upstream, ServerProcess parley, Map<String, Object> figures) throws Exception {
        int up = RtmMetrics.awaitSockets(parley, upstream, options.visitors, 60);
        long heapUp = parley.stats()[0];
        upstream.post("/emulator/agent/api/faults", "error_rate=1&error_status=503&calls=login");
        upstream.post("/emulator/agent/api/rtm/drop", "");
        int down = RtmMetrics.awaitAtMost(parley, upstream, 0, 60);
        Thread.sleep(2000); // the sockets that were closing are let go before the heap is read
        long heapDown = parley.stats()[0];
        down = Math.max(down, RtmMetrics.sockets(parley, upstream));
        upstream.post("/emulator/agent/api/faults", "error_rate=0");
        int dropped = up - down;
        figures.put("heap_per_socket", dropped > 0 ? (heapUp - heapDown) / dropped : -1L);
        figures.put("sockets_measured", dropped);
        System.out.printf("RTM sockets: %,d logged in, %,d after dropping them: %,d bytes of heap per socket%n", up, down,
                dropped > 0 ? (heapUp - heapDown) / dropped : -1);
    }

    private static List<String> with(List<String> settings, List<String> more) {
        List<String> all = new ArrayList<>(settings);
        all.addAll(more);
        return all;
    }

    /** A fresh store for the measured server, emptied of an earlier run's. */
    private String dataDir() throws Exception {
        Path dir = out.resolve("data");
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir.toAbsolutePath().toString();
    }

    /** An idle echo connection. */
    public static final class EchoTab implements org.eclipse.jetty.websocket.api.Session.Listener.AutoDemanding {
        private volatile org.eclipse.jetty.websocket.api.Session session;

        @Override
        public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session opened) {
            session = opened;
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // closing ten thousand connections at once: nothing to report
        }

        void close() {
            if (session != null) {
                session.close();
            }
        }
    }

    /** The command's parameters. */
    static final class Options {
        int visitors = 500;
        int tabsPerVisitor = 2;
        double activeShare = 0.2;
        Duration duration = Duration.ofSeconds(20);
        Duration fastInterval = Duration.ofSeconds(1);
        Duration pollInterval = Duration.ofSeconds(8);
        Duration fastWindow = Duration.ofSeconds(10);
        Duration agentEvery = Duration.ofSeconds(4);
        String serverHeap = "2g";
        boolean chaos;
        /** Whether the tabs send the visitor's drafts and seen marks, as the chat page does on v3. */
        boolean signals = true;
        int cpuHog;
        List<UpstreamKind> upstreams = List.of(UpstreamKind.V2, UpstreamKind.V3);
        Duration quiet = Duration.ofSeconds(20);
        long seed = 42;
        /** More than one: the same load on one node, then on this many sharing their conversations. */
        int nodes = 1;

        static Options parse(String[] args) {
            Options options = new Options();
            for (String arg : args) {
                String[] pair = arg.replaceFirst("^--", "").split("=", 2);
                String value = pair.length > 1 ? pair[1] : "true";
                switch (pair[0]) {
                    case "visitors": options.visitors = Integer.parseInt(value); break;
                    case "tabs": options.tabsPerVisitor = Integer.parseInt(value); break;
                    case "active": options.activeShare = Double.parseDouble(value); break;
                    case "duration": options.duration = duration(value); break;
                    case "fast-interval": options.fastInterval = duration(value); break;
                    case "poll-interval": options.pollInterval = duration(value); break;
                    case "fast-window": options.fastWindow = duration(value); break;
                    case "agent-every": options.agentEvery = duration(value); break;
                    case "server-heap": options.serverHeap = value; break;
                    case "chaos": options.chaos = Boolean.parseBoolean(value); break;
                    case "signals": options.signals = Boolean.parseBoolean(value); break;
                    case "cpu-hog": options.cpuHog = Integer.parseInt(value.equals("true") ? "1" : value); break;
                    case "seed": options.seed = Long.parseLong(value); break;
                    case "upstream": options.upstreams = UpstreamKind.parse(value); break;
                    case "quiet": options.quiet = duration(value); break;
                    case "nodes": options.nodes = Integer.parseInt(value); break;
                    default: throw new IllegalArgumentException("unknown option --" + pair[0]
                            + "; options: --visitors --tabs --active --duration --fast-interval --poll-interval --fast-window"
                            + " --agent-every --server-heap --chaos --signals --cpu-hog --seed --upstream=v2|v3|both --quiet --nodes");
                }
            }
            return options;
        }

        private static Duration duration(String text) {
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
        }
    }

    static long number(Object value) {
        return ((BigDecimal) value).longValue();
    }
}
