package io.parley.store;

import io.parley.relay.ConversationStore;
import io.parley.relay.StoredConversation;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations in {@code conversations.mv.db} in the data directory, one JSON record per
 * conversation. Each save is committed before it returns: MVStore appends a new chunk and never
 * overwrites the last good one, so a process killed at any moment leaves a store that opens at
 * the last commit.
 *
 * <p>A file that cannot be opened is renamed aside ({@code conversations.mv.db.corrupt-<time>})
 * and a new one started; a record that cannot be read is moved to the {@code set-aside} map.
 * Either way the error is logged once and Parley starts.
 */
public final class MvConversationStore implements ConversationStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvConversationStore.class);
    static final String FILE_NAME = "conversations.mv.db";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Jsonb jsonb = JsonbBuilder.create();
    private final MVStore store;
    private final MVMap<String, String> conversations;
    private final MVMap<String, String> setAside;

    private MvConversationStore(MVStore store) {
        this.store = store;
        this.conversations = store.openMap("conversations");
        this.setAside = store.openMap("set-aside");
    }

    /**
     * Opens the store in {@code directory}, creating both if needed.
     *
     * @throws IllegalStateException if the directory cannot be created or written
     */
    public static MvConversationStore open(Path directory, Clock clock) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("The data directory " + directory + " cannot be created: " + e, e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException("The data directory " + directory + " is not writable");
        }
        Path file = directory.resolve(FILE_NAME);
        try {
            return new MvConversationStore(openFile(file));
        } catch (RuntimeException e) {
            Path aside = directory.resolve(FILE_NAME + ".corrupt-" + STAMP.format(clock.instant().atZone(clock.getZone())));
            LOG.error("The conversation store {} cannot be read ({}); it is moved to {} and Parley starts with "
                    + "no stored conversations", file, e.getMessage(), aside.getFileName());
            try {
                Files.move(file, aside);
            } catch (IOException moveFailure) {
                throw new IllegalStateException("The unreadable conversation store " + file
                        + " cannot be moved aside: " + moveFailure, moveFailure);
            }
            return new MvConversationStore(openFile(file));
        }
    }

    private static MVStore openFile(Path file) {
        // Saves are committed explicitly; the background writer only catches anything left over.
        return new MVStore.Builder().fileName(file.toString()).open();
    }

    @Override
    public List<StoredConversation> loadAll() {
        List<StoredConversation> loaded = new ArrayList<>(conversations.size());
        for (Map.Entry<String, String> entry : conversations.entrySet()) {
            try {
                loaded.add(jsonb.fromJson(entry.getValue(), StoredConversation.class));
            } catch (RuntimeException e) {
                LOG.error("A stored conversation cannot be read ({}); it is set aside", e.getClass().getSimpleName());
                setAside(entry.getKey());
            }
        }
        return loaded;
    }

    @Override
    public void setAside(String key) {
        String record = conversations.remove(key);
        if (record != null) {
            setAside.put(key, record);
            store.commit();
        }
    }

    @Override
    public void save(StoredConversation conversation) {
        conversations.put(conversation.key(), jsonb.toJson(conversation));
        store.commit();
    }

    @Override
    public void delete(String key) {
        if (conversations.remove(key) != null) {
            store.commit();
        }
    }

    /** How many records were set aside as unreadable. */
    public int setAsideCount() {
        return setAside.size();
    }

    @Override
    public void close() {
        store.close();
    }
}
