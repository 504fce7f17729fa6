package io.parley.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.StoredConversation;
import io.parley.testing.Http;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The store keeps what it is given, and a bad file or record is set aside without stopping Parley. */
class MvConversationStoreTest {

    @TempDir
    Path dir;

    private static StoredConversation conversation(String key) {
        return StoredConversation.of(key, "0badcafe", null, "IDLE", null, null, null, 0, List.of(), List.of(),
                List.of(), null, "", "{\"visitorId\":\"p-visitor\"}");
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
        StoredConversation unknownState = StoredConversation.of("odd", "0badcafe", null, "NO_SUCH_STATE", null, null,
                null, 0, List.of(), List.of(), List.of(), null, "", "{\"visitorId\":\"p-visitor\"}");
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            store.save(unknownState);
            store.save(conversation("fine"));
        }
        try (TestServer server = TestServer.start(Map.of("data-dir", dir.toString(), "demo-upstream", "v2"))) {
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

    @Test
    void aRecordOfAnotherTypeIsSetAsideInsteadOfStoppingTheStart() {
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            store.save(conversation("good"));
        }
        MVStore raw = new MVStore.Builder().fileName(dir.resolve(MvConversationStore.FILE_NAME).toString()).open();
        raw.<String, Object>openMap("conversations").put("long", 42L);
        raw.<Object, Object>openMap("conversations").put(7L, "a key that is no key");
        raw.close();
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(List.of(conversation("good")), store.loadAll());
            assertEquals(2, store.setAsideCount());
        }
    }

    @Test
    void aStoreHeldByAnotherRunningParleyIsLeftAlone() throws Exception {
        try (MvConversationStore first = MvConversationStore.open(dir, Clock.systemUTC())) {
            first.save(conversation("theirs"));
            assertThrows(MvConversationStore.InUseException.class, () -> MvConversationStore.open(dir, Clock.systemUTC()));
            first.save(conversation("still theirs"));
        }
        try (var files = Files.list(dir)) {
            assertEquals(List.of(MvConversationStore.FILE_NAME), files.map(f -> f.getFileName().toString()).toList(),
                    "not moved aside as if it were damaged");
        }
        try (MvConversationStore store = MvConversationStore.open(dir, Clock.systemUTC())) {
            assertEquals(2, store.loadAll().size());
        }
    }

    @Test
    void theDirectoryAndTheFileAreTheOwnersOnlyAndFewDamagedCopiesAreKept() throws Exception {
        Path data = dir.resolve("data");
        for (int i = 0; i < MvConversationStore.CORRUPT_COPIES + 2; i++) {
            if (Files.exists(data)) {
                Files.write(data.resolve(MvConversationStore.FILE_NAME), ("not a store " + i).repeat(100).getBytes(UTF_8));
            }
            MvConversationStore.open(data, Clock.systemUTC()).close();
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve(MvConversationStore.FILE_NAME))));
        try (var files = Files.list(data)) {
            assertEquals(MvConversationStore.CORRUPT_COPIES,
                    files.filter(f -> f.getFileName().toString().contains(".corrupt-")).count());
        }
    }

    /**
     * Bytes flipped at random places after the header, on a seeded schedule: the store opens,
     * loads every record that an independent reader can still read, restores nothing it made up,
     * and takes new writes; Parley starts on it.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void damagedRecordsAtRandomPlacesCostOnlyThemselves(long seed) throws Exception {
        Random random = new Random(seed);
        Path data = dir.resolve("data");
        Map<String, StoredConversation> saved = new LinkedHashMap<>();
        try (MvConversationStore store = MvConversationStore.open(data, Clock.systemUTC())) {
            for (int i = 0; i < 60; i++) {
                StoredConversation c = StoredConversation.of("key-" + i, "0badcafe", null, "IDLE", null, null, null, i,
                        List.of(), List.of(), List.of(), (long) i, "", "{\"visitorId\":\"visitor-" + i + "\"}");
                store.save(c);
                saved.put(c.key(), c);
            }
        }
        Path file = data.resolve(MvConversationStore.FILE_NAME);
        MVStore compacting = new MVStore.Builder().fileName(file.toString()).open();
        compacting.compactFile(10_000); // live records only, so that the damage falls on them
        compacting.close();
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 3; i++) {
            int at = 8192 + random.nextInt(bytes.length - 8192);
            bytes[at] = (byte) (bytes[at] ^ (1 + random.nextInt(255)));
        }
        Files.write(file, bytes);
        Path copy = dir.resolve("copy.mv.db");
        Files.write(copy, bytes);
        Set<String> readable = readableByItself(copy, saved);

        List<StoredConversation> loaded;
        try (MvConversationStore store = MvConversationStore.open(data, Clock.systemUTC())) {
            loaded = store.loadAll();
            store.save(conversation("after the damage"));
        }
        for (StoredConversation c : loaded) {
            assertEquals(saved.get(c.key()), c, "a loaded record is one that was saved, whole");
        }
        Set<String> keys = loaded.stream().map(StoredConversation::key).collect(Collectors.toSet());
        assertTrue(keys.containsAll(readable), "every readable record is kept: " + readable.size() + " readable, "
                + keys.size() + " loaded");
        try (MvConversationStore store = MvConversationStore.open(data, Clock.systemUTC())) {
            List<String> reopened = store.loadAll().stream().map(StoredConversation::key).toList();
            assertTrue(reopened.containsAll(keys) && reopened.contains("after the damage"), "and takes new writes: " + reopened);
        }
        try (TestServer server = TestServer.start(Map.of("data-dir", data.toString(), "demo-upstream", "v2"))) {
            assertNull(server.startupFailure());
            assertEquals(200, Http.get(server.uri("/healthz")).status());
            assertEquals(keys.size() + 1, server.parley().relay().conversations(), "every chat it could read");
        }
    }

    /** The records of {@code saved} that a plain MVStore reads back intact from the damaged file. */
    private static Set<String> readableByItself(Path file, Map<String, StoredConversation> saved) {
        Set<String> readable = new HashSet<>();
        MVStore raw;
        try {
            raw = new MVStore.Builder().fileName(file.toString()).readOnly().open();
        } catch (RuntimeException e) {
            return readable; // the file itself cannot be opened: nothing is readable
        }
        try {
            MVMap<Object, Object> map = raw.openMap("conversations");
            Jsonb jsonb = JsonbBuilder.create();
            for (Map.Entry<String, StoredConversation> entry : saved.entrySet()) {
                try {
                    if (map.get(entry.getKey()) instanceof String json
                            && entry.getValue().equals(jsonb.fromJson(json, StoredConversation.class))) {
                        readable.add(entry.getKey());
                    }
                } catch (RuntimeException e) {
                    // unreadable
                }
            }
        } catch (RuntimeException e) {
            // the map itself cannot be opened
        } finally {
            try {
                raw.closeImmediately();
            } catch (RuntimeException e) {
                // damaged
            }
        }
        return readable;
    }
}
