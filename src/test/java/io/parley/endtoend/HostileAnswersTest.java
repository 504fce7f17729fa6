package io.parley.endtoend;

import static io.parley.testing.HostileUpstream.agentMessage;
import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.testing.Eventually;
import io.parley.testing.HostileUpstream;
import io.parley.testing.Http;
import io.parley.testing.RelaySettings;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Answers from an upstream that is broken or hostile (nested without end, too large to take
 * whole, with events that cannot be read) never wedge a chat, never cost the node a poll slot,
 * and never keep the events that can be read from the tabs.
 */
class HostileAnswersTest {

    private HostileUpstream upstream;
    private TestServer parley;

    @BeforeEach
    void start() throws Exception {
        upstream = new HostileUpstream();
        Map<String, String> settings = new HashMap<>(RelaySettings.fast());
        settings.put("licence-id", "123");
        settings.put("api-url", upstream.uri().toString());
        settings.put("polls-in-flight", "1"); // one leaked slot would stop every poll of the node
        parley = TestServer.start(settings);
    }

    @AfterEach
    void stop() throws Exception {
        parley.close();
        upstream.close();
    }

    @Test
    void anAnswerNestedThousandsOfLevelsDeepNeitherWedgesTheChatNorCostsAPollSlot() throws Exception {
        String deep = "{\"events\":[],\"more\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String deeper = "{\"events\":" + "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) + "}";
        upstream.answerPolls(after -> upstream.polls() % 2 == 0 ? deep : deeper);
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Deep", "m1", "Hello")) {
            tab.await(frame -> "state".equals(frame.get("type")) && Boolean.FALSE.equals(frame.get("reachable")));
            Map<String, Object> ready = Http.get(parley.uri("/healthz/ready")).object();
            assertEquals(BigDecimal.ONE, ready.get("unreachable_chats"), "readiness knows of the chat: " + ready);

            long polled = upstream.polls();
            Eventually.await("polls go on through the one slot", () -> upstream.polls() >= polled + 5);

            upstream.answerPolls(after -> after >= 1 ? "{\"events\":[]}"
                    : "{\"events\":[" + agentMessage(1, "Back to normal") + "]}");
            tab.awaitText("Back to normal");
            tab.await(frame -> "state".equals(frame.get("type")) && Boolean.TRUE.equals(frame.get("reachable")));
            Eventually.await("readiness sees the chat reachable again", () -> unreachableChats() == 0);
        }
    }

    @Test
    void anAnswerTooLargeToTakeWholeIsReadInPartsLosingAndRepeatingNothing() throws Exception {
        int count = 1500;
        String padding = "x".repeat(4000); // 1,500 events of 4 KB: 6 MB pending, over the 4 MB a poll takes
        upstream.answerPolls(after -> LongStream.rangeClosed(after + 1, count)
                .mapToObj(id -> agentMessage(id, "m" + id + " " + padding))
                .collect(Collectors.joining(",", "{\"events\":[", "]}")));
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Large", "m1", "Hello")) {
            tab.await(frame -> "event".equals(frame.get("type")) && String.valueOf(frame.get("text")).startsWith("m" + count + " "));
            List<String> agent = tab.events().stream().filter(e -> "agent".equals(e.get("from")))
                    .map(e -> ((String) e.get("text")).split(" ")[0]).toList();
            assertEquals(LongStream.rangeClosed(1, count).mapToObj(id -> "m" + id).toList(), agent,
                    "every event once, in order");
            assertEquals(LongStream.rangeClosed(1, tab.events().size()).boxed().toList(),
                    tab.events().stream().map(e -> number(e.get("seq"))).toList(), "gapless");
        }
    }

    @Test
    void anEventThatCannotBeReadIsLeftOutAndTheRestDelivered() throws Exception {
        upstream.answerPolls(after -> after >= 3 ? "{\"events\":[]}" : "{\"events\":[" + agentMessage(1, "first")
                + ",{\"message_id\":\"two\",\"type\":\"message\",\"text\":\"unreadable\"}," + agentMessage(3, "third") + "]}");
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Partly", "m1", "Hello")) {
            tab.awaitText("third");
            List<String> texts = tab.events().stream().map(e -> (String) e.get("text")).toList();
            assertEquals(List.of("Hello", "first", "third"), texts);
            tab.send("type", "send", "id", "m2", "text", "Still chatting");
            tab.ack("m2");
            Eventually.await("the chat goes on", () -> upstream.sent().contains("Still chatting"));
        }
    }

    @Test
    void eventsOfAnUnknownTypeOfAnyLengthMakeOneShortLogLine() throws Exception {
        String type = "x".repeat(100_000);
        upstream.answerPolls(after -> after >= 3 ? "{\"events\":[]}" : "{\"events\":["
                + "{\"message_id\":1,\"type\":\"" + type + "\",\"timestamp\":1},"
                + "{\"message_id\":2,\"type\":\"" + type + "\",\"timestamp\":1}," + agentMessage(3, "after") + "]}");
        Logger bridgeLog = (Logger) LoggerFactory.getLogger("io.parley.livechat.v2.LiveChatV2");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        bridgeLog.addAppender(lines);
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Odd Events", "m1", "Hello")) {
            tab.awaitText("after");
            List<String> unknown = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("unknown type")).toList();
            assertEquals(1, unknown.size(), "one line for two such events: " + unknown.size());
            assertTrue(unknown.get(0).length() < 400, "clipped: " + unknown.get(0).length() + " characters");
            assertEquals(List.of("unknown", "unknown"), tab.events().stream().filter(e -> "notice".equals(e.get("kind")))
                    .map(e -> e.get("upstream_type")).toList(), "a type is a name, or it is unknown");
        } finally {
            bridgeLog.detachAppender(lines);
        }
    }

    private int unreachableChats() throws Exception {
        return ((BigDecimal) Http.get(parley.uri("/healthz/ready")).object().get("unreachable_chats")).intValue();
    }
}
