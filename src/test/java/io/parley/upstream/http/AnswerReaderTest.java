package io.parley.upstream.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.upstream.UpstreamEvent;
import io.parley.upstream.UserType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnswerReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final AnswerReader reader = new AnswerReader();

    @AfterEach
    void close() {
        reader.close();
    }

    @Test
    void readsTheSeedsExampleEvents() throws Exception {
        String seed = "{\"events\":[{\"agent\":{\"avatar\":\"livechat.s3.amazonaws.com/default/avatars/female_6.jpg\","
                + "\"job_title\":\"Support Agent\",\"name\":\"agent4\"},\"message_id\":1,\"timestamp\":1432902625,"
                + "\"type\":\"agent_details\",\"user_type\":\"agent\"},{\"message_id\":3,\"text\":\"Hi, I need some help "
                + "with entering my discount code.\",\"timestamp\":1432902626,\"type\":\"message\",\"user_type\":\"visitor\"}]}";

        List<UpstreamEvent> events = reader.events(seed, NOW);

        assertEquals(List.of(
                new UpstreamEvent.AgentDetails(1, Instant.ofEpochSecond(1432902625), "agent4", "Support Agent",
                        "livechat.s3.amazonaws.com/default/avatars/female_6.jpg"),
                new UpstreamEvent.Message(3, Instant.ofEpochSecond(1432902626), UserType.VISITOR,
                        "Hi, I need some help with entering my discount code.")), events);
    }

    @Test
    void unknownTypesAndIncompleteKnownTypesAreKeptWithTheirFields() throws Exception {
        List<UpstreamEvent> events = reader.events("{\"events\":["
                + "{\"message_id\":4,\"timestamp\":1,\"type\":\"rating\",\"user_type\":\"visitor\",\"score\":\"good\",\"x\":null},"
                + "{\"message_id\":5,\"type\":\"message\",\"user_type\":\"agent\"},"
                + "{\"message_id\":6}]}", NOW);

        UpstreamEvent.Other rating = assertInstanceOf(UpstreamEvent.Other.class, events.get(0));
        assertEquals("rating", rating.type());
        assertEquals(UserType.VISITOR, rating.from());
        assertEquals("good", rating.fields().get("score"));
        assertFalse(rating.fields().containsKey("x"));
        UpstreamEvent.Other textless = assertInstanceOf(UpstreamEvent.Other.class, events.get(1));
        assertEquals("message", textless.type());
        assertEquals(NOW, textless.timestamp());
        assertEquals("unknown", assertInstanceOf(UpstreamEvent.Other.class, events.get(2)).type());
    }

    @Test
    void closingEventsOfBothKnownShapesBecomeChatClosed() throws Exception {
        List<UpstreamEvent> events = reader.events("{\"events\":["
                + "{\"message_id\":7,\"timestamp\":2,\"type\":\"chat_closed\",\"user_type\":\"agent\"},"
                + "{\"message_id\":8,\"timestamp\":3,\"type\":\"event\",\"event_type\":\"closed\",\"user_type\":\"supervisor\"}]}",
                NOW);
        assertEquals(List.of(new UpstreamEvent.ChatClosed(7, Instant.ofEpochSecond(2), UserType.AGENT),
                new UpstreamEvent.ChatClosed(8, Instant.ofEpochSecond(3), UserType.SUPERVISOR)), events);
    }

    @Test
    void attachmentsAndSupervisorMessagesAreTyped() throws Exception {
        List<UpstreamEvent> events = reader.events("{\"events\":["
                + "{\"message_id\":9,\"timestamp\":4,\"type\":\"attachment\",\"user_type\":\"agent\","
                + "\"url\":\"https://cdn.example.com/f.pdf\",\"name\":\"f.pdf\",\"content_type\":\"application/pdf\",\"size\":10},"
                + "{\"message_id\":10,\"timestamp\":5,\"type\":\"message\",\"user_type\":\"supervisor\",\"text\":\"hi\","
                + "\"new_field\":{\"a\":1}}]}", NOW);
        assertEquals(new UpstreamEvent.Attachment(9, Instant.ofEpochSecond(4), UserType.AGENT,
                "https://cdn.example.com/f.pdf", "f.pdf", "application/pdf"), events.get(0));
        assertEquals(new UpstreamEvent.Message(10, Instant.ofEpochSecond(5), UserType.SUPERVISOR, "hi"), events.get(1));
    }

    @Test
    void eventsWithoutAUsableMessageIdMakeTheAnswerMalformed() {
        for (String event : List.of("{\"type\":\"message\",\"text\":\"x\"}", "{\"message_id\":-1}",
                "{\"message_id\":1.5}", "{\"message_id\":\"x1\"}", "\"message\"")) {
            MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
                    () -> reader.events("{\"events\":[" + event + "]}", NOW), event);
            assertTrue(e.getMessage().startsWith("an event"), e.getMessage());
        }
    }

    @Test
    void answersOfTheWrongShapeAreMalformed() {
        assertEquals("the answer is not JSON",
                assertThrows(MalformedAnswerException.class, () -> reader.events("<html>502</html>", NOW)).getMessage());
        assertEquals("the answer is not JSON",
                assertThrows(MalformedAnswerException.class, () -> reader.events("{\"events\":[", NOW)).getMessage());
        assertEquals("the answer is not a JSON object",
                assertThrows(MalformedAnswerException.class, () -> reader.events("[]", NOW)).getMessage());
        assertEquals("the answer has no events array",
                assertThrows(MalformedAnswerException.class, () -> reader.events("{\"events\":{}}", NOW)).getMessage());
        assertEquals("the start answer has no secured_session_id",
                assertThrows(MalformedAnswerException.class, () -> reader.startAnswer("{\"banned\":false}")).getMessage());
        assertEquals("the answer has no success flag",
                assertThrows(MalformedAnswerException.class, () -> reader.success("{\"success\":\"yes\"}")).getMessage());
    }

    @Test
    void startAnswersAreReadWithUnknownFieldsIgnored() throws Exception {
        assertEquals(Optional.of("CS1.a"), reader.startAnswer("{\"secured_session_id\":\"CS1.a\",\"banned\":false,\"x\":1}"));
        assertEquals(Optional.empty(), reader.startAnswer("{\"banned\":true}"));
    }

    @Test
    void errorMessagesAreFoundInTheUsualShapes() {
        assertEquals("Missing parameter", reader.errorMessage("{\"error\":{\"type\":\"missing\",\"message\":\"Missing parameter\"}}"));
        assertEquals("Session expired", reader.errorMessage("{\"error\":\"Session expired\"}"));
        assertEquals("first", reader.errorMessage("{\"errors\":[\"first\",\"second\"]}"));
        assertEquals("a b", reader.errorMessage("{\"message\":\"a\\n  b\"}"));
        assertEquals("(no JSON error details)", reader.errorMessage("<h1>Bad Gateway</h1>"));
        assertEquals("(no error message)", reader.errorMessage("{\"status\":500}"));
        assertEquals(203, reader.errorMessage("{\"error\":\"" + "x".repeat(500) + "\"}").length());
    }

    @Test
    void rawFieldsOfOtherEventsAreReadOnly() throws Exception {
        UpstreamEvent.Other other = (UpstreamEvent.Other) reader.events(
                "{\"events\":[{\"message_id\":1,\"type\":\"x\",\"a\":1}]}", NOW).get(0);
        assertThrows(UnsupportedOperationException.class, () -> other.fields().put("b", Map.of()));
    }
}
