package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a token was issued survives a restart, and records written before it was kept still load. */
class TokenBindingRecordsTest {

    private final Jsonb jsonb = JsonbBuilder.create();

    @Test
    void theHandshakeOriginIsKeptWithTheConversation() {
        Conversation issued = Conversation.create("https://shop.example", "http://chat.example");
        StoredConversation stored = jsonb.fromJson(jsonb.toJson(ConversationRecords.of(issued)), StoredConversation.class);
        Conversation restored = ConversationRecords.restore(stored, Instant.now());
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
        Conversation restored = ConversationRecords.restore(old, Instant.now());
        assertTrue(restored.issuedTo("https://shop.example", ""));
        assertTrue(restored.issuedTo("https://shop.example", "http://chat.example"));
        assertFalse(restored.issuedTo("https://blog.example", ""));
    }
}
