package io.parley.relay;

import java.util.List;

/**
 * Where conversations are written so that they survive a restart. {@link #save} returns once the
 * conversation is written where a crash of this process cannot lose it: the relay saves a
 * visitor's message before it tells the tab the message is accepted.
 */
public interface ConversationStore extends AutoCloseable {

    /** Every conversation stored; records that cannot be read are set aside, not returned. */
    List<StoredConversation> loadAll();

    /** Writes the conversation; throws if it could not be written, which the relay must know. */
    void save(StoredConversation conversation);

    /** Writes these conversations and deletes those keys together, all or none: one commit for many changes. */
    default void write(List<StoredConversation> saved, List<String> deleted) {
        saved.forEach(this::save);
        deleted.forEach(this::delete);
    }

    void delete(String key);

    /**
     * Thrown by {@link #write} when some of its conversations are driven by another node now (a
     * store shared by several nodes fences each write with its writer's claim): those were not
     * written, and this node is to let them go; everything else was written.
     */
    final class DrivenElsewhere extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient java.util.Set<String> keys;

        public DrivenElsewhere(java.util.Set<String> keys) {
            super(keys.size() + " conversations are driven by another node now", null, false, false);
            this.keys = java.util.Set.copyOf(keys);
        }

        /** The keys of the conversations that were not written. */
        public java.util.Set<String> keys() {
            return keys;
        }
    }

    /** A small named value kept beside the conversations (e.g. a rotated upstream credential), or empty. */
    default java.util.Optional<String> value(String name) {
        return java.util.Optional.empty();
    }

    /** Keeps a small named value, written where a crash cannot lose it; throws if it could not be written. */
    default void putValue(String name, String value) {
        // not kept by stores that keep nothing
    }

    /** Moves a record that cannot be used out of the way, keeping it for inspection. */
    void setAside(String key);

    @Override
    void close();

    /** Where the conversations are kept, for the start-up line. */
    default String location() {
        return "memory only";
    }

    /**
     * Whether tabs are shown what could not be written while the store fails (the chat goes on
     * for them). Not when nodes share the store: there a failed write most likely means that this
     * node is cut off and another drives the conversation, which numbers its events anew.
     */
    default boolean showsUnwritten() {
        return true;
    }

    /** False for {@link #none()}, which spares the relay building records nobody keeps. */
    default boolean keeps() {
        return true;
    }

    /** No store: conversations live in memory only and are lost when the server stops. */
    static ConversationStore none() {
        return new ConversationStore() {
            @Override
            public boolean keeps() {
                return false;
            }

            @Override
            public List<StoredConversation> loadAll() {
                return List.of();
            }

            @Override
            public void save(StoredConversation conversation) {
                // kept in memory only
            }

            @Override
            public void delete(String key) {
                // nothing was written
            }

            @Override
            public void setAside(String key) {
                // nothing was written
            }

            @Override
            public void close() {
                // nothing to close
            }
        };
    }
}
