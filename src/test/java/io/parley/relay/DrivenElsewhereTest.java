package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A conversation another node has claimed (its write refused by the shared store's fence) is let
 * go here: nothing more of it is shown or acknowledged from this node, its tabs are disconnected
 * to come back to the node that drives it, and its chat is neither closed upstream nor deleted.
 */
class DrivenElsewhereTest {

    /** A store shared with other nodes, which one of them has claimed a conversation of. */
    private static final class ClaimedStore implements ConversationStore {
        final MemoryStore kept = new MemoryStore();
        volatile String claimedElsewhere;

        @Override
        public List<StoredConversation> loadAll() {
            return kept.loadAll();
        }

        @Override
        public void save(StoredConversation conversation) {
            write(List.of(conversation), List.of());
        }

        @Override
        public void write(List<StoredConversation> saved, List<String> deleted) {
            String claimed = claimedElsewhere;
            kept.write(saved.stream().filter(c -> !c.key().equals(claimed)).toList(), deleted);
            if (saved.stream().anyMatch(c -> c.key().equals(claimed))) {
                throw new DrivenElsewhere(Set.of(claimed));
            }
        }

        @Override
        public void delete(String key) {
            kept.delete(key);
        }

        @Override
        public void setAside(String key) {
            kept.setAside(key);
        }

        @Override
        public void close() {
            kept.close();
        }
    }

    private final ClaimedStore store = new ClaimedStore();
    private final RelayHarness harness = new RelayHarness(store);

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void whatANodeThatLostTheConversationHeardIsNeitherShownNorAcknowledgedAndItsTabsGoElsewhere() throws Exception {
        RecordingTab tab = new RecordingTab();
        TabHandle visitor = harness.open(tab);
        tab.next(TabMessage.Ack.class, a -> "m1".equals(a.clientId()));
        FakeUpstream.FakeChat chat = harness.upstream.only();
        String key = store.kept.only().key();

        store.claimedElsewhere = key; // another node took it over while this one was frozen
        chat.listener.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Heard by the old driver"));
        chat.listener.changed();
        visitor.send("m2", "Sent to the old driver");

        Eventually.await("the tab is sent to the node that drives the conversation now", () -> tab.disconnected);
        Eventually.await("the chat is released here", () -> chat.calls().contains("release"));
        assertFalse(chat.calls().contains("close"), "the chat goes on upstream: " + chat.calls());
        assertFalse(chat.calls().contains("send m2"), "sent only by the node that drives it: " + chat.calls());
        assertTrue(tab.all(TabMessage.Event.class).stream()
                .noneMatch(e -> e.event().toString().contains("Heard by the old driver")), "shown: " + tab.received);
        assertTrue(tab.all(TabMessage.Ack.class).stream().noneMatch(a -> "m2".equals(a.clientId())),
                "acknowledged, though not written: " + tab.received);
        assertEquals(0, harness.relay.conversations());
        assertEquals(key, store.kept.only().key(), "its record stays for the node that drives it");
    }
}
