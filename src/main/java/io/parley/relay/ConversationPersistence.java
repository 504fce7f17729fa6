package io.parley.relay;

import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changed conversations to the store on a thread of its own, in group commits: every
 * conversation that changed while the last write was under way goes in the next one, a single
 * commit, deletions included. No disk write happens under a conversation's lock or on a thread
 * that serves tabs, polls or the upstream, so a slow disk slows saving, not chatting.
 *
 * <p>What must be durable before it is acted on waits for a commit that holds it: a visitor's
 * message is acknowledged only once written ({@link #afterSave}), and only a write tells a
 * conversation that the messages it held are saved, which lets them go upstream: after each
 * commit, {@code afterWrite} hands them over. While the
 * store cannot be written, it says so: readiness reports it, such messages get {@code not_saved}
 * (the tab keeps them and sends them again), the write is retried every second, and the failure
 * is logged once a minute with a count, not once per change.
 */
final class ConversationPersistence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPersistence.class);
    static final Duration LOG_EVERY = Duration.ofMinutes(1);
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private final ConversationStore store;
    private final Supplier<Instant> clock;
    private final Consumer<Conversation> afterWrite;
    /** Told of a conversation another node has claimed: its write was refused, and it is to be let go. */
    private final Consumer<Conversation> drivenElsewhere;
    /** Changed since their last write, each once, with what waits for their next write; guarded by itself. */
    private final Map<Conversation, Pending> pending = new LinkedHashMap<>();
    /** Taken into the commit being written now; guarded by {@link #pending}. */
    private final Set<Conversation> writing = new HashSet<>();
    private final LinkedBlockingQueue<Boolean> wakeUp = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private final Object failureLock = new Object();
    private Instant failingSince; // guarded by failureLock
    private String lastFailure; // guarded by failureLock
    private Instant loggedAt; // guarded by failureLock
    private int unlogged; // guarded by failureLock

    /**
     * @param afterWrite called after a commit that held the conversation, e.g. to let its newly
     *                   saved messages go upstream
     */
    ConversationPersistence(ConversationStore store, Supplier<Instant> clock, Consumer<Conversation> afterWrite,
            Consumer<Conversation> drivenElsewhere) {
        this.store = store;
        this.clock = clock;
        this.afterWrite = afterWrite;
        this.drivenElsewhere = drivenElsewhere;
        this.writer = new Thread(this::writeLoop, "parley-store");
        writer.setDaemon(true);
        if (store.keeps()) {
            writer.start();
        }
    }

    /** What waits for one conversation's next write. */
    private static final class Pending {
        final List<Consumer<Boolean>> then = new ArrayList<>(1);
        boolean delete;
    }

    /** The conversation may have changed: if it did, it is written with the next commit. */
    void save(Conversation c) {
        if (!store.keeps() || !c.needsWriting()) {
            return;
        }
        enqueue(c, null, false);
    }

    /**
     * Runs {@code then} (on the writer's thread) once what the conversation holds now is written,
     * with {@code true}; with {@code false} if it could not be written. At once, with
     * {@code true}, when nothing of it waits to be written.
     */
    void afterSave(Conversation c, Consumer<Boolean> then) {
        boolean written = !store.keeps();
        if (!written) {
            boolean clean = !c.needsWriting();
            synchronized (pending) {
                written = clean && !pending.containsKey(c) && !writing.contains(c);
            }
        }
        if (written && c.handedOver()) {
            // Let go to another node meanwhile: nothing of it is written here any more, nor acknowledged.
            then.accept(false);
            return;
        }
        if (written) {
            // Every message it holds is as written as this store makes anything: it may go.
            c.allSaved();
            then.accept(true);
            afterWrite.accept(c);
        } else {
            enqueue(c, then, false);
        }
    }

    /** Deletes the conversation's record with the next commit; it is no longer written. */
    void delete(Conversation c) {
        if (store.keeps()) {
            enqueue(c, null, true);
        }
    }

    private void enqueue(Conversation c, Consumer<Boolean> then, boolean delete) {
        synchronized (pending) {
            Pending waiting = pending.computeIfAbsent(c, key -> new Pending());
            if (then != null) {
                waiting.then.add(then);
            }
            waiting.delete |= delete;
        }
        wakeUp.offer(Boolean.TRUE);
    }

    /** Moves a record that cannot be used out of the way (rare: at once, on the caller's thread). */
    void setAside(String key) {
        try {
            store.setAside(key);
        } catch (RuntimeException e) {
            LOG.error("A record that cannot be used could not be set aside: {}", e.toString());
        }
    }

    /** Why conversations cannot be saved now, while they cannot. */
    Optional<String> failure() {
        synchronized (failureLock) {
            if (failingSince == null) {
                return Optional.empty();
            }
            return Optional.of("conversations cannot be saved (for " + Duration.between(failingSince, clock.get())
                    .toSeconds() + "s): " + lastFailure);
        }
    }

    private void writeLoop() {
        while (!closing) {
            try {
                if (wakeUp.poll(1, TimeUnit.SECONDS) == null) {
                    continue;
                }
                wakeUp.clear();
                if (!writePending()) {
                    TimeUnit.MILLISECONDS.sleep(RETRY_EVERY.toMillis()); // a failing disk is not hammered
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Writing conversations failed unexpectedly", e); // the loop goes on: the next change retries
            }
        }
    }

    /** One group commit of every conversation changed since the last; returns whether it was written. */
    private boolean writePending() {
        Map<Conversation, Pending> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return true;
            }
            batch = new LinkedHashMap<>(pending);
            pending.clear();
            writing.addAll(batch.keySet());
        }
        List<StoredConversation> records = new ArrayList<>(batch.size());
        List<String> deleted = new ArrayList<>();
        // The sequence number each record written is complete up to.
        Map<Conversation, Long> savedUpTo = new LinkedHashMap<>();
        for (Map.Entry<Conversation, Pending> entry : batch.entrySet()) {
            Conversation c = entry.getKey();
            if (entry.getValue().delete) {
                deleted.add(c.key());
                continue;
            }
            try {
                // Both parts at one moment: what the upstream read (its cursor) is never ahead of
                // what the conversation relayed, nor behind it.
                UpstreamChat chat = c.chat();
                StoredConversation record = chat == null ? c.takeRecord() : chat.holding(() -> {
                    StoredConversation taken = c.takeRecord();
                    return taken == null ? null : taken.withUpstream(chat.snapshot());
                });
                if (record != null) {
                    records.add(record);
                    savedUpTo.put(c, record.lastSeq());
                }
            } catch (RuntimeException e) {
                LOG.error("Conversation {} could not be made a record: {}", c.logId(), e.toString());
            }
        }
        boolean written;
        Set<String> elsewhere = Set.of();
        try {
            try {
                store.write(records, deleted);
            } catch (ConversationStore.DrivenElsewhere e) {
                elsewhere = e.keys(); // the rest was written
            }
            written = true;
            recovered();
        } catch (RuntimeException e) {
            written = false;
            failed(batch.keySet().iterator().next().logId(), e);
        }
        for (Map.Entry<Conversation, Pending> entry : batch.entrySet()) {
            Conversation c = entry.getKey();
            // Nothing of a conversation another node claimed is shown or acknowledged from here:
            // it is let go first, and its tabs come back to the node that drives it.
            boolean itsWritten = written && !elsewhere.contains(c.key()) && !c.handedOver();
            if (written && !itsWritten) {
                savedUpTo.remove(c);
                drivenElsewhere.accept(c);
            } else if (!entry.getValue().delete) {
                c.recordWritten(itsWritten, savedUpTo.getOrDefault(c, -1L), store.showsUnwritten());
            }
            for (Consumer<Boolean> then : entry.getValue().then) {
                try {
                    then.accept(itsWritten);
                } catch (RuntimeException e) {
                    LOG.error("Conversation {}: acting on its write failed: {}", c.logId(), e.toString());
                }
            }
        }

        synchronized (pending) {
            writing.removeAll(batch.keySet());
            if (!written) {
                // Tried again by itself, not only at the next change: readiness must not stay false for nothing.
                batch.forEach((c, waiting) -> {
                    if (waiting.delete || !c.removed()) {
                        pending.computeIfAbsent(c, key -> new Pending()).delete |= waiting.delete;
                    }
                });
                wakeUp.offer(Boolean.TRUE);
            }
        }
        if (written) {
            for (Conversation c : savedUpTo.keySet()) {
                try {
                    afterWrite.accept(c);
                } catch (RuntimeException e) {
                    LOG.error("Conversation {}: acting on its write failed: {}", c.logId(), e.toString());
                }
            }
        }
        return written;
    }

    /** Writes what is pending now, on the caller's thread, and stops the writer: for a server that stops. */
    @Override
    public void close() {
        closing = true;
        wakeUp.offer(Boolean.TRUE); // not an interrupt: that would close the store's file channel mid-write
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (store.keeps()) {
            writePending();
        }
    }

    private void failed(String logId, RuntimeException e) {
        Instant now = clock.get();
        synchronized (failureLock) {
            if (failingSince == null) {
                failingSince = now;
            }
            lastFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (loggedAt != null && Duration.between(loggedAt, now).compareTo(LOG_EVERY) < 0) {
                unlogged++;
                return;
            }
            // The chats go on from memory; visitors' messages wait unacknowledged until written.
            LOG.error("Conversations could not be saved (e.g. {}; {} more failures since the last line): {}", logId,
                    unlogged, lastFailure);
            loggedAt = now;
            unlogged = 0;
        }
    }

    private void recovered() {
        synchronized (failureLock) {
            if (failingSince != null) {
                LOG.info("Conversations are saved again, after failing for {}s",
                        Duration.between(failingSince, clock.get()).toSeconds());
                failingSince = null;
                lastFailure = null;
                loggedAt = null;
                unlogged = 0;
            }
        }
    }
}
