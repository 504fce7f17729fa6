package io.parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * {@code bench/run --nodes=3}: the same load on one node, then on several sharing their
 * conversations, in one run on this machine: tabs spread over the nodes (a visitor's tabs on
 * different ones), heap and CPU per node, latency, and with {@code --chaos} one node killed
 * ({@code SIGKILL}) half-way, its tabs resumed on the others. Writes target/bench/cluster.md.
 */
final class ClusterBenchmark {

    private final Benchmark.Options options;
    private final Path out;
    private final WebSocketClient client;
    private final UpstreamKind kind;

    ClusterBenchmark(Benchmark.Options options, Path out, WebSocketClient client) {
        this.options = options;
        this.out = out;
        this.client = client;
        // v3 unless only v2 was asked for: the cluster drives either the same way
        this.kind = options.upstreams.contains(UpstreamKind.V3) ? UpstreamKind.V3 : UpstreamKind.V2;
    }

    void run() throws Exception {
        Map<String, Object> alone = measure(1);
        Map<String, Object> shared = measure(options.nodes);
        StringBuilder report = new StringBuilder("# Parley benchmark, one node against " + options.nodes
                + " sharing their conversations\n\n");
        report.append(String.format("%d visitors x %d tabs, %.0f%% active, %s steady phase, upstream %s%s, on %d cores "
                + "shared by every JVM.%n%n", options.visitors, options.tabsPerVisitor, options.activeShare * 100,
                options.duration, kind.label(), options.chaos ? ", one node killed half-way" : "",
                Runtime.getRuntime().availableProcessors()));
        report.append("| | 1 node | ").append(options.nodes).append(" nodes |\n|---|---|---|\n");
        for (String row : shared.keySet()) {
            report.append("| ").append(row).append(" | ").append(alone.getOrDefault(row, "")).append(" | ")
                    .append(shared.get(row)).append(" |\n");
        }
        Files.writeString(out.resolve("cluster.md"), report);
        System.out.printf("%n%s%nWritten to %s%n", report, out.resolve("cluster.md"));
    }

    private Map<String, Object> measure(int count) throws Exception {
        Map<String, Object> rows = new LinkedHashMap<>();
        Tally tally = new Tally();
        tally.signals = options.signals;
        System.out.printf("%n--- %d node(s), upstream %s ---%n", count, kind.label());
        List<ServerProcess> nodes = new ArrayList<>();
        try (ServerProcess upstream = ServerProcess.start("2g", "parley", List.of("emulator-demo-agent=false",
                "emulator-chat-timeout=30s", "data-dir=none"), out.resolve("cluster-upstream-" + count + ".log"))) {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                ports.add(freePort());
            }
            StringBuilder members = new StringBuilder();
            ports.forEach(port -> members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port));
            String heap = count == 1 ? options.serverHeap : "1g";
            for (int i = 0; i < count; i++) {
                List<String> settings = new ArrayList<>(List.of(
                        "max-conversations=" + (options.visitors + 100), "upstream-connections=256",
                        "connections-per-ip=1000000/1m", "tabs-per-ip=1000000", "chat-starts-per-ip=1000000/1h",
                        "chat-starts-per-visitor=1000/1h", "messages-per-visitor=100000/1m",
                        "data-dir=" + dataDir(count, i)));
                if (count > 1) {
                    settings.add("cluster-members=" + members);
                    settings.add("cluster-port=" + ports.get(i));
                    settings.add("cluster-interface=127.0.0.1");
                }
                settings.addAll(kind.accountSettings(upstream.uri("/emulator")));
                nodes.add(ServerProcess.start(heap, "parley", settings, out.resolve("cluster-node-" + count + "-" + i + ".log")));
            }
            for (ServerProcess node : nodes) {
                awaitMembers(node, count);
            }
            long[] baseline = heaps(nodes);
            List<URI> sockets = new ArrayList<>();
            nodes.forEach(node -> sockets.add(URI.create("ws://127.0.0.1:" + node.port + "/ws")));
            Load load = new Load(client, sockets, tally, options);
            long started = System.nanoTime();
            load.connectAll();
            rows.put("handshakes per second", (long) (load.openTabs() / ((System.nanoTime() - started) / 1e9)));
            long[] tabsOnly = heaps(nodes);
            load.startChats();
            Agents agents = new Agents(upstream, load, options, tally);
            agents.mapChats();
            Thread.sleep(5000); // the benchmark's own pacing: the chats log in and read their threads
            long[] withChats = heaps(nodes);
            int tabs = options.visitors * options.tabsPerVisitor;
            rows.put("tabs attached, per node", perNode(nodes, node -> ready(node).get("tabs")));
            rows.put("conversations driven, per node", perNode(nodes, node -> ready(node).get("conversations")));
            rows.put("heap per tab (tabs only), per node", perNodeDelta(tabsOnly, baseline, tabs / count));
            rows.put("heap per conversation (with its backup), per node", perNodeDelta(withChats, tabsOnly,
                    options.visitors / count));
            long total = 0;
            for (int i = 0; i < count; i++) {
                total += withChats[i] - baseline[i];
            }
            rows.put("heap, all nodes, per tab (everything)", total / tabs);

            long[] cpuBefore = cpus(nodes);
            long window = System.nanoTime();
            Thread killer = null;
            long[] killedAt = {0};
            String[] failover = {"not asked for (--chaos)"};
            if (options.chaos && count > 1) {
                int victim = count - 1;
                killer = new Thread(() -> failover[0] = killHalfWay(nodes.get(victim), victim, load, killedAt),
                        "bench-node-killer");
                killer.start();
            }
            agents.run(options.duration, null);
            if (killer != null) {
                killer.join(TimeUnit.MINUTES.toMillis(3));
            }
            double seconds = (System.nanoTime() - window) / 1e9;
            long[] cpuAfter = cpus(nodes);
            StringBuilder cpu = new StringBuilder();
            for (int i = 0; i < count; i++) {
                cpu.append(i == 0 ? "" : " / ").append(cpuAfter[i] < 0 ? "killed" : String.format("%.0f%%",
                        100 * (cpuAfter[i] - cpuBefore[i]) / 1e9 / seconds / Runtime.getRuntime().availableProcessors()));
            }
            rows.put("CPU of the machine, per node (steady phase)", cpu.toString());
            agents.settle();
            rows.put("node killed half-way", failover[0]);
            if (killedAt[0] > 0) {
                rows.put("first agent message delivered after the kill", tally.resumedAfter(killedAt[0]) + " ms");
            }
            List<Long> latencies = tally.allLatencies();
            rows.put("agent to tab latency p50 / p99 / max", Tally.percentile(latencies, 0.5) + " / "
                    + Tally.percentile(latencies, 0.99) + " / " + Tally.percentile(latencies, 1.0) + " ms");
            rows.put("lost / duplicated / reordered", tally.lost.sum() + " / " + tally.duplicated.sum() + " / "
                    + tally.reordered.sum() + (tally.where().equals("{}") ? "" : " " + tally.where()));
            load.closeAll();
        } finally {
            for (ServerProcess node : nodes) {
                node.close();
            }
        }
        System.out.println(rows);
        return rows;
    }

    /** Half-way through the steady phase, kills a node and resumes its tabs on the others; says how it went. */
    private String killHalfWay(ServerProcess node, int index, Load load, long[] killedAt) {
        try {
            Thread.sleep(options.duration.toMillis() / 2); // the benchmark's own pacing
            killedAt[0] = System.currentTimeMillis();
            long killed = System.nanoTime();
            node.kill();
            load.nodeDown(index, true);
            int resumed = 0;
            long lastResumed = killed;
            // Tabs on the dead node close at once; tabs forwarded to it are closed by their node
            // when it sees the conversation driven elsewhere: resume whatever closed, for a while.
            long until = killed + TimeUnit.SECONDS.toNanos(20);
            int refused = 0;
            while (System.nanoTime() < until) {
                try {
                    int now = load.resumeClosed();
                    if (now > 0) {
                        resumed += now;
                        lastResumed = System.nanoTime();
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    refused++; // told to come back (the conversation is being taken over): tried again below
                }
                Thread.sleep(250); // the benchmark's own pacing, as a browser backs off
            }
            if (load.closedTabs() > 0) {
                return "SIGKILL; " + load.closedTabs() + " tabs could not resume within 20 s";
            }
            return String.format("SIGKILL; %d tabs resumed on the others (%d rounds told some to come back), the last"
                    + " %d ms after the kill", resumed, refused, (lastResumed - killed) / 1_000_000);
        } catch (Exception e) {
            return "failed: " + e;
        }
    }

    private static void awaitMembers(ServerProcess node, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Map<String, Object> ready = ready(node);
            Object cluster = ready.get("cluster");
            if (count == 1 || (cluster instanceof Map<?, ?> view && ((Number) view.get("members")).intValue() == count
                    && Boolean.TRUE.equals(view.get("majority")))) {
                return;
            }
            Thread.sleep(200); // polling the node's own view, bounded
        }
        throw new IllegalStateException("the nodes did not form a cluster of " + count);
    }

    private static Map<String, Object> ready(ServerProcess node) throws Exception {
        return ServerProcess.json(node.get("/healthz/ready"));
    }

    private interface Figure {
        Object of(ServerProcess node) throws Exception;
    }

    private static String perNode(List<ServerProcess> nodes, Figure figure) throws Exception {
        StringBuilder text = new StringBuilder();
        for (ServerProcess node : nodes) {
            text.append(text.length() == 0 ? "" : " / ").append(figure.of(node));
        }
        return text.toString();
    }

    private static String perNodeDelta(long[] after, long[] before, int per) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < after.length; i++) {
            text.append(i == 0 ? "" : " / ").append(String.format("%,d B", (after[i] - before[i]) / Math.max(1, per)));
        }
        return text.toString();
    }

    private static long[] heaps(List<ServerProcess> nodes) throws Exception {
        long[] heaps = new long[nodes.size()];
        for (int i = 0; i < heaps.length; i++) {
            heaps[i] = nodes.get(i).stats()[0];
        }
        return heaps;
    }

    private static long[] cpus(List<ServerProcess> nodes) throws Exception {
        long[] cpus = new long[nodes.size()];
        for (int i = 0; i < cpus.length; i++) {
            try {
                cpus[i] = nodes.get(i).stats()[1];
            } catch (IOException e) {
                cpus[i] = -1; // killed
            }
        }
        return cpus;
    }

    private String dataDir(int count, int node) throws IOException {
        Path dir = out.resolve("cluster-data-" + count + "-" + node);
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir.toAbsolutePath().toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
