package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.emulator.SampleFiles;
import io.parley.relay.ws.Forwarding;
import io.parley.testing.AgentApi;
import io.parley.testing.ClusterMembers;
import io.parley.testing.Scrape;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing their conversations, in this JVM (v3: files are v3's): a visitor's tabs on
 * both nodes are one conversation, driven by one node, with the other's tab, upload and file
 * requests forwarded; {@code max-conversations} counts both nodes' conversations; a node that
 * stops hands its conversations to the other, and its tabs resume there, and a visitor's chat
 * starts counted on the first are still counted on the second.
 */
class TwoNodesTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static TestServer upstream;
    private static AgentApi agent;
    private static TestServer first;
    private static TestServer second;

    @BeforeAll
    static void start() throws Exception {
        upstream = TestServer.start(Map.of("emulator-demo-agent", "false"));
        agent = new AgentApi(upstream);
        ClusterMembers members = new ClusterMembers(2);
        first = TestServer.start(node(members, 0));
        second = TestServer.start(node(members, 1));
        for (TestServer node : List.of(first, second)) {
            ClusterMembers.awaitMembers(node.uri("/healthz/ready"), 2);
        }
    }

    private static Map<String, String> node(ClusterMembers members, int i) {
        Map<String, String> settings = members.settings(i, TestedUpstream.V3.accountSettings(upstream.emulatorUri()));
        settings.put("cluster-name", "two-nodes-test");
        settings.put("max-conversations", "1"); // for the whole cluster
        settings.put("chat-starts-per-visitor", "1/1h"); // for the whole cluster too
        return settings;
    }

    @AfterAll
    static void stop() {
        for (TestServer server : new TestServer[] {second, first, upstream}) {
            if (server != null) {
                server.close();
            }
        }
    }

    @Test
    void aVisitorsTabsOnTwoNodesAreOneConversationAndANodeThatStopsHandsItOver() throws Exception {
        TestTab here = TestTab.chatting(first.webSocketUri(), "Tess", "m1", "Hello from one tab");
        TestTab there = TestTab.resume(second.webSocketUri(), here.token(), 0);
        try {
            here.ack("m1");
            there.awaitTextAnywhere("Hello from one tab");
            // A tab another node forwarded is never forwarded again (between two nodes whose views
            // differ for a moment it could go round): the node that drives the chat serves it, the
            // other sends it away to come back.
            Object secret = com.hazelcast.core.Hazelcast.getAllHazelcastInstances().iterator().next()
                    .getMap(HazelcastCluster.SECRETS).get(HazelcastCluster.FORWARDING_SECRET);
            String[] forwardedBy = {Forwarding.SECRET_HEADER, String.valueOf(secret), Forwarding.CLIENT_ADDRESS_HEADER,
                    "127.0.0.1"};
            try (TestTab forwarded = TestTab.resume(first.webSocketUri(), here.token(), 0, forwardedBy)) {
                forwarded.awaitTextAnywhere("Hello from one tab");
            }
            try (TestTab forwardedAgain = TestTab.connect(second.webSocketUri(), forwardedBy)) {
                forwardedAgain.send("type", "hello", "token", here.token(), "last_seq", 0);
                assertEquals(1012, forwardedAgain.awaitClose());
            }
            // max-conversations counts every node's: the other node, which drives none, takes no second
            try (TestTab other = TestTab.open(second.webSocketUri())) {
                other.send("type", "start", "id", "o1", "text", "Me too", "name", "Otto");
                assertEquals("busy", other.next("error").get("code"));
            }
            int chat = agent.awaitChatNumberOf("Tess");
            agent.say(chat, "Welcome, Tess");
            here.awaitText("Welcome, Tess");
            there.awaitText("Welcome, Tess");

            there.send("type", "send", "id", "m2", "text", "And from the other");
            there.ack("m2");
            here.awaitText("And from the other");
            Map<String, Object> upstreamChat = agent.awaitChat(chat, Duration.ofSeconds(30),
                    c -> AgentApi.visitorTexts(c).size() == 2);
            assertEquals(List.of("Hello from one tab", "And from the other"), AgentApi.visitorTexts(upstreamChat));
            // one conversation, numbered once: both tabs were shown the same events
            assertEquals(here.allEvents().stream().map(e -> e.get("seq") + ":" + e.get("text")).toList(),
                    there.allEvents().stream().map(e -> e.get("seq") + ":" + e.get("text")).toList());
            // A file sent and fetched through the node that does not drive the chat: both go to the one that does.
            byte[] image = SampleFiles.image();
            HttpResponse<String> upload = HTTP.send(HttpRequest.newBuilder(second.uri("/upload"))
                    .timeout(Duration.ofSeconds(60)).header("X-Parley-Token", here.token()).header("X-Parley-Id", "f1")
                    .header("X-Parley-Name", "photo.png").POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, upload.statusCode(), upload.body());
            Map<String, Object> file = here.await(frame -> "file".equals(frame.get("kind")));
            HttpResponse<byte[]> served = HTTP.send(HttpRequest.newBuilder(second.uri("/" + file.get("url")))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, served.statusCode());
            assertArrayEquals(image, served.body());
            assertEquals("image/png", served.headers().firstValue("Content-Type").orElse(""));
            assertEquals("nosniff", served.headers().firstValue("X-Content-Type-Options").orElse(""));

            Scrape.await(first.uri("/metrics"), "parley_cluster_members", v -> v == 2);
            Scrape.await(first.uri("/metrics"), "parley_cluster_conversations_driven", v -> v == 1);

            // A rolling restart's first step: the node driving the chat stops; the other takes it over.
            first.close();
            first = null;
            TestTab resumed = resume(here.token(), here.lastSeq());
            assertEquals(here.token(), resumed.token(), "resumed, not a new visitor");
            agent.say(chat, "Still here, Tess");
            resumed.awaitText("Still here, Tess");
            there.close();
            TestTab again = resume(here.token(), there.lastSeq());
            again.awaitTextAnywhere("Still here, Tess");
            resumed.send("type", "send", "id", "m3", "text", "After the handover");
            resumed.ack("m3");
            Map<String, Object> after = agent.awaitChat(chat, Duration.ofSeconds(30),
                    c -> AgentApi.visitorTexts(c).size() == 3);
            assertEquals(List.of("Hello from one tab", "And from the other", "After the handover"),
                    AgentApi.visitorTexts(after));
            assertEquals("chatting", after.get("state"), "the same chat goes on upstream");
            Map<?, ?> cluster = (Map<?, ?>) ClusterMembers.ready(second.uri("/healthz/ready")).get("cluster");
            assertEquals(1, ((Number) cluster.get("driven_here")).intValue(), cluster.toString());
            assertTrue(((Number) cluster.get("migrations")).intValue() + ((Number) cluster.get("failovers")).intValue() >= 1,
                    cluster.toString());
            // Chat starts are counted by the cluster: the node that took the conversation over
            // knows this visitor already started one chat this hour.
            resumed.send("type", "close");
            resumed.await(f -> "state".equals(f.get("type")) && "closed".equals(f.get("state")));
            resumed.send("type", "start", "id", "m4", "text", "A second chat");
            assertEquals("rate_limited", resumed.next("error").get("code"));
            resumed.close();
            again.close();
        } finally {
            here.close();
            there.close();
        }
    }

    /** Resumes on the node still up, as the chat page does: told to come back while the handover runs, it comes back. */
    private static TestTab resume(String token, long lastSeq) throws Exception {
        java.time.Instant deadline = java.time.Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return TestTab.resume(second.webSocketUri(), token, lastSeq);
            } catch (AssertionError e) {
                if (java.time.Instant.now().isAfter(deadline)) {
                    throw e;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
    }
}
