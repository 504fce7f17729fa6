package io.parley.limits;

import io.parley.logs.QuietLog;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections and requests refused before they cost anything, which anyone can cause at will:
 * each is counted (the metric {@code parley_refused_total{reason}}) and logged at most once a
 * minute per reason, with how many were left out.
 */
public final class Refusals {

    private static final Logger LOG = LoggerFactory.getLogger(Refusals.class);

    /** Why something was refused; the metric's {@code reason} is the name in lower case. */
    public enum Reason {
        /** A WebSocket handshake from a page of a site that may not use Parley. */
        ORIGIN("Refused a WebSocket handshake from a page of another site"),
        /** A request in demo mode naming a host that is not this machine's nor an allowed site's. */
        HOST("Refused a request for a host name that is neither local nor an allowed site's (demo mode)"),
        /** A connection over the {@code tabs-per-ip} open at once from one address. */
        TABS_PER_IP("Refused a connection: too many open at once from one address"),
        /** A new conversation while the node holds {@code max-conversations}. */
        BUSY("Refused a new conversation: this node holds its maximum"),
        /** A connection that did not say hello in time. */
        HELLO_TIMEOUT("Closed a connection that did not say hello in time"),
        /** A connection that sent no whole frame for too long: silent, or trickling bytes. */
        IDLE("Closed a connection that sent no whole frame for too long"),
        /** A tab that did not read what it was sent. */
        TOO_SLOW("Disconnected a tab that fell too far behind");

        private final String line;

        Reason(String line) {
            this.line = line;
        }

        /** The metric's tag value. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Consumer<String> counter;
    private final QuietLog log;

    /**
     * @param counter told the {@link Reason#label()} of each refusal
     * @param clock   the time in milliseconds
     */
    public Refusals(Consumer<String> counter, LongSupplier clock) {
        this.counter = counter;
        this.log = QuietLog.everyMinute(LOG, clock);
    }

    public void refused(Reason reason) {
        counter.accept(reason.label());
        log.info(reason.label(), reason.line);
    }

    /** Writes the counts of refusals left out of the log once their minute is over. */
    /** Writes what was left out, whatever its minute: for a node that stops. */
    public void flushAll() {
        log.flushAll();
    }

    public void flush() {
        log.flush();
    }

    /** For a refusal by a rate limit, counted as such elsewhere: only the quiet line. */
    void limited(String limit, String line) {
        log.info(limit, line);
    }
}
