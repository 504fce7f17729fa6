package io.parley.bench;

import java.util.Locale;

/**
 * Parley's own view of its polls, read from its {@code /metrics} before and after the steady
 * phase: how many polls came more than 10 s after the chat's last one, as Parley sent them, and
 * how many started more than a second after they were due. Beside the emulator's view (when it
 * received each poll), this tells whether time was lost in Parley or on the way to the upstream.
 */
final class PollMetrics {

    final double gaps;
    final double gapsUnder10s;
    final double polls;
    final double lateUnder1s;
    final double gapMaxSeconds;
    final double lateMaxSeconds;
    final double notSent;
    final double timedOut;

    private PollMetrics(String metrics) {
        gaps = value(metrics, "parley_poll_gap_seconds_count", null);
        gapsUnder10s = value(metrics, "parley_poll_gap_seconds_bucket", "10.0");
        polls = value(metrics, "parley_poll_lateness_seconds_count", null);
        lateUnder1s = value(metrics, "parley_poll_lateness_seconds_bucket", "1.0");
        gapMaxSeconds = value(metrics, "parley_poll_gap_seconds_max", null);
        lateMaxSeconds = value(metrics, "parley_poll_lateness_seconds_max", null);
        notSent = pollOutcome(metrics, "not_sent");
        timedOut = pollOutcome(metrics, "timed_out");
    }

    /** Polls with this outcome, from {@code parley_upstream_calls_seconds_count{call="poll",outcome=...}}. */
    private static double pollOutcome(String metrics, String outcome) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith("parley_upstream_calls_seconds_count{") && line.contains("call=\"poll\"")
                    && line.contains("outcome=\"" + outcome + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    /** Polls that timed out waiting for a connection of Parley's own: time lost on Parley's side. */
    long notSentUntil(PollMetrics later) {
        return Math.round(later.notSent - base(later).notSent);
    }

    /** Polls sent that got no answer in time: time lost on the way or in the upstream. */
    long timedOutUntil(PollMetrics later) {
        return Math.round(later.timedOut - base(later).timedOut);
    }

    static PollMetrics of(ServerProcess parley) throws Exception {
        return new PollMetrics(parley.get("/metrics"));
    }

    /** Whether the server was restarted in between: its counters began again, so the later reading counts alone. */
    boolean restartedBefore(PollMetrics later) {
        return later.polls < polls;
    }

    private PollMetrics base(PollMetrics later) {
        return restartedBefore(later) ? new PollMetrics("") : this;
    }

    /** Gaps over 10 s between this reading and a later one. */
    long gapsOver10sUntil(PollMetrics later) {
        PollMetrics from = base(later);
        return Math.round((later.gaps - later.gapsUnder10s) - (from.gaps - from.gapsUnder10s));
    }

    /** Polls that started more than a second late between this reading and a later one. */
    long lateOver1sUntil(PollMetrics later) {
        PollMetrics from = base(later);
        return Math.round((later.polls - later.lateUnder1s) - (from.polls - from.lateUnder1s));
    }

    long pollsUntil(PollMetrics later) {
        return Math.round(later.polls - base(later).polls);
    }

    /** A sample's value in the Prometheus text format: by name, and by its {@code le} bucket if given. */
    private static double value(String metrics, String name, String le) {
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + (le == null ? "" : "{")) || line.startsWith("#")) {
                continue;
            }
            boolean plain = line.startsWith(name + " ") || line.startsWith(name + "{");
            if (!plain || (le != null && !line.contains("le=\"" + le + "\""))) {
                continue;
            }
            String number = line.substring(line.lastIndexOf(' ') + 1);
            return Double.parseDouble(number.toLowerCase(Locale.ROOT).replace("+inf", "Infinity"));
        }
        return 0;
    }
}
