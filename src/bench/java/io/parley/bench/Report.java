package io.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's report: {@code report.md} with each figure against its target, one column per
 * upstream measured, and a latency chart per upstream. A run of one upstream also writes
 * {@code report-v2.md} or {@code report-v3.md} alone.
 */
final class Report {

    private Report() {
    }

    /** One figure of one run: what was measured, the target, and whether it was met (null: no target). */
    record Cell(String measured, String target, Boolean met) {
    }

    static void write(Path out, Benchmark.Options options, List<Benchmark.Run> runs) throws IOException {
        List<Map<String, Cell>> tables = new ArrayList<>();
        for (Benchmark.Run run : runs) {
            Map<String, Cell> rows = rows(run.kind(), options, run.figures(), run.tally());
            tables.add(rows);
            StringBuilder one = new StringBuilder("# Parley benchmark, upstream " + run.kind().label() + "\n\n")
                    .append(header(options)).append("| figure | measured | target | met |\n|---|---|---|---|\n");
            rows.forEach((figure, cell) -> one.append("| ").append(figure).append(" | ").append(cell.measured())
                    .append(" | ").append(cell.target()).append(" | ")
                    .append(cell.met() == null ? "" : cell.met() ? "yes" : "**no**").append(" |\n"));
            chaos(one, run);
            one.append("\nAgent-to-browser latency: ![latency](latency-").append(run.kind().label()).append(".svg)\n");
            Files.writeString(out.resolve("report-" + run.kind().label() + ".md"), one);
            Files.writeString(out.resolve("latency-" + run.kind().label() + ".svg"),
                    histogram(run.tally().allLatencies(), run.kind().label()));
        }
        StringBuilder md = new StringBuilder("# Parley benchmark\n\n").append(header(options));
        md.append("| figure |");
        runs.forEach(run -> md.append(' ').append(run.kind().label()).append(" |"));
        md.append(" target |\n|---|");
        runs.forEach(run -> md.append("---|"));
        md.append("---|\n");
        for (String figure : merged(tables)) {
            md.append("| ").append(figure).append(" |");
            List<String> targets = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                Cell cell = tables.get(i).get(figure);
                md.append(' ').append(cell == null ? "—" : cell.measured() + (cell.met() == null ? ""
                        : cell.met() ? " (met)" : " (**not met**)")).append(" |");
                if (cell != null && !cell.target().isEmpty()) {
                    targets.add(runs.get(i).kind().label() + ": " + cell.target());
                }
            }
            boolean same = targets.size() == runs.size() && targets.stream()
                    .map(target -> target.substring(target.indexOf(": ") + 2)).distinct().count() == 1;
            md.append(' ').append(same ? targets.get(0).substring(targets.get(0).indexOf(": ") + 2)
                    : String.join("; ", targets)).append(" |\n");
        }
        for (Benchmark.Run run : runs) {
            chaos(md, run);
        }
        md.append('\n');
        runs.forEach(run -> md.append("Agent-to-browser latency, ").append(run.kind().label()).append(": ![latency](latency-")
                .append(run.kind().label()).append(".svg)\n\n"));
        Files.writeString(out.resolve("report.md"), md);
        System.out.println();
        System.out.print(md);
        System.out.println("\nReport: " + out.resolve("report.md").toAbsolutePath());
    }

    private static String header(Benchmark.Options options) {
        return String.format(Locale.ROOT, "%d visitors x %d tabs, %.0f%% of chats active, steady phase %ds, "
                + "quiet phase %ds, v2 poll intervals: fast %d ms, normal %d ms%s. Java %s, %d cores.%n%n", options.visitors,
                options.tabsPerVisitor, options.activeShare * 100, options.duration.toSeconds(), options.quiet.toSeconds(),
                options.fastInterval.toMillis(), options.pollInterval.toMillis(), (options.chaos ? ", with chaos" : "")
                        + (options.cpuHog > 0 ? ", " + options.cpuHog + " core(s) kept busy by another process" : ""),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    }

    private static void chaos(StringBuilder md, Benchmark.Run run) {
        if (!run.faults().isEmpty()) {
            md.append("\n## Chaos, ").append(run.kind().label()).append("\n\n");
            run.faults().forEach(line -> md.append("- ").append(line).append('\n'));
        }
    }

    /** Every run's figures in one order: each figure after the one it follows in its own run. */
    private static List<String> merged(List<Map<String, Cell>> tables) {
        List<String> order = new ArrayList<>();
        for (Map<String, Cell> table : tables) {
            int at = 0;
            for (String figure : table.keySet()) {
                int found = order.indexOf(figure);
                if (found >= 0) {
                    at = found + 1;
                } else {
                    order.add(at++, figure);
                }
            }
        }
        return order;
    }

    private static Map<String, Cell> rows(UpstreamKind kind, Benchmark.Options options, Map<String, Object> f, Tally tally) {
        boolean v3 = kind == UpstreamKind.V3;
        Map<String, Cell> rows = new LinkedHashMap<>();
        List<Long> fast = tally.latencies(true);
        List<Long> normal = tally.latencies(false);
        // v2 is bounded by its polls; v3 is pushed, and a message should reach the tab at once.
        long fastLimit = v3 ? 100 : options.fastInterval.toMillis() + 100;
        long normalLimit = v3 ? 100 : options.pollInterval.toMillis() + 100;
        long heap = (long) f.get("heap_per_tab");
        long echo = (long) f.get("echo_heap_per_tab");
        boolean full = (int) f.get("tabs") >= 10_000;
        rows.put("tabs held", new Cell(String.valueOf(f.get("tabs")), ">= 10,000 (full run)",
                full ? Boolean.TRUE : null));
        rows.put("handshakes per second", new Cell(String.valueOf(f.get("handshakes_per_s")), "", null));
        rows.put("heap per tab after GC (Parley, all state included)", new Cell(bytes(heap),
                full ? "<= 24 KB" : "<= 24 KB at 10,000 tabs (fixed costs weigh on small runs)",
                full ? heap <= 24 * 1024 : null));
        rows.put("heap per tab after GC (bare Jetty echo endpoint)", new Cell(bytes(echo), "baseline", null));
        rows.put("Parley / bare echo", new Cell(String.format(Locale.ROOT, "%.2f", heap / (double) Math.max(1, echo)),
                "", null));
        rows.put("heap per chat after GC (chats started less tabs alone: conversation, upstream chat; v3: its RTM"
                + " socket)", new Cell(bytes((long) f.get("heap_per_chat")), "", null));
        if (v3) {
            long perSocket = (long) f.get("heap_per_socket");
            rows.put("heap per upstream RTM socket after GC (all logged in, less all dropped and kept down)",
                    new Cell(perSocket < 0 ? "not measured" : bytes(perSocket) + " (" + f.get("sockets_measured")
                            + " sockets)", "", null));
        }
        double cpu = (double) f.get("cpu_share");
        rows.put("server CPU, share of the machine", new Cell(percent(cpu), "<= 50% with 1,000 active chats", cpu <= 0.5));
        double quietCost = (double) f.get("billed_quiet_per_chat_hour");
        rows.put("billed upstream requests per quiet chat-hour (quiet phase: nobody writes)",
                new Cell(decimal(quietCost), v3 ? "~0 (events come over RTM)" : "", v3 ? quietCost < 1 : null));
        rows.put("billed upstream requests per active chat-hour (steady phase)",
                new Cell(decimal((double) f.get("billed_active_per_chat_hour")) + " (of which visitor messages "
                        + decimal((double) f.get("sends_per_active_chat_hour")) + ")", "", null));
        if (v3) {
            double signals = (double) f.get("signals_per_active_chat_per_2s");
            rows.put("typing and seen: upstream calls (send_sneak_peek, mark_events_as_seen) per active chat per 2 s, "
                    + "steady phase; the tabs send a draft per word and a seen mark per agent message",
                    new Cell(decimal(signals) + " (" + f.get("signal_calls") + " calls)", "<= 1", signals <= 1));
        }
        rows.put("upstream calls in the quiet phase", new Cell(String.valueOf(f.get("quiet_calls")), "", null));
        rows.put("upstream calls in the steady phase", new Cell(String.valueOf(f.get("steady_calls")), "", null));
        if (!v3) {
            double quiet = (double) f.get("polls_per_min_quiet");
            rows.put("upstream polls per quiet chat per minute (average)", new Cell(decimal(quiet), "<= 8", quiet <= 8));
            rows.put("upstream polls per quiet chat per minute (busiest)",
                    new Cell(decimal((double) f.get("polls_per_min_quiet_max")),
                            "one stream: " + decimal((double) f.get("one_stream_polls_per_min")), null));
            rows.put("upstream polls per active chat per minute", new Cell(decimal((double) f.get("polls_per_min_active")),
                    "", null));
            long gap = (long) f.get("longest_poll_gap_ms");
            rows.put("longest gap between polls of a live chat (as the upstream received them)", new Cell(gap + " ms",
                    "<= 10,000 ms", gap <= 10_000));
            long parleyGaps = (long) f.get("parley_gaps_over_10s");
            rows.put("polls sent more than 10 s after the chat's last one (as Parley sent them); longest, last 2 min"
                    + f.get("parley_metrics_since"), new Cell(parleyGaps + "; " + f.get("parley_gap_max_ms") + " ms", "0",
                    parleyGaps == 0));
            rows.put("polls started more than 1 s after due (scheduler delay and wait for room), of all; longest"
                    + f.get("parley_metrics_since"), new Cell(f.get("parley_polls_late_over_1s") + " of "
                    + f.get("parley_polls") + "; " + f.get("parley_late_max_ms") + " ms", "", null));
            rows.put("polls that never left (no connection in time: Parley's side) / sent but unanswered in time (the way "
                    + "or the upstream)", new Cell(f.get("parley_polls_not_sent") + " / " + f.get("parley_polls_timed_out"),
                    "", null));
        } else {
            int sockets = (int) f.get("sockets_after_start");
            rows.put("RTM sockets logged in once the chats started / fewest in the steady phase / at its end (upstream's"
                    + " count; Parley's gauge, -1 when it gives none)",
                    new Cell(sockets + " / " + f.get("sockets_fewest_upstream") + " / " + f.get("sockets_at_end_upstream")
                            + " (Parley: " + f.get("sockets_fewest") + " fewest, " + f.get("sockets_at_end") + " at the end)",
                            "one per chat: " + options.visitors, sockets == options.visitors));
            int fallback = (int) f.get("fallback_most");
            rows.put("chats read through the Web API for want of a socket (fallback), most at once (Parley's gauge)",
                    new Cell(fallback < 0 ? "no gauge" : String.valueOf(fallback), options.chaos ? "" : "0",
                            options.chaos || fallback < 0 ? null : fallback == 0));
            rows.put("RTM logins in the steady phase (reconnects, kill and restart included) / customer tokens minted",
                    new Cell(f.get("reconnects") + " / " + f.get("token_mints"), options.chaos ? "" : "0 / 0", null));
        }
        rows.put("agent-to-browser p50 / p99 / max, quiet chats", new Cell(triple(normal), "p99 <= " + normalLimit + " ms",
                normal.isEmpty() ? null : Tally.percentile(normal, 0.99) <= normalLimit));
        rows.put("agent-to-browser p50 / p99 / max, active chats (v2: in the fast window)", new Cell(triple(fast),
                "p99 <= " + fastLimit + " ms", fast.isEmpty() ? null : Tally.percentile(fast, 0.99) <= fastLimit));
        rows.put("visitor-to-upstream p50 / p99", new Cell(f.get("visitor_p50_ms") + " / " + f.get("visitor_p99_ms")
                + " ms (" + f.get("visitor_messages") + " messages)", "", null));
        long bad = tally.lost.sum() + tally.duplicated.sum() + tally.reordered.sum();
        rows.put("lost / duplicated / reordered", new Cell(tally.lost.sum() + " / " + tally.duplicated.sum() + " / "
                + tally.reordered.sum(), "0 / 0 / 0", bad == 0));
        rows.put("where losses were found", new Cell(String.valueOf(f.get("losses")), "", null));
        rows.put("where anything lost, duplicated or reordered was found", new Cell(tally.where(), "{}", null));
        rows.put("bench chats ended upstream (by), agent messages refused by the upstream",
                new Cell(f.get("chats_ended") + ", " + f.get("agent_refused"), "none, 0", null));
        if (!v3) {
            rows.put("orphaned upstream chats (a start that landed but whose answer was lost; timed out upstream)",
                    new Cell(String.valueOf(f.get("orphaned_chats")), "counted", null));
        } else {
            long twice = (long) f.get("chats_started_twice");
            rows.put("chats started twice for a visitor (a start that landed but whose answer was lost is found by its"
                    + " custom_id)", new Cell(String.valueOf(twice), "0", twice == 0));
        }
        rows.put("snapshots on resume, error frames, tabs closed by the server", new Cell(tally.snapshots.sum() + ", "
                + tally.errors.sum() + ", " + f.get("tabs_closed"), "", null));
        return rows;
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

    /**
     * A histogram of latencies as a small standalone SVG: 100 ms buckets, or 5 ms ones when the
     * p99 is under 200 ms (pushed messages).
     */
    static String histogram(List<Long> sorted, String label) {
        int buckets = 40;
        long width = Tally.percentile(sorted, 0.99) < 200 ? 5 : 100;
        long[] counts = new long[buckets];
        for (long latency : sorted) {
            counts[(int) Math.min(buckets - 1, Math.max(0, latency / width))]++;
        }
        long max = 1;
        for (long count : counts) {
            max = Math.max(max, count);
        }
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"640\" height=\"260\" "
                + "font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"640\" height=\"260\" fill=\"#fff\"/>\n"
                + "<text x=\"320\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">Agent-to-browser latency, " + label + " ("
                + sorted.size() + " deliveries, " + width + " ms buckets; last bucket " + (buckets - 1) * width
                + " ms and over)</text>\n");
        for (int i = 0; i < buckets; i++) {
            double height = 200.0 * counts[i] / max;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"13\" height=\"%.1f\" fill=\"#1f5fd1\">"
                    + "<title>%d-%d ms: %d</title></rect>%n", 40 + i * 15, 230 - height, height, i * width,
                    i * width + width - 1, counts[i]));
            if (i % 5 == 0) {
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"246\">%d ms</text>%n", 40 + i * 15, i * width));
            }
        }
        svg.append("<line x1=\"38\" y1=\"230\" x2=\"640\" y2=\"230\" stroke=\"#333\"/>\n<text x=\"4\" y=\"36\">")
                .append(max).append("</text>\n</svg>\n");
        return svg.toString();
    }
}
