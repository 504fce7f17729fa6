package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.relay.StoredConversation;
import io.parley.upstream.AgentCard;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store's own writer writes what JSON-B would, so that JSON-B reads every record back whole. */
class RecordJsonTest {

    private final Jsonb jsonb = JsonbBuilder.create();

    private static final AgentCard ADA = new AgentCard("Ada \"the\" agent", "Support \u2603", "https://x.example/a.png");

    /** Every field set, the legacy ones included, with text that needs escaping. */
    private static StoredConversation full() {
        return new StoredConversation("k\u00e9y", "0badcafe", "https://shop.example", "CHATTING", "AGENT", ADA,
                new StoredConversation.Start("Hi\nthere", "Kim \u0627", "kim@example.com", 3), 4,
                List.of(StoredConversation.Event.of("said", 1, 1_000, "visitor", "<b>\"quoted\"</b>\t\\", "m1", null,
                                null, null, null, null, null),
                        StoredConversation.Event.of("agent", 2, 2_000, null, null, null, ADA, null, null, null, null, null),
                        StoredConversation.Event.of("file", 3, 3_000, "agent", null, null, null, null,
                                "https://f.example/x.pdf", "x.pdf", "application/pdf", null),
                        StoredConversation.Event.of("closed", 4, 4_000, null, null, null, null, "VISITOR", null, null,
                                null, "survey")),
                List.of(StoredConversation.Send.of("m1", 1, null, null)),
                List.of(StoredConversation.Send.of("m2", 5, "Not sent yet \ud83d\ude00", 2)), 9_999L, "",
                "{\"visitorId\":\"p-1\",\"seenIds\":[1,2]}", "p-1", "s-1", List.of(1L, 2L),
                List.of(StoredConversation.Send.of("m0", 0, "echo due", 1)),
                new StoredConversation.Rated("good", "Quick \"and\" kind"));
    }

    /** Nothing optional set. */
    private static StoredConversation sparse() {
        return StoredConversation.of("k", "0ddba11", null, "IDLE", null, null, null, 0, List.of(), List.of(), List.of(),
                null, null, null);
    }

    private static JsonObject parse(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    @Test
    void whatItWritesIsWhatJsonbWritesAndReadsBackWhole() {
        for (StoredConversation record : List.of(full(), sparse())) {
            String written = RecordJson.write(record);
            assertEquals(parse(jsonb.toJson(record)), parse(written), "the same names and values as JSON-B's");
            assertEquals(record, jsonb.fromJson(written, StoredConversation.class));
        }
    }
}
