package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.ParleyProcess;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.TestedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * As a new user would find it: Parley started with no storage setting, a chat in progress, the
 * process killed ({@code SIGKILL}) and started again with the same command. The chat is resumed
 * from the default store under the user's home, with no new chat upstream.
 */
class KilledAndStartedAgainTest {

    @TempDir
    Path home;

    private TestServer upstream;
    private AgentApi agent;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = TestServer.start(Map.of("emulator-demo-agent", "false"));
        agent = new AgentApi(upstream);
    }

    @AfterEach
    void stopUpstream() {
        upstream.close();
    }

    @Test
    void aChatSurvivesAKillWithNoSettingsAndNoNewStart() throws Exception {
        Map<String, String> settings = TestedUpstream.current().accountSettings(upstream.emulatorUri());
        Path log = home.resolve("parley.log");
        String token;
        long seen;
        int chat;
        try (ParleyProcess parley = ParleyProcess.start(home, settings, log)) {
            try (TestTab tab = TestTab.chatting(parley.webSocketUri(), "Killed", "m1", "Hello")) {
                tab.ack("m1");
                chat = agent.chatNumberOf("Killed");
                agent.say(chat, "How can I help?");
                tab.awaitText("How can I help?");
                tab.send("type", "send", "id", "m2", "text", "Where is my parcel?");
                tab.ack("m2");
                token = tab.token();
                seen = tab.lastSeq();
                parley.kill();
            }
        }
        agent.say(chat, "Said while Parley was down");
        long starts = agent.calls(TestedUpstream.current().startCount());

        try (ParleyProcess parley = ParleyProcess.start(home, settings, log);
             TestTab back = TestTab.resume(parley.webSocketUri(), token, seen)) {
            back.awaitTextAnywhere("Said while Parley was down");
            back.send("type", "send", "id", "m3", "text", "Still here");
            back.ack("m3");
            agent.awaitChat(chat, Eventually.DEADLINE, c -> AgentApi.visitorTexts(c).contains("Still here"));
            assertEquals(List.of("Hello", "Where is my parcel?", "Still here"), AgentApi.visitorTexts(agent.chat(chat)),
                    "every message once: none lost in the kill, none sent twice after it");
            assertEquals(starts, agent.calls(TestedUpstream.current().startCount()), "the chat was resumed, not started again");
        }

        Path store;
        try (Stream<Path> places = Files.list(home.resolve(".parley"))) {
            store = places.findFirst().orElseThrow();
        }
        assertTrue(store.getFileName().toString().startsWith("ROOT-"), "named after the context: " + store);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(store.resolve("conversations.mv.db"))));
        assertTrue(Files.readString(log).contains("conversations kept in " + store), "the start line says where");
    }

    @Test
    void twoParleysOnOneMachineDoNotShareAStoreAndAnUnwritableDefaultKeepsChatsInMemory() throws Exception {
        Map<String, String> settings = TestedUpstream.current().accountSettings(upstream.emulatorUri());
        Path log = home.resolve("two.log");
        try (ParleyProcess first = ParleyProcess.start(home, settings, log);
             ParleyProcess second = ParleyProcess.start(home, settings, log)) {
            List<String> places;
            try (Stream<Path> dirs = Files.list(home.resolve(".parley"))) {
                places = dirs.map(dir -> dir.getFileName().toString()).sorted().toList();
            }
            assertEquals(2, places.size(), "one store each: " + places);
            assertTrue(places.get(1).equals(places.get(0) + "-2"), "the second takes the place beside: " + places);
        }

        Path notADirectory = home.resolve("a-file");
        Files.writeString(notADirectory, "a home that cannot hold .parley");
        Path memoryLog = home.resolve("memory.log");
        try (ParleyProcess parley = ParleyProcess.start(notADirectory, settings, memoryLog);
             TestTab tab = TestTab.chatting(parley.webSocketUri(), "In Memory", "m1", "Hello")) {
            tab.ack("m1");
        }
        String lines = Files.readString(memoryLog);
        assertEquals(1, count(lines, "Conversations are kept in memory only"), "one warning: " + lines);
        assertTrue(lines.contains("conversations kept in memory only"), "the start line says so");
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }
}
