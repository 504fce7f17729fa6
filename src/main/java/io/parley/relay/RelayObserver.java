package io.parley.relay;

import java.time.Duration;

/** What the relay reports as it works, for metrics. Called on relay threads: keep it short. */
public interface RelayObserver {

    RelayObserver NONE = new RelayObserver() {
    };

    /**
     * A request was refused by a limit: {@code chat_starts_per_visitor}, {@code chat_starts_per_ip},
     * {@code messages_per_visitor} or {@code connections_per_ip}.
     */
    default void rateLimited(String limit) {
    }

    /**
     * A connection or request was refused or cut before it cost anything, for the reason
     * labelled so (see {@code io.parley.limits.Refusals.Reason}).
     */
    default void refused(String reason) {
    }

    /**
     * An agent's message reached the visitor's tabs this long after the upstream stamped it. The
     * upstream stamps whole seconds, so this may read up to a second long.
     */
    default void agentMessageRelayed(Duration latency) {
    }
}
