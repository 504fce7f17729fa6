package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parley.upstream.ChatEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of event survives its stored form, as a record is written and read back as JSON:
 * what a restart gives back to the tabs is what they were shown, files and rich messages too.
 */
class ConversationRecordsTest {

    private static final Instant AT = Instant.ofEpochMilli(1_764_081_000_123L);
    private final Jsonb jsonb = JsonbBuilder.create();

    @Test
    void everyKindOfEventComesBackWholeFromItsRecord() {
        List<RelayEvent> events = List.of(
                new RelayEvent.Said(1, AT, "visitor", "Hello", "m1"),
                new RelayEvent.Said(2, AT, "agent", "Hi", null),
                new RelayEvent.Shared(3, AT, "visitor", "https://cdn.files.example/u/photo.png", "photo.png",
                        "image/png", "f1", "m2", 1234),
                new RelayEvent.Shared(4, AT, "agent", null, "terms.pdf", "application/pdf", "f2", null, -1),
                new RelayEvent.Rich(5, AT, "agent", "cards", List.of(new ChatEvent.RichElement("How can we help?",
                        "Choose a topic", "https://cdn.files.example/card.png", "A card",
                        List.of(new ChatEvent.RichButton("Billing", "message", null, "button_1"),
                                new ChatEvent.RichButton("Help", "url", "https://example.com/help", null)))),
                        "thread-1/event-5", "f3"),
                new RelayEvent.Notice(6, AT, "form"));

        for (RelayEvent event : events) {
            StoredConversation.Event stored = ConversationRecords.event(event);
            StoredConversation.Event readBack = jsonb.fromJson(jsonb.toJson(stored), StoredConversation.Event.class);
            assertEquals(event, ConversationRecords.event(readBack), "the " + event.getClass().getSimpleName());
        }
    }

    @Test
    void aRichMessageWhoseRecordCannotBeReadIsRefusedClearly() {
        StoredConversation.Event broken = new StoredConversation.Event("rich", 1, AT.toEpochMilli(), "agent", null,
                null, null, null, null, null, null, null, "f1", null, "{\"template\":");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ConversationRecords.event(broken));
        assertEquals("a rich message's record cannot be read", refused.getMessage());
    }
}
