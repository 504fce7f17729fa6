package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The benchmark's report: {@code report.md} with each figure against its target, and a latency chart. */
final class Report {

    private Report() {
    }

    static void write(Path out, Benchmark.Options options, Map<String, Object> f, Tally tally, List<String> faults)
            throws IOException {
        List<Long> fast = tally.latencies(true);
        List<Long> normal = tally.latencies(false);
        long fastLimit = options.fastInterval.toMillis() + 100;
        long normalLimit = options.pollInterval.toMillis() + 100;
        long heap = (long) f.get("heap_per_tab");
        long echo = (long) f.get("echo_heap_per_tab");
        StringBuilder md = new StringBuilder();
        md.append("# Parley benchmark\n\n");
        md.append(String.format(Locale.ROOT, "%d visitors x %d tabs, %.0f%% of chats active, steady phase %ds, "
                + "poll intervals: fast %d ms, normal %d ms%s. Java %s, %d cores.%n%n", options.visitors,
                options.tabsPerVisitor, options.activeShare * 100, options.duration.toSeconds(),
                options.fastInterval.toMillis(), options.pollInterval.toMillis(), (options.chaos ? ", with chaos" : "")
                        + (options.cpuHog > 0 ? ", " + options.cpuHog + " core(s) kept busy by another process" : ""),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        md.append("| figure | measured | target | met |\n|---|---|---|---|\n");
        row(md, "tabs held", f.get("tabs"), ">= 10,000 (full run)", (int) f.get("tabs") >= 10_000 ? Boolean.TRUE : null);
        row(md, "handshakes per second", f.get("handshakes_per_s"), "", null);
        boolean full = (int) f.get("tabs") >= 10_000;
        row(md, "heap per tab after GC (Parley, all state included)", bytes(heap),
                full ? "<= 24 KB" : "<= 24 KB at 10,000 tabs (fixed costs weigh on small runs)",
                full ? heap <= 24 * 1024 : null);
        row(md, "heap per tab after GC (bare Jetty echo endpoint)", bytes(echo), "baseline", null);
        row(md, "Parley / bare echo", String.format(Locale.ROOT, "%.2f", heap / (double) Math.max(1, echo)), "", null);
        double cpu = (double) f.get("cpu_share");
        row(md, "server CPU, share of the machine", percent(cpu), "<= 50% with 1,000 active chats", cpu <= 0.5);
        double quiet = (double) f.get("polls_per_min_quiet");
        row(md, "upstream polls per quiet chat per minute (average)", decimal(quiet), "<= 8", quiet <= 8);
        row(md, "upstream polls per quiet chat per minute (busiest)", decimal((double) f.get("polls_per_min_quiet_max")),
                "one stream: " + decimal((double) f.get("one_stream_polls_per_min")), null);
        row(md, "upstream polls per active chat per minute", decimal((double) f.get("polls_per_min_active")), "", null);
        long gap = (long) f.get("longest_poll_gap_ms");
        row(md, "longest gap between polls of a live chat (as the upstream received them)", gap + " ms",
                "<= 10,000 ms", gap <= 10_000);
        long parleyGaps = (long) f.get("parley_gaps_over_10s");
        row(md, "polls sent more than 10 s after the chat's last one (as Parley sent them); longest, last 2 min"
                + f.get("parley_metrics_since"),
                parleyGaps + "; " + f.get("parley_gap_max_ms") + " ms", "0", parleyGaps == 0);
        row(md, "polls started more than 1 s after due (scheduler delay and wait for room), of all; longest"
                + f.get("parley_metrics_since"),
                f.get("parley_polls_late_over_1s") + " of " + f.get("parley_polls") + "; " + f.get("parley_late_max_ms")
                        + " ms", "", null);
        row(md, "polls that never left (no connection in time: Parley's side) / sent but unanswered in time (the way "
                + "or the upstream)", f.get("parley_polls_not_sent") + " / " + f.get("parley_polls_timed_out"), "", null);
        row(md, "agent-to-browser p50 / p99 / max, quiet chats", triple(normal), "p99 <= " + normalLimit + " ms",
                normal.isEmpty() ? null : Tally.percentile(normal, 0.99) <= normalLimit);
        row(md, "agent-to-browser p50 / p99 / max, fast window", triple(fast), "p99 <= " + fastLimit + " ms",
                fast.isEmpty() ? null : Tally.percentile(fast, 0.99) <= fastLimit);
        row(md, "visitor-to-upstream p50 / p99", f.get("visitor_p50_ms") + " / " + f.get("visitor_p99_ms") + " ms ("
                + f.get("visitor_messages") + " messages)", "", null);
        long bad = tally.lost.sum() + tally.duplicated.sum() + tally.reordered.sum();
        row(md, "lost / duplicated / reordered", tally.lost.sum() + " / " + tally.duplicated.sum() + " / "
                + tally.reordered.sum(), "0 / 0 / 0", bad == 0);
        row(md, "where losses were found", f.get("losses"), "", null);
        row(md, "bench chats ended upstream (by), agent messages refused by the upstream",
                f.get("chats_ended") + ", " + f.get("agent_refused"), "none, 0", null);
        row(md, "orphaned upstream chats (a start that landed but whose answer was lost; timed out upstream)",
                f.get("orphaned_chats"), "counted", null);
        row(md, "snapshots on resume, error frames, tabs closed by the server", tally.snapshots.sum() + ", "
                + tally.errors.sum() + ", " + f.get("tabs_closed"), "", null);
        if (!faults.isEmpty()) {
            md.append("\n## Chaos\n\n");
            faults.forEach(line -> md.append("- ").append(line).append('\n'));
        }
        md.append("\nAgent-to-browser latency: ![latency](latency.svg)\n");
        Files.writeString(out.resolve("report.md"), md);
        Files.writeString(out.resolve("latency.svg"), histogram(tally.allLatencies()));
        System.out.println();
        System.out.print(md);
        System.out.println("\nReport: " + out.resolve("report.md").toAbsolutePath());
    }

    private static void row(StringBuilder md, String figure, Object measured, String target, Boolean met) {
        md.append("| ").append(figure).append(" | ").append(measured).append(" | ").append(target).append(" | ")
                .append(met == null ? "" : met ? "yes" : "**no**").append(" |\n");
    }

    private static String triple(List<Long> sorted) {
        if (sorted.isEmpty()) {
            return "no samples";
        }
        return Tally.percentile(sorted, 0.5) + " / " + Tally.percentile(sorted, 0.99) + " / "
                + sorted.get(sorted.size() - 1) + " ms (" + sorted.size() + " deliveries)";
    }

    private static String bytes(long bytes) {
        return String.format(Locale.ROOT, "%,d B (%.1f KB)", bytes, bytes / 1024.0);
    }

    private static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    private static String decimal(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** A histogram of latencies in 100 ms buckets, as a small standalone SVG. */
    static String histogram(List<Long> sorted) {
        int buckets = 40;
        long[] counts = new long[buckets];
        for (long latency : sorted) {
            counts[(int) Math.min(buckets - 1, Math.max(0, latency / 100))]++;
        }
        long max = 1;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"260\" "
                + "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"640\" height=\"260\" fill=\"#fff\"/>\n"
                + "<text x=\"320\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">Agent-to-browser latency ("
                + sorted.size() + " deliveries, 100 ms buckets; last bucket 3.9 s and over)</text>\n");
        for (int i = 0; i < buckets; i++) {
            double height = 200.0 * counts[i] / max;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"13\" height=\"%.1f\" fill=\"#1f5fd1\">"
                    + "<title>%d-%d ms: %d</title></rect>%n", 40 + i * 15, 230 - height, height, i * 100, i * 100 + 99,
                    counts[i]));
            if (i % 5 == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"246\">%.1fs</text>%n", 40 + i * 15, i / 10.0));
            }
        }
        svg.append("<line x1=\"38\" y1=\"230\" x2=\"640\" y2=\"230\" stroke=\"#333\"/>\n<text x=\"4\" y=\"36\">")
                .append(max).append("</text>\n</svg>\n");
        return svg.toString();
    }
}
