package io.parley.endtoend;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RelaySettings;
import io.parley.testing.RunningParley;
import io.parley.testing.TestedUpstream;
import io.parley.testing.TestTab;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An upstream that fails the way real services fail, on a seeded schedule: reads failing
 * ({@link TestedUpstream#readFaults}: polls answered with errors on v2; RTM sockets dropped,
 * pushes lost and reads failing on v3), a quarter of sends answered 500 before they land and a quarter after
 * they land, and one call in ten whose connection breaks after it took effect, starts included.
 * Every message is shown once, in order, in every tab, and each visitor message lands upstream
 * exactly once.
 */
class ExactlyOnceUnderFaultsTest {

    private static final int MESSAGES = 8;

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast());

    @AfterEach
    void clearFaults() throws Exception {
        PARLEY.agent().clearFaults();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyMessageOnceInOrderInEveryTabAndUpstream(long seed) throws Exception {
        AgentApi agent = PARLEY.agent();
        String s = Long.toString(seed);
        TestedUpstream upstream = TestedUpstream.current();
        agent.faults(upstream.readFaults(s));
        agent.faults("error_rate", "0.25", "error_status", "500", "error_after_rate", "0.25", "drop_rate", "0.1",
                "calls", upstream.sendCall(), "seed", s);
        agent.faults("drop_rate", "0.1", "calls", upstream.startCall() + "," + upstream.closeCall(), "seed", s);

        String name = "Seed " + seed;
        try (TestTab one = TestTab.chatting(PARLEY.server().webSocketUri(), name, "v0", "v0");
             TestTab two = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0);
             TestTab three = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0)) {
            List<TestTab> tabs = List.of(one, two, three);
            int chat = theChatInUse(name);
            List<String> visitor = new ArrayList<>(List.of("v0"));
            List<String> agentSaid = new ArrayList<>();
            for (int i = 1; i <= MESSAGES; i++) {
                TestTab writer = tabs.get(i % tabs.size());
                writer.send("type", "send", "id", "v" + i, "text", "v" + i);
                writer.ack("v" + i);
                visitor.add("v" + i);
                agent.say(chat, "a" + i);
                agentSaid.add("a" + i);
            }
            agent.awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).size() >= visitor.size());
            agent.clearFaults();
            agent.say(chat, "sentinel"); // after every visitor message upstream: an echo shown would come before it

            assertEquals(visitor, AgentApi.visitorTexts(agent.chat(chat)), "each visitor message upstream exactly once");
            for (TestTab tab : tabs) {
                tab.awaitTextAnywhere("sentinel");
                List<Map<String, Object>> events = tab.allEvents();
                assertEquals(LongStream.rangeClosed(1, events.size()).boxed().toList(),
                        events.stream().map(e -> number(e.get("seq"))).toList(), "gapless and in order");
                List<String> texts = events.stream().filter(e -> "message".equals(e.get("kind")))
                        .map(e -> (String) e.get("text")).toList();
                assertEquals(visitor, texts.stream().filter(t -> t.startsWith("v")).toList(), "each visitor message once");
                assertEquals(agentSaid, texts.stream().filter(t -> t.startsWith("a")).toList(), "each agent message once");
            }
            assertEquals("chatting", agent.chat(chat).get("state"), "the chat stayed open");
        }
    }

    /**
     * The visitor's chat upstream: a start whose answer was lost left a chat nobody uses, which
     * the emulator calls orphaned.
     */
    private static int theChatInUse(String name) throws Exception {
        int[] found = new int[1];
        Eventually.await("a chat in use for " + name, () -> {
            List<Integer> inUse = PARLEY.agent().chats().stream()
                    .filter(c -> name.equals(c.get("name")) && Boolean.FALSE.equals(c.get("orphaned")))
                    .map(c -> ((BigDecimal) c.get("id")).intValueExact()).toList();
            if (inUse.size() == 1) {
                found[0] = inUse.get(0);
            }
            return inUse.size() == 1;
        });
        return found[0];
    }
}
