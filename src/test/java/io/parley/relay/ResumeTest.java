package io.parley.relay;

import static io.parley.testing.TestTab.number;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A tab that drops and comes back gets exactly what it missed; a repeated send lands once. */
class ResumeTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast());

    private static TestTab chatting(String name) throws Exception {
        return TestTab.chatting(PARLEY.server().webSocketUri(), name, "first", "Hi, it's " + name);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> welcome) {
        return (List<Map<String, Object>>) welcome.get("events");
    }

    @Test
    void aResumingTabGetsExactlyWhatItMissed() throws Exception {
        TestTab phone = chatting("Resumer");
        int chat = PARLEY.agent().chatNumberOf("Resumer");
        long seen = phone.lastSeq();
        phone.drop();

        try (TestTab laptop = TestTab.resume(PARLEY.server().webSocketUri(), phone.token(), seen)) {
            for (String text : List.of("one", "two", "three")) {
                PARLEY.agent().say(chat, text);
            }
            laptop.awaitText("three"); // the relay has them

            try (TestTab back = TestTab.resume(PARLEY.server().webSocketUri(), phone.token(), seen)) {
                Map<String, Object> welcome = back.received().get(0);
                assertEquals(false, welcome.get("snapshot"));
                assertEquals("chatting", welcome.get("state"));
                List<Map<String, Object>> missed = events(welcome);
                assertEquals(List.of(seen + 1, seen + 2, seen + 3, seen + 4),
                        missed.stream().map(e -> number(e.get("seq"))).toList());
                assertEquals("agent", missed.get(0).get("kind"));
                assertEquals(List.of("one", "two", "three"),
                        missed.subList(1, 4).stream().map(e -> e.get("text")).toList());
                assertEquals(seen + 4, number(welcome.get("last_seq")));
            }
        }
    }

    @Test
    void aRepeatedSendIsAcknowledgedAgainAndReachesTheUpstreamOnce() throws Exception {
        try (TestTab tab = chatting("Repeater")) {
            int chat = PARLEY.agent().chatNumberOf("Repeater");
            tab.send("type", "send", "id", "m-42", "text", "Only once please");
            long seq = number(tab.ack("m-42").get("seq"));
            tab.send("type", "send", "id", "m-42", "text", "Only once please");
            assertEquals(seq, number(tab.ack("m-42").get("seq")));

            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE,
                    c -> AgentApi.visitorTexts(c).contains("Only once please"));
            PARLEY.agent().say(chat, "sentinel");
            tab.awaitText("sentinel");
            assertEquals(1, tab.events().stream().filter(e -> "Only once please".equals(e.get("text"))).count());
            assertEquals(List.of("Hi, it's Repeater", "Only once please"), AgentApi.visitorTexts(PARLEY.agent().chat(chat)));
        }
    }

    @Test
    void aTabTooFarBehindGetsASnapshot() throws Exception {
        try (TestTab tab = chatting("Snapshot")) {
            int chat = PARLEY.agent().chatNumberOf("Snapshot");
            for (int i = 1; i <= Conversation.LOG_CAPACITY + 5; i++) {
                PARLEY.agent().say(chat, "message " + i);
            }
            tab.awaitText("message " + (Conversation.LOG_CAPACITY + 5));
            try (TestTab late = TestTab.resume(PARLEY.server().webSocketUri(), tab.token(), 1)) {
                Map<String, Object> welcome = late.received().get(0);
                assertEquals(true, welcome.get("snapshot"));
                List<Map<String, Object>> kept = events(welcome);
                assertEquals(Conversation.LOG_CAPACITY, kept.size());
                assertEquals(tab.lastSeq(), number(kept.get(kept.size() - 1).get("seq")));
            }
        }
    }

    @Test
    void anUnknownTokenStartsOverWithANewOne() throws Exception {
        try (TestTab tab = TestTab.resume(PARLEY.server().webSocketUri(), "no-such-token", 7)) {
            Map<String, Object> welcome = tab.received().get(0);
            assertNotEquals("no-such-token", welcome.get("token"));
            assertEquals(true, welcome.get("snapshot"));
            assertEquals("idle", welcome.get("state"));
            assertEquals(List.of(), events(welcome));
        }
    }
}
