package io.parley.cluster;

import com.hazelcast.map.IMap;
import io.parley.relay.Conversation;
import io.parley.relay.ConversationRegistry;
import java.util.Collection;
import java.util.Optional;

/** This node's conversations, held in its memory, and counted across the cluster for {@code max-conversations}. */
final class SharedRegistry implements ConversationRegistry {

    private final ConversationRegistry here;
    private final IMap<String, Held> records;

    SharedRegistry(ConversationRegistry here, IMap<String, Held> records) {
        this.here = here;
        this.records = records;
    }

    @Override
    public Optional<Conversation> find(String token) {
        return here.find(token);
    }

    @Override
    public void add(Conversation conversation) {
        here.add(conversation);
    }

    @Override
    public void remove(Conversation conversation) {
        here.remove(conversation);
    }

    @Override
    public Collection<Conversation> all() {
        return here.all();
    }

    @Override
    public Optional<Conversation> findByKey(String key) {
        return here.findByKey(key);
    }

    @Override
    public int size() {
        return here.size();
    }

    /** Every member's conversations: a count asked of the cluster at each start, which is rare next to messages. */
    @Override
    public int sizeEverywhere() {
        try {
            return Math.max(records.size(), here.size());
        } catch (RuntimeException e) {
            return here.size(); // the cluster cannot answer now: this node's own count still limits
        }
    }
}
