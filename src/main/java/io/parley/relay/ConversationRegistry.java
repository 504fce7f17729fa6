package io.parley.relay;

import java.util.Collection;
import java.util.Optional;

/**
 * Where conversations are kept, by visitor token. The relay depends only on this interface, so
 * that a persistent or distributed registry can replace the in-memory one.
 */
public interface ConversationRegistry {

    Optional<Conversation> find(String token);

    /** A new conversation with a fresh token and upstream visitor id. */
    Conversation create();

    void remove(Conversation conversation);

    /** Every conversation held, for housekeeping. */
    Collection<Conversation> all();

    int size();
}
