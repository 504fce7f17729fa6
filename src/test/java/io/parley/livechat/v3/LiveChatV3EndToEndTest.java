package io.parley.livechat.v3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.RelaySettings;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Customer Chat API v3 brings, through the emulator over real HTTP and WebSocket: an
 * offline group is said at once, the customer stays logged in through the grace period and the
 * chat is deactivated after it, tokens expire unnoticed, and a returning visitor's chat is a new
 * thread of the same chat.
 */
class LiveChatV3EndToEndTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast("demo-upstream", "v3",
            "grace-period", "3s", "emulator-chat-timeout", "1s"));

    @AfterEach
    void clear() throws Exception {
        PARLEY.agent().clearFaults();
        PARLEY.agent().groupStatus(0, "online");
    }

    @Test
    void aStartIntoAnOfflineGroupIsToldAtOnceNotLeftWaiting() throws Exception {
        AgentApi agent = PARLEY.agent();
        agent.groupStatus(0, "offline");
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "start", "id", "o1", "text", "Anyone?", "name", "Offline Visitor");
            Map<String, Object> error = tab.next("error");
            assertEquals("offline", error.get("code"));
            assertEquals("o1", error.get("id"));
            tab.await(frame -> "state".equals(frame.get("type")) && "idle".equals(frame.get("state")));
            assertTrue(agent.chats().stream().noneMatch(c -> "Offline Visitor".equals(c.get("name"))), "no chat upstream");

            agent.groupStatus(0, "online");
            tab.send("type", "start", "id", "o2", "text", "Now?", "name", "Offline Visitor");
            tab.ack("o2");
            assertEquals(List.of("Now?"), AgentApi.visitorTexts(agent.chat(agent.awaitChatNumberOf("Offline Visitor"))));
        }
    }

    @Test
    void theCustomerStaysLoggedInThroughTheGracePeriodAndTheChatIsDeactivatedAfterIt() throws Exception {
        AgentApi agent = PARLEY.agent();
        int chat;
        try (TestTab tab = TestTab.chatting(PARLEY.server().webSocketUri(), "Leaving Visitor", "g1", "Bye soon")) {
            tab.ack("g1");
            chat = agent.awaitChatNumberOf("Leaving Visitor");
            agent.awaitChat(chat, Eventually.DEADLINE, c -> Boolean.TRUE.equals(c.get("rtm_logged_in")));
        }
        // The emulator deactivates a chat whose customer has had no socket for 1 s: it is not deactivated for that.
        Map<String, Object> closed = agent.awaitChat(chat, Eventually.DEADLINE, c -> "closed".equals(c.get("state")));
        assertEquals("visitor", closed.get("closed_by"), "deactivated by Parley once the grace period ended: " + closed);
    }

    @Test
    void anExpiringTokenIsReplacedWithoutTheVisitorNoticing() throws Exception {
        AgentApi agent = PARLEY.agent();
        agent.faults("token_lifetime_s", "2");
        long minted = agent.calls("accounts:customer_token");
        try (TestTab tab = TestTab.chatting(PARLEY.server().webSocketUri(), "Expiring Visitor", "t1", "Hello")) {
            tab.ack("t1");
            int chat = agent.awaitChatNumberOf("Expiring Visitor");
            Eventually.await("a token minted again after the first expired",
                    () -> agent.calls("accounts:customer_token") >= minted + 2
                            && Boolean.TRUE.equals(agent.chat(chat).get("rtm_logged_in")));
            agent.say(chat, "Still with you");
            tab.awaitText("Still with you");
            tab.send("type", "send", "id", "t2", "text", "Good");
            tab.ack("t2");
            agent.awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).contains("Good"));
            assertEquals(List.of("Hello", "Good"), AgentApi.visitorTexts(agent.chat(chat)));
            assertFalse(tab.events().stream().anyMatch(e -> "closed".equals(e.get("kind"))), "the chat went on");
        }
    }

    @Test
    void aReturningVisitorsNewChatIsANewThreadOfTheirChatSoTheAgentSeesTheHistory() throws Exception {
        AgentApi agent = PARLEY.agent();
        try (TestTab tab = TestTab.chatting(PARLEY.server().webSocketUri(), "Returning Visitor", "r1", "First time")) {
            tab.ack("r1");
            int first = agent.awaitChatNumberOf("Returning Visitor");
            agent.close(first);
            tab.await(frame -> "closed".equals(frame.get("kind")));
            tab.send("type", "start", "id", "r2", "text", "Back again");
            tab.ack("r2");
            Eventually.await("a second thread", () -> agent.chats().stream()
                    .filter(c -> "Returning Visitor".equals(c.get("name"))).count() == 2);
            Map<String, Object> second = agent.chats().stream()
                    .filter(c -> "Returning Visitor".equals(c.get("name")) && !"closed".equals(c.get("state")))
                    .findFirst().orElseThrow();
            assertEquals(first, ((BigDecimal) second.get("previous_chat")).intValueExact(), second.toString());
            assertEquals(2, ((BigDecimal) second.get("thread")).intValueExact());
        }
    }
}
