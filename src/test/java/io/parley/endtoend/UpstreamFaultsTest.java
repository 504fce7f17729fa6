package io.parley.endtoend;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RelaySettings;
import io.parley.testing.RunningParley;
import io.parley.testing.TestedUpstream;
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
            PARLEY.agent().faults(TestedUpstream.current().everyFault("11"));
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
}
