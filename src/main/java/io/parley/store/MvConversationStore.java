package io.parley.store;

import io.parley.relay.ConversationStore;
import io.parley.relay.StoredConversation;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.stream.Stream;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Conversations in {@code conversations.mv.db} in the data directory, one JSON record per
 * conversation. Each save is committed before it returns: MVStore appends a new chunk and never
 * overwrites the last good one, so a process killed at any moment leaves a store that opens at
 * the last commit. The directory and the file are the owner's only: they hold upstream ids,
 * names, e-mail addresses and transcripts.
 *
 * <p>A file that cannot be opened is renamed aside ({@code conversations.mv.db.corrupt-<time>},
 * the newest {@value #CORRUPT_COPIES} kept) and a new one started. A record that is read but is
 * not a conversation this version knows is moved to the {@code set-aside} map; a file whose
 * records cannot all be read is rebuilt from those that can, the damaged file renamed aside. Either way the error is logged and Parley
 * starts with every record that could be read. A file held by another running Parley is never
 * touched: opening it fails with {@link InUseException}.
 */
public final class MvConversationStore implements ConversationStore {

    private static final Logger LOG = LoggerFactory.getLogger(MvConversationStore.class);
    static final String FILE_NAME = "conversations.mv.db";
    /** More conversations than any node holds ({@code max-conversations} is at most a million). */
    private static final long MAX_RECORDS = 2_000_000;
    /** How many damaged files are kept for inspection. */
    static final int CORRUPT_COPIES = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path file;
    private final Clock clock;
    private MVStore store;
    private MVMap<Object, Object> conversations;
    private MVMap<String, String> setAside;
    private MVMap<String, String> values;

    private MvConversationStore(Path file, Clock clock, MVStore store) {
        this.file = file;
        this.clock = clock;
        use(store);
    }

    private void use(MVStore opened) {
        store = opened;
        conversations = opened.openMap("conversations");
        setAside = opened.openMap("set-aside");
        values = opened.openMap("values");
    }

    /**
     * Opens the store in {@code directory}, creating both if needed.
     *
     * @throws InUseException if another running Parley holds the store
     * @throws IllegalStateException if the directory cannot be created or written
     */
    public static MvConversationStore open(Path directory, Clock clock) {
        createPrivately(directory);
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException("The data directory " + directory + " is not writable");
        }
        Path file = directory.resolve(FILE_NAME);
        MVStore opened;
        try {
            opened = openFile(file);
        } catch (RuntimeException e) {
            if (locked(e)) {
                throw new InUseException("The conversation store " + file + " is in use by another running Parley");
            }
            if (!damaged(e)) {
                // A file this process cannot use for another reason (permissions, a newer format, a file
                // system without locks) is not damaged: it is left as it is, and the start says why.
                throw new IllegalStateException("The conversation store " + file + " cannot be opened: " + e.getMessage(),
                        e);
            }
            Path aside = moveAside(file, clock);
            LOG.error("The conversation store {} cannot be read ({}); it is moved to {} and Parley starts with "
                    + "no stored conversations", file, e.getMessage(), aside.getFileName());
            opened = openFile(file);
        }
        restrict(file);
        return new MvConversationStore(file, clock, opened);
    }

    private static MVStore openFile(Path file) {
        // Saves are committed explicitly; the background writer only catches anything left over.
        return new MVStore.Builder().fileName(file.toString()).open();
    }

    private static boolean locked(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MVStoreException store && store.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                return true;
            }
            if (cause instanceof java.nio.channels.OverlappingFileLockException) {
                return true; // held by this very process
            }
        }
        return false;
    }

    /** Whether opening failed on the file's content, not on access to it. */
    private static boolean damaged(Throwable e) {
        if (e instanceof MVStoreException store) {
            return switch (store.getErrorCode()) {
                case DataUtils.ERROR_FILE_CORRUPT, DataUtils.ERROR_READING_FAILED, DataUtils.ERROR_CHUNK_NOT_FOUND,
                        DataUtils.ERROR_BLOCK_NOT_FOUND, DataUtils.ERROR_SERIALIZATION, DataUtils.ERROR_UNKNOWN_DATA_TYPE,
                        DataUtils.ERROR_INTERNAL -> !(e.getCause() instanceof java.nio.file.AccessDeniedException);
                default -> false;
            };
        }
        // Not MVStore's own: content read wrongly (a cast, a bound) rather than refused access.
        return !(e instanceof java.io.UncheckedIOException) && !(e instanceof SecurityException);
    }

    @Override
    public List<StoredConversation> loadAll() {
        List<StoredConversation> loaded = new ArrayList<>();
        Map<String, String> readable = new LinkedHashMap<>();
        Map<String, String> unusable = new LinkedHashMap<>(); // read, but not a conversation this version knows
        boolean damaged = false;
        List<Object> keys = new ArrayList<>();
        try {
            // By position, each key found from the root on its own: a damaged page costs only
            // the keys on it, where an iterator would stop at it.
            long size = conversations.sizeAsLong();
            if (size > MAX_RECORDS) {
                damaged = true; // a count no node holds: read as far as any node could
                size = MAX_RECORDS;
            }
            for (long index = 0; index < size; index++) {
                try {
                    keys.add(conversations.getKey(index));
                } catch (RuntimeException e) {
                    damaged = true;
                }
            }
        } catch (RuntimeException e) {
            damaged = true; // the root itself: nothing can be reached
        }
        for (Object key : keys) {
            Object record;
            try {
                record = conversations.get(key);
            } catch (RuntimeException e) {
                damaged = true;
                continue;
            }
            if (!(key instanceof String name) || !(record instanceof String json)) {
                damaged = true; // a page read wrongly: nothing else on it can be trusted to be rewritten
                unusable.put(String.valueOf(key), String.valueOf(record));
                continue;
            }
            try {
                loaded.add(RecordJson.read(json));
                readable.put(name, json);
            } catch (RuntimeException e) {
                unusable.put(name, json);
            }
        }
        if (damaged) {
            LOG.error("The conversation store {} is damaged; {} conversations could be read", file, loaded.size());
            rebuild(readable, unusable);
        } else {
            for (String key : unusable.keySet()) {
                LOG.error("A stored conversation cannot be read; it is set aside");
                setAside(key);
            }
        }
        return loaded;
    }

    /**
     * Starts a new file holding only what could be read, and never writes to the damaged one,
     * which is renamed aside: rewriting a damaged page could spread the damage to records on it.
     */
    private void rebuild(Map<String, String> readable, Map<String, String> unusable) {
        try {
            store.closeImmediately();
        } catch (RuntimeException e) {
            // closing a damaged store may fail too; the file is moved aside either way
        }
        Path aside = moveAside(file, clock);
        use(openFile(file));
        restrict(file);
        readable.forEach(conversations::put);
        unusable.forEach(setAside::put);
        store.commit();
        LOG.error("The damaged conversation store is moved to {}; a new one holds the {} conversations that could "
                + "be read", aside.getFileName(), readable.size());
    }

    @Override
    public void setAside(String key) {
        Object record = conversations.remove(key);
        if (record != null) {
            setAside.put(key, String.valueOf(record));
            store.commit();
        }
    }

    @Override
    public void save(StoredConversation conversation) {
        checkWritable();
        conversations.put(conversation.key(), RecordJson.write(conversation));
        store.commit();
    }

    @Override
    public void write(List<StoredConversation> saved, List<String> deleted) {
        checkWritable();
        for (StoredConversation conversation : saved) {
            conversations.put(conversation.key(), RecordJson.write(conversation));
        }
        deleted.forEach(conversations::remove);
        store.commit();
    }

    @Override
    public void delete(String key) {
        checkWritable();
        if (conversations.remove(key) != null) {
            store.commit();
        }
    }

    @Override
    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    @Override
    public void putValue(String name, String value) {
        checkWritable();
        values.put(name, value);
        store.commit();
    }

    /** A store that cannot write would keep changes in memory only, and say nothing: refuse instead. */
    private void checkWritable() {
        if (store.isClosed()) {
            throw new IllegalStateException("the conversation store " + file + " is closed after an error");
        }
        if (store.isReadOnly()) {
            throw new IllegalStateException("the conversation store " + file + " cannot be written (read-only)");
        }
    }

    /** How many records were set aside as unreadable. */
    public int setAsideCount() {
        return setAside.size();
    }

    @Override
    public String location() {
        return file.getParent().toString();
    }

    @Override
    public void close() {
        store.close();
    }

    private static void createPrivately(Path directory) {
        if (Files.isDirectory(directory)) {
            return;
        }
        try {
            if (POSIX) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new IllegalStateException("The data directory " + directory + " cannot be created: " + e, e);
        }
    }

    /** Owner-only, as the store holds upstream ids and what visitors wrote. */
    private static void restrict(Path file) {
        if (POSIX && Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException | UnsupportedOperationException e) {
                LOG.warn("The permissions of {} could not be restricted to its owner: {}", file, e.toString());
            }
        }
    }

    /** Renames a damaged file aside and deletes the oldest such copies beyond {@value #CORRUPT_COPIES}. */
    private static Path moveAside(Path file, Clock clock) {
        Path aside = file.resolveSibling(FILE_NAME + ".corrupt-" + STAMP.format(clock.instant().atZone(clock.getZone())));
        try {
            Files.move(file, aside);
        } catch (IOException e) {
            throw new IllegalStateException("The unreadable conversation store " + file + " cannot be moved aside: " + e,
                    e);
        }
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            List<Path> copies = siblings.filter(p -> p.getFileName().toString().startsWith(FILE_NAME + ".corrupt-"))
                    .sorted().toList();
            for (Path old : copies.subList(0, Math.max(0, copies.size() - CORRUPT_COPIES))) {
                Files.deleteIfExists(old);
            }
        } catch (IOException e) {
            LOG.warn("Old damaged copies of the conversation store could not be removed: {}", e.toString());
        }
        return aside;
    }

    /** The store is held by another running Parley, which must not be disturbed. */
    public static final class InUseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }
}
