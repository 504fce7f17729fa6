package io.parley.livechat.v2.http;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.UpstreamEvent;
import io.parley.livechat.v2.UserType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AnswerReaderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final AnswerReader reader = new AnswerReader();

    private List<UpstreamEvent> events(String body) throws MalformedAnswerException {
        PollResult.Polled polled = reader.events(body, NOW, false);
        assertEquals(0, polled.unreadable(), "every event was read");
        assertFalse(polled.more());
        return polled.events();
    }

    @Test
    void readsTheSeedsExampleEvents() throws Exception {
        String seed = "{\"events\":[{\"agent\":{\"avatar\":\"livechat.s3.amazonaws.com/default/avatars/female_6.jpg\","
                + "\"job_title\":\"Support Agent\",\"name\":\"agent4\"},\"message_id\":1,\"timestamp\":1432902625,"
                + "\"type\":\"agent_details\",\"user_type\":\"agent\"},{\"message_id\":3,\"text\":\"Hi, I need some help "
                + "with entering my discount code.\",\"timestamp\":1432902626,\"type\":\"message\",\"user_type\":\"visitor\"}]}";

        List<UpstreamEvent> events = events(seed);

        assertEquals(List.of(
                new UpstreamEvent.AgentDetails(1, Instant.ofEpochSecond(1432902625), "agent4", "Support Agent",
                        "livechat.s3.amazonaws.com/default/avatars/female_6.jpg"),
                new UpstreamEvent.Message(3, Instant.ofEpochSecond(1432902626), UserType.VISITOR,
                        "Hi, I need some help with entering my discount code.")), events);
    }

    @Test
    void unknownTypesAndIncompleteKnownTypesAreKeptWithTheirFields() throws Exception {
        List<UpstreamEvent> events = events("{\"events\":["
                + "{\"message_id\":4,\"timestamp\":1,\"type\":\"rating\",\"user_type\":\"visitor\",\"score\":\"good\",\"x\":null},"
                + "{\"message_id\":5,\"type\":\"message\",\"user_type\":\"agent\"},"
                + "{\"message_id\":6}]}");

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
        List<UpstreamEvent> events = events("{\"events\":["
                + "{\"message_id\":7,\"timestamp\":2,\"type\":\"chat_closed\",\"user_type\":\"agent\"},"
                + "{\"message_id\":8,\"timestamp\":3,\"type\":\"event\",\"event_type\":\"closed\",\"user_type\":\"supervisor\"}]}");
        assertEquals(List.of(new UpstreamEvent.ChatClosed(7, Instant.ofEpochSecond(2), UserType.AGENT),
                new UpstreamEvent.ChatClosed(8, Instant.ofEpochSecond(3), UserType.SUPERVISOR)), events);
    }

    @Test
    void attachmentsAndSupervisorMessagesAreTyped() throws Exception {
        List<UpstreamEvent> events = events("{\"events\":["
                + "{\"message_id\":9,\"timestamp\":4,\"type\":\"attachment\",\"user_type\":\"agent\","
                + "\"url\":\"https://cdn.example.com/f.pdf\",\"name\":\"f.pdf\",\"content_type\":\"application/pdf\",\"size\":10},"
                + "{\"message_id\":10,\"timestamp\":5,\"type\":\"message\",\"user_type\":\"supervisor\",\"text\":\"hi\","
                + "\"new_field\":{\"a\":1}}]}");
        assertEquals(new UpstreamEvent.Attachment(9, Instant.ofEpochSecond(4), UserType.AGENT,
                "https://cdn.example.com/f.pdf", "f.pdf", "application/pdf"), events.get(0));
        assertEquals(new UpstreamEvent.Message(10, Instant.ofEpochSecond(5), UserType.SUPERVISOR, "hi"), events.get(1));
    }

    @Test
    void eventsThatCannotBeReadAreLeftOutAndCountedAndTheRestDelivered() throws Exception {
        String tooDeep = "[".repeat(BoundedJson.MAX_DEPTH + 1) + "]".repeat(BoundedJson.MAX_DEPTH + 1);
        for (String bad : List.of("{\"type\":\"message\",\"text\":\"x\"}", "{\"message_id\":-1}",
                "{\"message_id\":1.5}", "{\"message_id\":\"x1\"}", "\"message\"", "null",
                "{\"message_id\":2,\"type\":\"message\",\"text\":" + tooDeep + "}")) {
            PollResult.Polled polled = reader.events("{\"events\":[" + message(1, "before") + "," + bad + ","
                    + message(3, "after") + "]}", NOW, false);
            assertEquals(List.of("before", "after"), texts(polled), bad);
            assertEquals(1, polled.unreadable(), bad);
            assertFalse(polled.more());
        }
    }

    @Test
    void anAnswerNestedThousandsOfLevelsDeepIsMalformedWithoutExhaustingTheStack() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertEquals("the answer is nested more than " + BoundedJson.MAX_DEPTH + " levels deep",
                assertThrows(MalformedAnswerException.class, () -> reader.startAnswer("{\"x\":" + deep + "}")).getMessage());
        String deepObjects = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertThrows(MalformedAnswerException.class, () -> reader.requireSuccess(deepObjects));
        PollResult.Polled polled = assertDoesNotThrow(() -> reader.events("{\"events\":[" + deep + ","
                + message(1, "kept") + "]}", NOW, false));
        assertEquals(List.of("kept"), texts(polled));
        assertEquals(1, polled.unreadable());
        assertEquals("(no JSON error details)", reader.errorMessage("{\"error\":" + deep + "}"));
    }

    @Test
    void anAnswerCutShortYieldsTheEventsBeforeTheCutWhileTheirIdsRise() throws Exception {
        String whole = "{\"events\":[" + message(1, "one") + "," + message(2, "two") + "," + message(5, "five") + ","
                + message(4, "four") + "," + message(6, "six") + "]}";
        String cut = whole.substring(0, whole.indexOf("six") - 10);
        PollResult.Polled polled = reader.events(cut, NOW, true);
        assertEquals(List.of("one", "two", "five"), texts(polled),
                "four came after five: taking it would let the cursor pass events cut off below five");
        assertTrue(polled.more());
        assertEquals("the answer breaks off",
                assertThrows(MalformedAnswerException.class, () -> reader.events(cut, NOW, false)).getMessage(),
                "an answer that was not too large but breaks off is broken, not cut");
    }

    @Test
    void anAnswerCutAfterItsEventsKeepsThemAllAndOneEventLargerThanAnAnswerIsCountedUnreadable() throws Exception {
        String whole = "{\"events\":[" + message(1, "one") + "," + message(2, "two") + "],\"padding\":\"xxxxxxxxxx\"}";
        PollResult.Polled afterTheEvents = reader.events(whole.substring(0, whole.length() - 6), NOW, true);
        assertEquals(List.of("one", "two"), texts(afterTheEvents));
        assertFalse(afterTheEvents.more(), "nothing of the events was cut");

        String huge = "{\"events\":[" + message(1, "x".repeat(1000));
        PollResult.Polled tooLarge = reader.events(huge.substring(0, 500), NOW, true);
        assertEquals(List.of(), tooLarge.events());
        assertEquals(1, tooLarge.unreadable(), "counted, so that the chat does not wait for more that never comes");
        assertFalse(tooLarge.more());
    }

    private static String message(long id, String text) {
        return "{\"message_id\":" + id + ",\"type\":\"message\",\"user_type\":\"agent\",\"text\":\"" + text + "\"}";
    }

    private static List<String> texts(PollResult.Polled polled) {
        return polled.events().stream().map(event -> ((UpstreamEvent.Message) event).text()).toList();
    }

    @Test
    void answersOfTheWrongShapeAreMalformed() {
        assertEquals("the answer is not JSON",
                assertThrows(MalformedAnswerException.class, () -> events("<html>502</html>")).getMessage());
        assertEquals("the answer breaks off",
                assertThrows(MalformedAnswerException.class, () -> events("{\"events\":[")).getMessage());
        assertEquals("the answer is not JSON",
                assertThrows(MalformedAnswerException.class, () -> events("")).getMessage());
        assertEquals("the answer is not a JSON object",
                assertThrows(MalformedAnswerException.class, () -> events("[]")).getMessage());
        assertEquals("the answer has no events array",
                assertThrows(MalformedAnswerException.class, () -> events("{\"events\":{}}")).getMessage());
        assertEquals("the answer is not JSON",
                assertThrows(MalformedAnswerException.class, () -> events("{\"events\":[]}{}")).getMessage(),
                "a second value after the first");
        assertEquals("the start answer has no secured_session_id",
                assertThrows(MalformedAnswerException.class, () -> reader.startAnswer("{\"banned\":false}")).getMessage());
        for (String notSuccess : List.of("{\"success\":\"yes\"}", "{\"success\":false}", "{}")) {
            assertEquals("the answer does not say success: true",
                    assertThrows(MalformedAnswerException.class, () -> reader.requireSuccess(notSuccess)).getMessage(),
                    "only an error status refuses a call: " + notSuccess);
        }
        assertDoesNotThrow(() -> reader.requireSuccess("{\"success\":true}"));
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
        UpstreamEvent.Other other = (UpstreamEvent.Other) events(
                "{\"events\":[{\"message_id\":1,\"type\":\"x\",\"a\":1}]}").get(0);
        assertThrows(UnsupportedOperationException.class, () -> other.fields().put("b", Map.of()));
    }
}
