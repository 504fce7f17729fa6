package io.parley.relay;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes conversations to the store when they changed. Called under the conversation's lock at
 * the end of each change, so what is stored is always one consistent moment of it.
 */
final class ConversationPersistence {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPersistence.class);

    private final ConversationStore store;

    ConversationPersistence(ConversationStore store) {
        this.store = store;
    }

    /** Saves the conversation if it changed; a failure is logged and retried with the next change. */
    void save(Conversation c) {
        if (!c.dirty || c.removed || !store.keeps()) {
            return;
        }
        try {
            store.save(ConversationRecords.of(c));
            c.dirty = false;
        } catch (RuntimeException e) {
            // The chat goes on from memory; the next change tries again.
            LOG.error("Conversation {} could not be saved: {}", c.logId(), e.toString());
        }
    }

    void delete(Conversation c) {
        try {
            store.delete(c.key());
        } catch (RuntimeException e) {
            LOG.error("Conversation {} could not be deleted from the store: {}", c.logId(), e.toString());
        }
    }
}
