package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.ClusterMembers;
import io.parley.testing.ParleyProcess;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Parley JVMs sharing their conversations on loopback, with the emulator as their upstream
 * and WebSocket tabs spread across them, each visitor with a tab on two nodes: one node is killed
 * ({@code SIGKILL}), then another frozen for 10 s ({@code SIGSTOP}). Every visitor's chat goes on
 * on the others: each message reaches every tab once and in order, each visitor message reaches
 * the agent once, no chat ends upstream, and the conversations of a dead node are driven again
 * within 10 s.
 */
class ClusterFailoverTest {

    private static final int VISITORS = 9;
    /** Failover must take at most this, the bar; measured from the kill to every chat driven again. */
    private static final Duration FAILOVER = Duration.ofSeconds(10);

    @TempDir
    Path home;

    private TestServer upstream;
    private AgentApi agent;
    private final List<ParleyProcess> nodes = new ArrayList<>();
    private final List<Map<String, String>> settings = new ArrayList<>();
    private final List<Path> homes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();
    private final List<Visitor> visitors = new ArrayList<>();
    /** Nodes killed or frozen: no tab goes there. */
    private final java.util.Set<Integer> down = new java.util.HashSet<>();

    /** A visitor with a tab on two nodes, and everything those tabs were shown. */
    private final class Visitor {
        final String name;
        final TestTab[] tabs = new TestTab[2];
        final int[] on = new int[2];
        /** What each sequence number was shown as, across every connection of both tabs. */
        final Map<Long, String> shown = new TreeMap<>();
        int chat;
        int sent;
        /** The last message sent while not yet shown: sent again by a first tab that resumes. */
        String unacknowledged;

        Visitor(String name) {
            this.name = name;
        }

        void record(TestTab tab) {
            for (Map<String, Object> event : tab.allEvents()) {
                long seq = TestTab.number(event.get("seq"));
                String text = event.get("from") + ":" + event.get("text");
                String before = shown.putIfAbsent(seq, text);
                assertTrue(before == null || before.equals(text),
                        name + " was shown " + before + " and " + text + " as event " + seq);
            }
        }
    }

    @BeforeEach
    void start() throws Exception {
        upstream = TestServer.start(Map.of("emulator-demo-agent", "false"));
        agent = new AgentApi(upstream);
        ClusterMembers members = new ClusterMembers(3);
        List<CompletableFuture<ParleyProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, String> node = members.settings(i, TestedUpstream.current().accountSettings(upstream.emulatorUri()));
            node.put("data-dir", home.resolve("node-" + i).toString());
            Path nodeHome = Files.createDirectories(home.resolve("home-" + i));
            Path log = Files.createDirectories(Path.of("target", "cluster-logs")).resolve("node-" + i + ".log");
            Files.deleteIfExists(log);
            settings.add(node);
            homes.add(nodeHome);
            logs.add(log);
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return ParleyProcess.start(nodeHome, node, log);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<ParleyProcess> node : starting) {
            nodes.add(node.get());
        }
        for (ParleyProcess node : nodes) {
            awaitMembers(node, 3);
        }
    }

    @AfterEach
    void stop() throws Exception {
        visitors.forEach(v -> {
            for (TestTab tab : v.tabs) {
                if (tab != null) {
                    tab.close();
                }
            }
        });
        for (ParleyProcess node : nodes) {
            try {
                node.thaw();
            } catch (RuntimeException e) {
                // gone already
            }
            node.close();
        }
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void aKilledNodeAndAFrozenOneLoseNothingAndDoubleNothing() throws Exception {
        for (int i = 0; i < VISITORS; i++) {
            Visitor v = new Visitor("Visitor" + i);
            v.on[0] = i % 3;
            v.on[1] = (i + 1) % 3;
            v.tabs[0] = TestTab.chatting(nodes.get(v.on[0]).webSocketUri(), v.name, "m0", v.name + " hello");
            v.tabs[0].ack("m0");
            // the second tab says hello on another node: forwarded to the one that drives the chat
            v.tabs[1] = TestTab.resume(nodes.get(v.on[1]).webSocketUri(), v.tabs[0].token(), 0);
            v.tabs[1].awaitTextAnywhere(v.name + " hello");
            v.chat = agent.awaitChatNumberOf(v.name);
            visitors.add(v);
        }
        round("before");

        Instant killed = Instant.now();
        nodes.get(0).kill();
        Duration failover = afterLosing(0, "after the kill", killed);
        assertTrue(failover.compareTo(FAILOVER) <= 0, "failover after the kill took " + failover);

        // The killed node comes back (a rolling restart's second half): conversations move to it again.
        nodes.set(0, ParleyProcess.start(homes.get(0), settings.get(0), logs.get(0)));
        awaitMembers(nodes.get(0), 3);
        down.remove(0);
        round("after the restart");

        nodes.get(1).freeze();
        Instant frozen = Instant.now();
        Duration frozenFailover;
        try {
            frozenFailover = afterLosing(1, "while one is frozen", frozen);
        } finally {
            nodes.get(1).thaw();
        }
        assertTrue(frozenFailover.compareTo(FAILOVER.plus(Duration.ofSeconds(6))) <= 0,
                "failover while frozen took " + frozenFailover);
        // The frozen node wakes up having lost what it drove: it drives nothing twice.
        awaitMembers(nodes.get(1), 3);
        down.remove(1);
        round("after the thaw");

        for (Visitor v : visitors) {
            List<String> texts = AgentApi.visitorTexts(agent.chat(v.chat));
            List<String> expected = new ArrayList<>();
            expected.add(v.name + " hello");
            for (int n = 1; n <= v.sent; n++) {
                expected.add(v.name + " says " + n);
            }
            assertEquals(expected, texts, v.name + "'s messages as the agent has them");
            assertEquals("chatting", agent.chat(v.chat).get("state"), v.name + "'s chat is still open upstream");
            checkShown(v);
        }
    }

    /**
     * The node was lost: every tab on it is dropped (as a browser does when its ping goes
     * unanswered) and every tab forwarded to it is closed by the node it is on; each resumes on
     * a node still there. Returns how long until every chat was driven again: an agent's message
     * said after the loss reached every tab.
     */
    private Duration afterLosing(int lost, String when, Instant since) throws Exception {
        down.add(lost);
        for (Visitor v : visitors) {
            for (int t = 0; t < 2; t++) {
                if (v.on[t] == lost) {
                    v.record(v.tabs[t]);
                    v.tabs[t].drop();
                }
            }
        }
        for (Visitor v : visitors) {
            assertEquals(200, agent.say(v.chat, v.name + " agent " + when).status());
        }
        Duration longest = everyTabShown(v -> v.name + " agent " + when, since);
        System.out.println("CLUSTER " + when + ": every chat driven again " + longest.toMillis() + " ms after losing node "
                + lost);
        round(when);
        return longest;
    }

    /**
     * Waits until every tab of every visitor was shown its text, resuming the tabs that were
     * closed meanwhile (and sending again the message a first tab had not seen acknowledged, as
     * the chat page does); returns the longest wait since {@code since}.
     */
    private Duration everyTabShown(java.util.function.Function<Visitor, String> text, Instant since) throws Exception {
        Map<TestTab, Instant> reached = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (reached.size() < visitors.size() * 2) {
            for (Visitor v : visitors) {
                for (int t = 0; t < 2; t++) {
                    TestTab tab = v.tabs[t];
                    if (reached.containsKey(tab)) {
                        continue;
                    }
                    if (tab.hasText(text.apply(v))) {
                        reached.put(tab, Instant.now());
                    } else if (tab.closed()) {
                        v.record(tab);
                        v.tabs[t] = resume(v, tab.token(), t);
                        if (t == 0 && v.unacknowledged != null) {
                            v.tabs[0].send("type", "send", "id", "s" + v.sent, "text", v.unacknowledged);
                        }
                    }
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not every tab was shown its visitor's text, e.g. "
                        + text.apply(visitors.get(0)));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(20));
        }
        Duration longest = Duration.ZERO;
        for (Instant at : reached.values()) {
            Duration took = Duration.between(since, at);
            longest = took.compareTo(longest) > 0 ? took : longest;
        }
        for (Visitor v : visitors) {
            for (TestTab tab : v.tabs) {
                v.record(tab);
            }
        }
        return longest;
    }

    /** Resumes a closed tab on a node that is up, as a browser would, trying the next while refused. */
    private TestTab resume(Visitor v, String token, int t) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        List<Integer> up = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            if (!down.contains(n)) {
                up.add(n);
            }
        }
        int attempt = t + v.name.length();
        while (true) {
            int node = up.get(attempt++ % up.size());
            try {
                TestTab again = TestTab.resume(nodes.get(node).webSocketUri(), token, maxSeq(v));
                assertEquals(token, again.token(), v.name + " resumed as a new visitor on node " + node);
                v.on[t] = node;
                return again;
            } catch (Exception | AssertionError e) {
                if (Instant.now().isAfter(deadline) || String.valueOf(e.getMessage()).contains("as a new visitor")) {
                    throw new AssertionError(v.name + "'s tab could not resume: " + e, e);
                }
                // told to come back: a moment later, as a browser backs off
                java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(250));
            }
        }
    }

    /** Each visitor says something and the agent answers: both tabs see both, once. */
    private void round(String when) throws Exception {
        for (Visitor v : visitors) {
            v.sent++;
            v.unacknowledged = v.name + " says " + v.sent;
            if (!v.tabs[0].closed()) {
                v.tabs[0].send("type", "send", "id", "s" + v.sent, "text", v.unacknowledged);
            }
        }
        everyTabShown(v -> v.name + " says " + v.sent, Instant.now());
        for (Visitor v : visitors) {
            v.unacknowledged = null;
            assertEquals(200, agent.say(v.chat, v.name + " answer " + when).status());
        }
        everyTabShown(v -> v.name + " answer " + when, Instant.now());
    }

    private static void awaitMembers(ParleyProcess node, int members) throws Exception {
        ClusterMembers.awaitMembers(node.uri("/healthz/ready"), members);
    }

    private static long maxSeq(Visitor v) {
        return v.shown.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    /** Every sequence number shown once, gapless from the first, and every message once. */
    private static void checkShown(Visitor v) {
        long expected = v.shown.keySet().iterator().next();
        Map<String, Integer> counts = new HashMap<>();
        for (Map.Entry<Long, String> event : v.shown.entrySet()) {
            assertEquals(expected, event.getKey().longValue(), v.name + " was shown a gap: " + v.shown);
            expected++;
            if (!event.getValue().startsWith("null:")) {
                counts.merge(event.getValue(), 1, Integer::sum);
            }
        }
        counts.forEach((text, count) -> assertEquals(1, count.intValue(), v.name + " was shown twice: " + text
                + " in " + v.shown));
    }
}
