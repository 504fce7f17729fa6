package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.ClusterMembers;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every node of a cluster stops, and they start again: each kept what it drove in its own
 * {@code data-dir}, offers it back to the cluster, and the chat goes on with its history, on
 * the same chat upstream.
 */
class WholeClusterStopTest {

    @TempDir
    Path data;

    @Test
    void aChatSurvivesEveryNodeStoppingAndStartingAgain() throws Exception {
        try (TestServer upstream = TestServer.start(Map.of("emulator-demo-agent", "false"))) {
            AgentApi agent = new AgentApi(upstream);
            TestServer[] nodes = start(upstream, new ClusterMembers(2));
            String token;
            long notedAt;
            int chat;
            try (TestTab tab = TestTab.chatting(nodes[0].webSocketUri(), "Wren", "m1", "Before the stop")) {
                tab.ack("m1");
                chat = agent.awaitChatNumberOf("Wren");
                agent.say(chat, "Noted, Wren");
                notedAt = TestTab.number(tab.awaitText("Noted, Wren").get("seq"));
                token = tab.token();
            }
            nodes[1].close();
            nodes[0].close();

            nodes = start(upstream, new ClusterMembers(2));
            try {
                TestTab again = resume(nodes[1], token);
                assertEquals(token, again.token(), "the same visitor, not a new one");
                again.awaitTextAnywhere("Before the stop");
                again.awaitTextAnywhere("Noted, Wren");
                agent.say(chat, "Welcome back, Wren");
                again.awaitText("Welcome back, Wren");
                again.send("type", "send", "id", "m2", "text", "After the start");
                again.ack("m2");
                Map<String, Object> upstreamChat = agent.awaitChat(chat, Duration.ofSeconds(30),
                        c -> AgentApi.visitorTexts(c).size() == 2);
                assertEquals(List.of("Before the stop", "After the start"), AgentApi.visitorTexts(upstreamChat));
                assertEquals(notedAt, again.allEvents().stream().filter(e -> "Noted, Wren".equals(e.get("text")))
                        .mapToLong(e -> TestTab.number(e.get("seq"))).findFirst().orElse(-1),
                        "numbered as before: " + again.allEvents());
                again.close();
            } finally {
                nodes[1].close();
                nodes[0].close();
            }
        }
    }

    private TestServer[] start(TestServer upstream, ClusterMembers members) throws Exception {
        TestServer[] nodes = new TestServer[2];
        for (int i = 0; i < 2; i++) {
            Map<String, String> settings = members.settings(i, TestedUpstream.V3.accountSettings(upstream.emulatorUri()));
            settings.put("cluster-name", "whole-stop-test");
            settings.put("data-dir", data.resolve("node-" + i).toString());
            nodes[i] = TestServer.start(settings);
        }
        for (TestServer node : nodes) {
            ClusterMembers.awaitMembers(node.uri("/healthz/ready"), 2);
        }
        return nodes;
    }

    /** Resumes as the chat page would: told to come back while the conversation is taken back, it comes back. */
    private static TestTab resume(TestServer node, String token) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return TestTab.resume(node.webSocketUri(), token, 0);
            } catch (AssertionError e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
    }
}
