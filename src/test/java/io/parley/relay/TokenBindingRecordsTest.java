package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Where a token was issued survives a restart, and records written before it was kept still load. */
class TokenBindingRecordsTest {

    private final Jsonb jsonb = JsonbBuilder.create();

    @Test
    void theHandshakeOriginIsKeptWithTheConversation() throws Exception {
        MemoryStore store = new MemoryStore();
        try (RelayHarness harness = new RelayHarness(store)) {
            RecordingTab tab = new RecordingTab();
            harness.relay.hello(tab, null, 0, "https://shop.example", "http://chat.example").orElseThrow()
                    .start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
            Eventually.await("the conversation is written", () -> !store.loadAll().isEmpty());
        }
        StoredConversation stored = jsonb.fromJson(jsonb.toJson(store.only()), StoredConversation.class);
        Conversation restored = Conversation.restore(stored, Instant.now());
        assertTrue(restored.issuedTo("https://shop.example", "http://chat.example"));
        assertFalse(restored.issuedTo("https://shop.example", ""), "a client that sends no Origin");
        assertFalse(restored.issuedTo("https://shop.example", "http://elsewhere.example"));
        assertFalse(restored.issuedTo("https://blog.example", "http://chat.example"), "another site");
    }

    @Test
    void aRecordWrittenBeforeTheOriginWasKeptLoadsAndIsBoundToItsSiteOnly() {
        StoredConversation old = jsonb.fromJson("{\"key\":\"k\",\"logId\":\"0badcafe\",\"origin\":\"https://shop.example\","
                + "\"visitorId\":\"p-visitor\",\"state\":\"IDLE\",\"lastSeq\":0,\"events\":[],\"seenIds\":[],"
                + "\"accepted\":[],\"unsent\":[],\"awaitingEcho\":[]}", StoredConversation.class);
        assertNull(old.socketOrigin());
        assertTrue(old.legacy());
        Conversation restored = Conversation.restore(old, Instant.now());
        assertTrue(restored.issuedTo("https://shop.example", ""));
        assertTrue(restored.issuedTo("https://shop.example", "http://chat.example"));
        assertFalse(restored.issuedTo("https://blog.example", ""));
    }

    @Test
    void aRecordHoldsTheUpstreamsSnapshotWithTheConversationsOwnPart() throws Exception {
        MemoryStore store = new MemoryStore();
        try (RelayHarness harness = new RelayHarness(store)) {
            RecordingTab tab = new RecordingTab();
            TabHandle visitor = harness.hello(tab);
            visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
            tab.next(TabMessage.Ack.class, ack -> ack.clientId().equals("m1"));
            FakeUpstream.FakeChat chat = harness.upstream.only();
            Eventually.await("the start goes once written", () -> chat.calls().contains("start m1"));
            synchronized (chat) {
                chat.snapshot = "session-1";
            }
            chat.listener.started();
            Eventually.await("the open chat is written with its session",
                    () -> "session-1".equals(store.only().upstream()) && "WAITING".equals(store.only().state()));
            assertEquals("m1", store.only().unsent().get(0).clientId(), "not known delivered yet");
            chat.listener.delivered("m1");
            chat.listener.changed(); // as an adapter does once it has reported what an answer brought
            Eventually.await("a delivered message is no longer kept", () -> store.only().unsent().isEmpty());
            assertEquals("m1", store.only().accepted().get(0).clientId(), "its id still is, for a tab that sends it again");
        }
    }
}
