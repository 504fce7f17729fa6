package io.parley.relay;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One visitor, three tabs: one upstream session, one polling stream, every event in every tab. */
class ThreeTabsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast());

    private static final Duration FAST = Duration.ofMillis(100);

    @Test
    void everyEventReachesEveryTabOnceAndInOrder() throws Exception {
        long startsBefore = PARLEY.agent().calls("start");
        try (TestTab one = TestTab.open(PARLEY.server().webSocketUri());
             TestTab two = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0);
             TestTab three = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0)) {
            Instant started = Instant.now();
            one.send("type", "start", "id", "m1", "text", "Hello from tab one", "name", "Tri Tab");
            Map<String, Object> ack = one.next("ack");
            assertEquals("m1", ack.get("id"));
            assertEquals(1, number(ack.get("seq")));
            for (TestTab tab : List.of(one, two, three)) {
                Map<String, Object> hello = tab.awaitText("Hello from tab one");
                assertEquals("visitor", hello.get("from"));
                assertEquals("m1", hello.get("id"));
                tab.await(frame -> "state".equals(frame.get("type")) && "waiting".equals(frame.get("state")));
            }

            int chat = PARLEY.agent().chatNumberOf("Tri Tab");
            PARLEY.agent().join(chat, "Grace");
            PARLEY.agent().say(chat, "Hi, Grace here");
            two.send("type", "send", "id", "m2", "text", "From tab two");
            assertEquals("ack", two.next("ack").get("type"));
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).size() == 2);
            PARLEY.agent().say(chat, "sentinel"); // after both echoes upstream: any echo shown would come before it

            List<List<String>> transcripts = new ArrayList<>();
            for (TestTab tab : List.of(one, two, three)) {
                tab.awaitText("sentinel");
                transcripts.add(tab.events().stream()
                        .map(e -> e.get("seq") + " " + e.get("kind") + " " + e.get("text")).toList());
                List<Long> seqs = tab.events().stream().map(e -> number(e.get("seq"))).toList();
                assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs, "gapless, in order, once");
            }
            assertEquals(transcripts.get(0), transcripts.get(1));
            assertEquals(transcripts.get(0), transcripts.get(2));
            // The visitor's own message shows when sent, so it may come before agent events polled later.
            assertEquals(List.of("agent null", "message From tab two", "message Hello from tab one",
                    "message Hi, Grace here", "message sentinel"),
                    transcripts.get(0).stream().map(e -> e.substring(e.indexOf(' ') + 1)).sorted().toList());

            assertEquals(List.of("Hello from tab one", "From tab two"), AgentApi.visitorTexts(PARLEY.agent().chat(chat)));
            assertEquals(1, PARLEY.agent().calls("start") - startsBefore, "one upstream session for three tabs");
            long polls = number(PARLEY.agent().chat(chat).get("polls"));
            long elapsed = Duration.between(started, Instant.now()).toMillis();
            long oneStream = elapsed / (FAST.toMillis() * 85 / 100) + 2;
            assertTrue(polls >= 1 && polls <= oneStream, polls + " polls in " + elapsed + " ms is more than one stream");
        }
    }
}
