package io.parley.settings;

import java.time.Duration;

/** Formats durations the way settings are written, so messages and docs read alike. */
public final class Durations {

    private Durations() {
    }

    /** {@code 1500ms}, {@code 10s}, {@code 5m} or {@code 1h}: the largest unit that is exact. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
