package io.parley.relay;

import java.util.Collection;
import java.util.Optional;

/**
 * Where conversations are kept, by the hash of the visitor's token. The relay depends only on
 * this interface, so that a distributed registry can replace the in-memory one.
 */
public interface ConversationRegistry {

    /** The conversation of this token, if any. */
    Optional<Conversation> find(String token);

    /** Holds a conversation: one whose visitor started a chat, or one restored from a store. */
    void add(Conversation conversation);

    void remove(Conversation conversation);

    /** Every conversation held, for housekeeping. */
    Collection<Conversation> all();

    int size();

    /** The conversation with this key (see {@link VisitorTokens#key}), if held. */
    default Optional<Conversation> findByKey(String key) {
        return all().stream().filter(c -> c.key().equals(key)).findFirst();
    }

    /** Conversations held by every node sharing them: what {@code max-conversations} limits. */
    default int sizeEverywhere() {
        return size();
    }
}
