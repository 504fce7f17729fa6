package io.parley.endtoend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.ParleyWithUpstream;
import io.parley.testing.RelaySettings;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parley restarted in-process, against an upstream that stays up: every live chat resumes with
 * the session it had (no new start), and tabs that reconnect miss nothing and see nothing twice.
 * A {@code kill -9} is played by starting from a copy of the store taken while Parley ran.
 */
class RestartTest {

    @TempDir
    Path dataDir;

    @RegisterExtension
    final ParleyWithUpstream servers = new ParleyWithUpstream();

    private TestServer startParley(Path directory) throws Exception {
        return startParley(directory, "500ms");
    }

    private TestServer startParley(Path directory, String upstreamTimeout) throws Exception {
        return servers.startParley(RelaySettings.fast("data-dir", directory.toString(), "upstream-timeout", upstreamTimeout));
    }

    @Test
    void aCrashAndAGracefulRestartEachResumeTheChatWithNothingLostOrDoubled() throws Exception {
        AgentApi agent = servers.agent();
        TestServer parley = startParley(dataDir.resolve("live"));
        String token;
        long seen;
        int chat;
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Restarted", "m1", "Hello")) {
            tab.ack("m1");
            chat = agent.chatNumberOf("Restarted");
            agent.join(chat, "Ada");
            agent.say(chat, "How can I help?");
            tab.awaitText("How can I help?");
            tab.send("type", "send", "id", "m2", "text", "My order is late");
            tab.ack("m2");
            // What a kill -9 would leave on disk: the store as it is the moment the message was acknowledged.
            copy(dataDir.resolve("live"), dataDir.resolve("crashed"));
            token = tab.token();
            seen = tab.lastSeq();
        }
        servers.stopParley();
        agent.say(chat, "Let me check that for you");

        parley = startParley(dataDir.resolve("crashed"));
        try (TestTab back = TestTab.resume(parley.webSocketUri(), token, seen)) {
            back.awaitTextAnywhere("Let me check that for you");
            agent.awaitChat(chat, Eventually.DEADLINE,
                    c -> AgentApi.visitorTexts(c).contains("My order is late"));
            back.send("type", "send", "id", "m3", "text", "Thanks");
            back.ack("m3");
            agent.awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).contains("Thanks"));
            assertFalse(Boolean.TRUE.equals(back.received().get(0).get("snapshot")), "a diff, not a new start");
            seen = back.lastSeq();
        }
        servers.stopParley(); // graceful this time
        agent.say(chat, "It ships today");

        parley = startParley(dataDir.resolve("crashed"));
        try (TestTab again = TestTab.resume(parley.webSocketUri(), token, seen)) {
            again.awaitTextAnywhere("It ships today");
            List<String> texts = again.allEvents().stream().filter(e -> "message".equals(e.get("kind")))
                    .map(e -> (String) e.get("text")).toList();
            assertEquals(List.of("It ships today"), texts, "only what was missed, once");
        }
        assertEquals(List.of("Hello", "My order is late", "Thanks"), AgentApi.visitorTexts(agent.chat(chat)),
                "every visitor message reached the agent once");
        assertEquals(1, agent.calls(TestedUpstream.current().startCount()), "no chat was started again");
        assertEquals("chatting", agent.chat(chat).get("state"));
    }

    /**
     * A store that lost its last saves (a truncated file) holds a start the visitor has since
     * given up. The start is not made again on its own: only once the visitor's tab is back, and
     * not at all when that tab saw more than the store kept.
     */
    @Test
    void aStartRestoredFromAnOlderSaveIsNotMadeForAVisitorWhoMovedOn() throws Exception {
        AgentApi agent = servers.agent();
        TestServer parley = startParley(dataDir.resolve("live"), "5s");
        agent.faults("latency_ms", "2000", "calls", TestedUpstream.current().startCall()); // long enough to copy the store while it starts
        String token;
        long seen;
        try (TestTab tab = TestTab.open(parley.webSocketUri())) {
            tab.send("type", "start", "id", "m1", "text", "Hello", "name", "Rolled Back");
            tab.ack("m1");
            copy(dataDir.resolve("live"), dataDir.resolve("older")); // saved while starting
            tab.await(frame -> "state".equals(frame.get("type")) && "waiting".equals(frame.get("state")));
            agent.clearFaults();
            tab.send("type", "close");
            // The end as an event: a tab is shown it once it is written, after the state
            tab.await(frame -> "event".equals(frame.get("type")) && "closed".equals(frame.get("kind")));
            token = tab.token();
            seen = tab.lastSeq();
        }
        servers.stopParley();
        long starts = agent.calls(TestedUpstream.current().startCount());

        parley = startParley(dataDir.resolve("older"));
        try (TestTab back = TestTab.resume(parley.webSocketUri(), token, seen)) {
            Map<String, Object> welcome = back.received().get(0);
            assertEquals("idle", welcome.get("state"), "not starting again: " + welcome);
            assertEquals(starts, agent.calls(TestedUpstream.current().startCount()));
        }
    }

    /** A chat that is gone when the server comes back (as in the demo, whose emulator restarted with it). */
    @Test
    void aChatGoneWhileTheServerWasAwayIsNotSaidToHaveEndedForInactivity() throws Exception {
        AgentApi agent = servers.agent();
        TestServer parley = startParley(dataDir.resolve("live"));
        String token;
        long seen;
        try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Forgotten", "m1", "Hello")) {
            tab.ack("m1");
            token = tab.token();
            seen = tab.lastSeq();
        }
        servers.stopParley();
        agent.reset(); // the upstream forgets every chat, as the demo's emulator does when it restarts

        parley = startParley(dataDir.resolve("live"));
        try (TestTab back = TestTab.resume(parley.webSocketUri(), token, seen)) {
            Map<String, Object> closed = back.allEvents().stream().filter(e -> "closed".equals(e.get("kind"))).findFirst()
                    .orElse(null);
            if (closed == null) { // not in the welcome: it comes with the first poll
                closed = back.await(frame -> "closed".equals(frame.get("kind")));
            }
            assertFalse(closed.toString().contains("by=timeout"), "not 'after a period of inactivity': " + closed);
            assertTrue(closed.toString().contains("by=upstream"), closed.toString());
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
