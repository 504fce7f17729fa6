package io.parley.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes conversations to the store when they changed. Called under the conversation's lock at
 * the end of each change, so what is stored is always one consistent moment of it. While the
 * store cannot be written, it says so: readiness reports it, a visitor's message is not
 * acknowledged until it is written, and the failure is logged once a minute with a count, not
 * once per change.
 */
final class ConversationPersistence {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPersistence.class);
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final ConversationStore store;
    private final Supplier<Instant> clock;
    private final Object failureLock = new Object();
    private Instant failingSince; // guarded by failureLock
    private String lastFailure; // guarded by failureLock
    private Instant loggedAt; // guarded by failureLock
    private int unlogged; // guarded by failureLock

    ConversationPersistence(ConversationStore store, Supplier<Instant> clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Saves the conversation if it changed; true once what it holds is written (or nothing needs
     * to be). A failure is retried with the next change.
     */
    boolean save(Conversation c) {
        if (!c.dirty || c.removed || !store.keeps()) {
            return true;
        }
        try {
            store.save(ConversationRecords.of(c));
            c.dirty = false;
            recovered();
            return true;
        } catch (RuntimeException e) {
            failed(c, e);
            return false;
        }
    }

    void delete(Conversation c) {
        try {
            store.delete(c.key());
        } catch (RuntimeException e) {
            failed(c, e);
        }
    }

    /** Why conversations cannot be saved now, while they cannot. */
    Optional<String> failure() {
        synchronized (failureLock) {
            if (failingSince == null) {
                return Optional.empty();
            }
            return Optional.of("conversations cannot be saved (for " + Duration.between(failingSince, clock.get())
                    .toSeconds() + "s): " + lastFailure);
        }
    }

    private void failed(Conversation c, RuntimeException e) {
        Instant now = clock.get();
        synchronized (failureLock) {
            if (failingSince == null) {
                failingSince = now;
            }
            lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (loggedAt != null && Duration.between(loggedAt, now).compareTo(LOG_EVERY) < 0) {
                unlogged++;
                return;
            }
            // The chat goes on from memory; a visitor's message waits unacknowledged until it is written.
            LOG.error("Conversation {} could not be saved ({} more failures since the last line): {}", c.logId(),
                    unlogged, lastFailure);
            loggedAt = now;
            unlogged = 0;
        }
    }

    private void recovered() {
        synchronized (failureLock) {
            if (failingSince != null) {
                LOG.info("Conversations are saved again, after failing for {}s",
                        Duration.between(failingSince, clock.get()).toSeconds());
                failingSince = null;
                lastFailure = null;
                loggedAt = null;
                unlogged = 0;
            }
        }
    }
}
