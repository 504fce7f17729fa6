package io.parley.relay;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Conversations held in this node's memory, by token hash (see {@link VisitorTokens}). */
public final class InMemoryConversationRegistry implements ConversationRegistry {

    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    @Override
    public Optional<Conversation> find(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(conversations.get(VisitorTokens.key(token)));
    }

    @Override
    public void add(Conversation conversation) {
        conversations.put(conversation.key(), conversation);
    }

    @Override
    public void remove(Conversation conversation) {
        conversations.remove(conversation.key(), conversation);
    }

    @Override
    public Collection<Conversation> all() {
        return List.copyOf(conversations.values());
    }

    @Override
    public int size() {
        return conversations.size();
    }

    @Override
    public Optional<Conversation> findByKey(String key) {
        return Optional.ofNullable(conversations.get(key));
    }
}
