package io.parley.relay;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Conversations held in this node's memory. Tokens and upstream visitor ids are drawn
 * independently from a {@link SecureRandom}, 128 bits each, so neither says anything of the other.
 */
public final class InMemoryConversationRegistry implements ConversationRegistry {

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    @Override
    public Optional<Conversation> find(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(conversations.get(token));
    }

    @Override
    public Conversation create() {
        while (true) {
            Conversation conversation = new Conversation(randomText(16), "p-" + randomText(16),
                    HexFormat.of().formatHex(randomBytes(4)));
            if (conversations.putIfAbsent(conversation.token(), conversation) == null) {
                return conversation;
            }
        }
    }

    @Override
    public void remove(Conversation conversation) {
        conversations.remove(conversation.token(), conversation);
    }

    @Override
    public Collection<Conversation> all() {
        return List.copyOf(conversations.values());
    }

    @Override
    public int size() {
        return conversations.size();
    }

    private String randomText(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
