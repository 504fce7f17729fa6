package io.parley.relay;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Errors (JSON and HTML pages), latency, drops, malformed answers, and events repeated and out of
 * order from the upstream lose and repeat nothing.
 */
class UpstreamFaultsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast("upstream-timeout", "500ms"));

    @AfterEach
    void clearFaults() throws Exception {
        PARLEY.agent().clearFaults();
    }

    private static TestTab chatting(String name) throws Exception {
        return TestTab.chatting(PARLEY.server().webSocketUri(), name, "v0", "v0");
    }

    @Test
    void aConversationThroughEveryKindOfFaultLosesAndRepeatsNothing() throws Exception {
        try (TestTab tab = chatting("Through Faults")) {
            int chat = PARLEY.agent().chatNumberOf("Through Faults");
            PARLEY.agent().faults("error_rate", "0.2", "drop_rate", "0.1", "malformed_rate", "0.1", "disorder_rate", "0.2",
                    "latency_ms", "20",
                    "calls", "get_pending_messages,send_message", "seed", "11");
            List<String> visitor = new ArrayList<>(List.of("v0"));
            List<String> agentSaid = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                tab.send("type", "send", "id", "v" + i, "text", "v" + i);
                visitor.add("v" + i);
                PARLEY.agent().say(chat, "a" + i);
                agentSaid.add("a" + i);
            }
            tab.awaitText("a15");
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).size() >= 16);
            PARLEY.agent().clearFaults();
            PARLEY.agent().say(chat, "sentinel");
            tab.awaitText("sentinel");

            assertEquals(visitor, AgentApi.visitorTexts(PARLEY.agent().chat(chat)), "every message upstream once, in order");
            List<Map<String, Object>> events = tab.events();
            assertEquals(1, events.stream().filter(e -> "agent".equals(e.get("kind"))).count(), "the agent joined once");
            events = events.stream().filter(e -> "message".equals(e.get("kind"))).toList();
            assertEquals(LongStream.rangeClosed(1, tab.events().size()).boxed().toList(),
                    tab.events().stream().map(e -> number(e.get("seq"))).toList(), "gapless and in order");
            List<String> texts = events.stream().map(e -> (String) e.get("text")).toList();
            assertEquals(visitor, texts.stream().filter(t -> t.startsWith("v")).toList(), "each visitor message once");
            assertEquals(agentSaid, texts.stream().filter(t -> t.startsWith("a")).toList(), "each agent message once");
            assertEquals("chatting", PARLEY.agent().chat(chat).get("state"), "the chat stayed open");
        }
    }

    @Test
    void aSendThatTimedOutButLandedIsNotSentAgain() throws Exception {
        try (TestTab tab = chatting("Ambiguous")) {
            int chat = PARLEY.agent().chatNumberOf("Ambiguous");
            PARLEY.agent().faults("latency_ms", "1500", "calls", "send_message");
            tab.send("type", "send", "id", "slow", "text", "Did this arrive?");
            tab.ack("slow");
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE,
                    c -> AgentApi.visitorTexts(c).contains("Did this arrive?"));
            PARLEY.agent().clearFaults();
            tab.send("type", "send", "id", "after", "text", "And this?");
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).contains("And this?"));
            assertEquals(List.of("v0", "Did this arrive?", "And this?"), AgentApi.visitorTexts(PARLEY.agent().chat(chat)));
        }
    }

    @Test
    void aSendAnsweredWithAServerErrorBeforeItLandedIsSentAgainUntilItLandsOnce() throws Exception {
        try (TestTab tab = chatting("Retried")) {
            int chat = PARLEY.agent().chatNumberOf("Retried");
            PARLEY.agent().faults("error_rate", "1", "calls", "send_message");
            tab.send("type", "send", "id", "r1", "text", "Persistent");
            tab.ack("r1");
            long before = PARLEY.agent().calls("send_message");
            Eventually.await("the send refused at least twice",
                    () -> PARLEY.agent().calls("send_message") >= before + 2);
            PARLEY.agent().clearFaults();
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).contains("Persistent"));
            assertEquals(List.of("v0", "Persistent"), AgentApi.visitorTexts(PARLEY.agent().chat(chat)));
        }
    }

    @Test
    void anEventOfAnUnknownTypeIsShownAsANoticeNotDropped() throws Exception {
        try (TestTab tab = chatting("Curious")) {
            int chat = PARLEY.agent().chatNumberOf("Curious");
            PARLEY.agent().join(chat, "Ada");
            PARLEY.agent().event(chat, "rating");
            PARLEY.agent().say(chat, "after the rating");
            Map<String, Object> notice = tab.await(frame -> "notice".equals(frame.get("kind")));
            assertEquals("rating", notice.get("upstream_type"));
            Map<String, Object> after = tab.awaitText("after the rating");
            assertEquals(number(notice.get("seq")) + 1, number(after.get("seq")), "in order, nothing skipped");
        }
    }

    @Test
    void tabsAreToldWhenTheUpstreamIsUnreachableAndWhenItIsBack() throws Exception {
        try (TestTab tab = chatting("Outage")) {
            PARLEY.agent().faults("error_rate", "1", "error_status", "503", "calls", "get_pending_messages");
            tab.await(frame -> "state".equals(frame.get("type")) && Boolean.FALSE.equals(frame.get("reachable")));
            PARLEY.agent().clearFaults();
            tab.await(frame -> "state".equals(frame.get("type")) && Boolean.TRUE.equals(frame.get("reachable")));
            assertEquals("waiting", PARLEY.agent().chat(PARLEY.agent().chatNumberOf("Outage")).get("state"));
        }
    }
}
