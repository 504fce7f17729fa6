package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How chats end and how refusals look: by the agent, by the visitor, bans, and a full node. */
class ChatEndingsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast("max-tabs-per-visitor", "2",
            "upstream-timeout", "5s"));

    private static TestTab chatting(String name) throws Exception {
        return TestTab.chatting(PARLEY.server().webSocketUri(), name, "first", "Hello");
    }

    private static boolean closedState(Map<String, Object> frame, String by) {
        return "state".equals(frame.get("type")) && "closed".equals(frame.get("state")) && by.equals(frame.get("closed_by"));
    }

    @Test
    void aChatClosedByTheAgentIsReportedToEveryTab() throws Exception {
        try (TestTab one = chatting("Closed By Agent");
             TestTab two = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0)) {
            PARLEY.agent().close(PARLEY.agent().chatNumberOf("Closed By Agent"));
            for (TestTab tab : new TestTab[] {one, two}) {
                Map<String, Object> closed = tab.await(frame -> "closed".equals(frame.get("kind")));
                assertEquals("agent", closed.get("by"));
                tab.await(frame -> closedState(frame, "agent"));
            }
            one.send("type", "send", "id", "late", "text", "Still there?");
            // The agent may close before the first message went out: that one is reported too (send_failed).
            Map<String, Object> error = one.await(frame -> "error".equals(frame.get("type")) && "late".equals(frame.get("id")));
            assertEquals("no_chat", error.get("code"));
        }
    }

    @Test
    void theVisitorClosesAndMayStartAgain() throws Exception {
        try (TestTab tab = chatting("Closer")) {
            int chat = PARLEY.agent().chatNumberOf("Closer");
            tab.send("type", "close");
            tab.await(frame -> closedState(frame, "visitor"));
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> "closed".equals(c.get("state")));
            assertEquals("visitor", PARLEY.agent().chat(chat).get("closed_by"));

            tab.send("type", "start", "id", "again", "text", "One more question", "name", "Closer Again");
            tab.await(frame -> "waiting".equals(frame.get("state")));
            PARLEY.agent().chatNumberOf("Closer Again");
        }
    }

    @Test
    void aBannedVisitorIsToldAndCannotStart() throws Exception {
        try (TestTab tab = chatting("Banned")) {
            PARLEY.agent().ban(PARLEY.agent().chatNumberOf("Banned"));
            tab.await(frame -> closedState(frame, "agent"));
            tab.send("type", "start", "id", "retry", "text", "Let me in", "name", "Banned");
            tab.await(frame -> "state".equals(frame.get("type")) && "banned".equals(frame.get("state")));
            tab.send("type", "start", "id", "retry2", "text", "Please", "name", "Banned");
            // The refused start's own message may be reported (send_failed) around then too.
            assertEquals("banned", tab.await(frame -> "error".equals(frame.get("type"))
                    && "retry2".equals(frame.get("id"))).get("code"));
        }
    }

    @Test
    void aSecondStartWhileChattingIsRefused() throws Exception {
        try (TestTab tab = chatting("Twice")) {
            tab.send("type", "start", "id", "second", "text", "Again", "name", "Twice");
            Map<String, Object> error = tab.next("error");
            assertEquals("already_started", error.get("code"));
            assertEquals("second", error.get("id"));
        }
    }

    @Test
    void tabsBeyondTheLimitAreRefusedWithACode() throws Exception {
        try (TestTab one = TestTab.open(PARLEY.server().webSocketUri());
             TestTab two = TestTab.resume(PARLEY.server().webSocketUri(), one.token(), 0);
             TestTab three = TestTab.connect(PARLEY.server().webSocketUri())) {
            three.send("type", "hello", "token", one.token());
            assertEquals("too_many_tabs", three.next("error").get("code"));
            assertEquals(1008, three.awaitClose());
            two.send("type", "ping");
            assertEquals("pong", two.next("pong").get("type"), "the other tabs are unaffected");
        }
    }

    @Test
    void aSendThatFailsAfterItsChatEndedIsReportedNotDropped() throws Exception {
        try (TestTab tab = chatting("Ended Under It")) {
            tab.ack("first");
            int chat = PARLEY.agent().chatNumberOf("Ended Under It");
            PARLEY.agent().awaitChat(chat, Eventually.DEADLINE,
                    c -> AgentApi.visitorTexts(c).contains("Hello"));
            long sends = PARLEY.agent().calls("send_message");
            PARLEY.agent().faults("error_rate", "1", "latency_ms", "2000", "calls", "send_message");
            try {
                tab.send("type", "send", "id", "late", "text", "Are you still there?");
                tab.ack("late");
                Eventually.await("the send on its way",
                        () -> PARLEY.agent().calls("send_message") > sends);
                PARLEY.agent().close(chat);
                tab.await(frame -> "state".equals(frame.get("type")) && "closed".equals(frame.get("state")));
                Map<String, Object> error = tab.await(frame -> "error".equals(frame.get("type")) && "late".equals(frame.get("id")));
                assertEquals("send_failed", error.get("code"), "the visitor learns it may not have gone");
            } finally {
                PARLEY.agent().clearFaults();
            }
        }
    }
}
