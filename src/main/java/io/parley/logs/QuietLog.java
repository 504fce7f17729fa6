package io.parley.logs;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Writes a line about something that anyone outside can make happen at will (a refused
 * connection, a refused start) at most once per period for each reason: the first at once, the
 * next one a period later with the count of those left out meanwhile; {@link #flush()} writes
 * that count once the period is over even if none comes. Counting each of them is for metrics.
 */
public final class QuietLog {

    /** The period of {@link #everyMinute}. */
    public static final Duration MINUTE = Duration.ofMinutes(1);

    private final Logger log;
    private final long periodMillis;
    private final LongSupplier clock;
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();

    /** {@code clock} gives the time in milliseconds. */
    public QuietLog(Logger log, Duration period, LongSupplier clock) {
        this.log = log;
        this.periodMillis = period.toMillis();
        this.clock = clock;
    }

    public static QuietLog everyMinute(Logger log, LongSupplier clock) {
        return new QuietLog(log, MINUTE, clock);
    }

    /** Writes {@code line} at INFO, unless a line of this reason was written within the period. */
    public void info(String reason, String line) {
        Tally tally = tallies.computeIfAbsent(reason, r -> new Tally());
        long now = clock.getAsLong();
        long leftOut;
        synchronized (tally) {
            if (tally.written && now - tally.lastWrittenAt < periodMillis) {
                tally.leftOut++;
                return;
            }
            leftOut = tally.leftOut;
            tally.written = true;
            tally.lastWrittenAt = now;
            tally.leftOut = 0;
            tally.line = line;
        }
        write(line, leftOut);
    }

    /** Writes the count of the lines left out of each reason whose period is over. */
    public void flush() {
        flush(false);
    }

    /** Writes the count of the lines left out of every reason, its period over or not: for a node that stops. */
    public void flushAll() {
        flush(true);
    }

    private void flush(boolean all) {
        long now = clock.getAsLong();
        for (Tally tally : tallies.values()) {
            long leftOut;
            String line;
            synchronized (tally) {
                if (tally.leftOut == 0 || (!all && now - tally.lastWrittenAt < periodMillis)) {
                    continue;
                }
                leftOut = tally.leftOut;
                line = tally.line;
                tally.lastWrittenAt = now;
                tally.leftOut = 0;
            }
            write(line, leftOut);
        }
    }

    private void write(String line, long leftOut) {
        if (leftOut == 0) {
            log.info("{}", line);
        } else {
            log.info("{} ({} more since the last such line)", line, leftOut);
        }
    }

    private static final class Tally {
        boolean written;
        long lastWrittenAt;
        long leftOut;
        String line;
    }
}
