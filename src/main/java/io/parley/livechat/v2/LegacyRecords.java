package io.parley.livechat.v2;

import io.parley.relay.ConversationStore;
import io.parley.relay.StoredConversation;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads conversations stored before the upstream kept its own snapshot, when their v2 ids, seen
 * message ids and unsent messages' attempts were fields of the record: each becomes a record with
 * the {@link V2Snapshot} those fields stand for, so that an upgrade ends no chat. Everything else
 * passes through to the store.
 */
public final class LegacyRecords {

    private LegacyRecords() {
    }

    /** The store, with legacy records read as this version's. */
    public static ConversationStore upgrading(ConversationStore store) {
        return new ConversationStore() {
            @Override
            public List<StoredConversation> loadAll() {
                return store.loadAll().stream().map(LegacyRecords::upgrade).toList();
            }

            @Override
            public void save(StoredConversation conversation) {
                store.save(conversation);
            }

            @Override
            public void write(List<StoredConversation> saved, List<String> deleted) {
                store.write(saved, deleted);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public void setAside(String key) {
                store.setAside(key);
            }

            @Override
            public void close() {
                store.close();
            }

            @Override
            public String location() {
                return store.location();
            }

            @Override
            public boolean keeps() {
                return store.keeps();
            }

            @Override
            public java.util.Optional<String> value(String name) {
                return store.value(name);
            }

            @Override
            public void putValue(String name, String value) {
                store.putValue(name, value);
            }
        };
    }

    /** This version's form of a record; records of this version are returned as they are. */
    static StoredConversation upgrade(StoredConversation stored) {
        if (!stored.legacy()) {
            return stored;
        }
        List<V2Snapshot.Send> unsent = new ArrayList<>();
        for (StoredConversation.Send send : stored.unsent()) {
            // Records written before attempts were counted stand for none made.
            unsent.add(new V2Snapshot.Send(send.clientId(), send.text(), send.attempts() == null ? 0 : send.attempts()));
        }
        List<V2Snapshot.Send> awaiting = new ArrayList<>();
        List<String> landed = new ArrayList<>();
        for (StoredConversation.Send send : stored.awaitingEcho() == null ? List.<StoredConversation.Send>of()
                : stored.awaitingEcho()) {
            awaiting.add(new V2Snapshot.Send(send.clientId(), send.text(), send.attempts() == null ? 1 : send.attempts()));
            landed.add(send.clientId());
        }
        V2Snapshot snapshot = new V2Snapshot(stored.visitorId(), stored.securedSessionId(), stored.seenIds(), unsent,
                awaiting, landed);
        return stored.withUpstream(snapshot.toJson());
    }
}
