package io.parley.relay.ws;

import io.parley.limits.Refusals;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts connections that cost a socket and give nothing back: one that has not said hello within
 * {@code hello-timeout}, and one that has sent no whole frame within the idle timeout. The second
 * also bounds how long a frame may take to arrive: the container's own idle timeout starts again
 * with every byte, so a frame trickled a byte at a time would never end it. Tabs ping well
 * within the idle timeout.
 */
final class ConnectionDeadlines {

    /** A connection as the deadlines see it. */
    interface Watched {
        /** When it opened, in milliseconds. */
        long openedAt();

        /** When its last whole frame arrived, in milliseconds; {@link #openedAt()} until one has. */
        long lastFrameAt();

        boolean helloSaid();

        /** Closes it, for this reason. */
        void cut(Refusals.Reason why);
    }

    private final long helloTimeout;
    private final long idleTimeout;
    private final Set<Watched> open = ConcurrentHashMap.newKeySet();

    ConnectionDeadlines(Duration helloTimeout, Duration idleTimeout) {
        this.helloTimeout = helloTimeout.toMillis();
        this.idleTimeout = idleTimeout.toMillis();
    }

    void opened(Watched connection) {
        open.add(connection);
    }

    void closed(Watched connection) {
        open.remove(connection);
    }

    /** Connections watched now. */
    int size() {
        return open.size();
    }

    /** Cuts every connection past a deadline at {@code now} (milliseconds); each is cut once. */
    void check(long now) {
        for (Watched connection : open) {
            Refusals.Reason why = null;
            if (!connection.helloSaid() && now - connection.openedAt() >= helloTimeout) {
                why = Refusals.Reason.HELLO_TIMEOUT;
            } else if (now - connection.lastFrameAt() >= idleTimeout) {
                why = Refusals.Reason.IDLE;
            }
            if (why != null && open.remove(connection)) {
                connection.cut(why);
            }
        }
    }

    /** How often to check: often enough that a deadline is kept within a quarter of the shorter one. */
    Duration checkInterval() {
        return Duration.ofMillis(Math.max(50, Math.min(1000, Math.min(helloTimeout, idleTimeout) / 4)));
    }
}
