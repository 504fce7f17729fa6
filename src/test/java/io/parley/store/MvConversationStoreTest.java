package io.parley.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.StoredConversation;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store keeps what it is given, and a bad file or record is set aside without stopping Parley. */
class MvConversationStoreTest {

    @TempDir
    Path dir;

    private static StoredConversation conversation(String key) {
        return new StoredConversation(key, "0badcafe", null, "p-visitor", null, "IDLE", null, null, null, 0,
                List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    @Test
    void whatIsSavedIsLoadedAfterReopeningAndWhatIsDeletedIsGone() {
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            store.save(conversation("kept"));
            store.save(conversation("deleted"));
            store.delete("deleted");
        }
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(List.of(conversation("kept")), store.loadAll());
        }
    }

    @Test
    void aFileThatIsNotAStoreIsMovedAsideAndANewOneStarted() throws Exception {
        byte[] garbage = "this is not an MVStore file".repeat(200).getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve(MvConversationStore.FILE_NAME), garbage);
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(List.of(), store.loadAll());
            store.save(conversation("after"));
        }
        List<Path> aside;
        try (var files = Files.list(dir)) {
            aside = files.filter(f -> f.getFileName().toString().startsWith(MvConversationStore.FILE_NAME + ".corrupt-"))
                    .toList();
        }
        assertEquals(1, aside.size(), "the bad file is kept for inspection");
        assertArrayEquals(garbage, Files.readAllBytes(aside.get(0)), "untouched");
    }

    @Test
    void aRecordThatCannotBeReadIsSetAsideAndTheOthersLoad() {
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            store.save(conversation("good"));
        }
        MVStore raw = new MVStore.Builder().fileName(dir.resolve(MvConversationStore.FILE_NAME).toString()).open();
        raw.<String, String>openMap("conversations").put("bad", "{not json");
        raw.close();
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(List.of(conversation("good")), store.loadAll());
            assertEquals(1, store.setAsideCount());
        }
    }

    @Test
    void aRecordParleyCannotRestoreIsSetAsideAtStartUp() throws Exception {
        StoredConversation unknownState = new StoredConversation("odd", "0badcafe", null, "p-visitor", null,
                "NO_SUCH_STATE", null, null, null, 0, List.of(), List.of(), List.of(), List.of(), List.of(), null);
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            store.save(unknownState);
            store.save(conversation("fine"));
        }
        try (TestServer server = TestServer.start(Map.of("data-dir", dir.toString()))) {
            assertNull(server.startupFailure());
        }
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(1, store.setAsideCount(), "kept for inspection, not deleted");
            assertEquals(List.of("fine"), store.loadAll().stream().map(StoredConversation::key).toList());
        }
    }

    @Test
    void parleyStartsOnACorruptStoreAndChats() throws Exception {
        Files.write(dir.resolve(MvConversationStore.FILE_NAME), new byte[] {0, 1, 2, 3, 'H', '2'});
        try (TestServer server = TestServer.start(Map.of("data-dir", dir.toString(), "emulator-demo-agent", "false"));
             TestTab tab = TestTab.chatting(server.webSocketUri(), "After Corruption", "m1", "Still here?")) {
            assertNull(server.startupFailure());
            assertEquals("m1", tab.ack("m1").get("id"));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().contains(".corrupt-")));
        }
    }
}
