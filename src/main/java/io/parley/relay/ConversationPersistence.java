package io.parley.relay;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes changed conversations to the store on a thread of its own, in group commits: every
 * conversation that changed while the last write was under way goes in the next one, a single
 * commit. No disk write happens under a conversation's lock or on a thread that serves tabs or
 * the upstream, so a slow disk slows saving, not chatting.
 *
 * <p>What must be durable before it is acted on waits for the commit that holds it: a visitor's
 * message is acknowledged, and sent upstream, only once written ({@link #afterSave}). While the
 * store cannot be written, it says so: readiness reports it, such messages get {@code not_saved}
 * (the tab keeps them and sends them again), and the failure is logged once a minute with a
 * count, not once per change.
 */
final class ConversationPersistence implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationPersistence.class);
    static final Duration LOG_EVERY = Duration.ofMinutes(1);

    private final ConversationStore store;
    private final Supplier<Instant> clock;
    /** Conversations changed since their last write, each once, with what waits for their next write. */
    private final Map<Conversation, List<Consumer<Boolean>>> pending = new LinkedHashMap<>(); // guarded by itself
    private final LinkedBlockingQueue<Boolean> wakeUp = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private final Object failureLock = new Object();
    private Instant failingSince; // guarded by failureLock
    private String lastFailure; // guarded by failureLock
    private Instant loggedAt; // guarded by failureLock
    private int unlogged; // guarded by failureLock

    ConversationPersistence(ConversationStore store, Supplier<Instant> clock) {
        this.store = store;
        this.clock = clock;
        this.writer = new Thread(this::writeLoop, "parley-store");
        writer.setDaemon(true);
        if (store.keeps()) {
            writer.start();
        }
    }

    /** The conversation changed (called under its lock): it is written with the next commit. */
    void save(Conversation c) {
        if (!c.dirty || c.removed || !store.keeps()) {
            return;
        }
        enqueue(c, null);
    }

    /**
     * Runs {@code then} (under the conversation's lock, on the writer's thread) once what the
     * conversation holds now is written, with {@code true}; with {@code false} if it could not be
     * written. At once, with {@code true}, when nothing needs writing.
     */
    void afterSave(Conversation c, Consumer<Boolean> then) {
        if (!store.keeps() || (!c.dirty && !isPending(c))) {
            then.accept(true);
            return;
        }
        enqueue(c, then);
    }

    private boolean isPending(Conversation c) {
        synchronized (pending) {
            return pending.containsKey(c);
        }
    }

    private void enqueue(Conversation c, Consumer<Boolean> then) {
        synchronized (pending) {
            List<Consumer<Boolean>> waiting = pending.computeIfAbsent(c, key -> new ArrayList<>(1));
            if (then != null) {
                waiting.add(then);
            }
        }
        wakeUp.offer(Boolean.TRUE);
    }

    void delete(Conversation c) {
        synchronized (pending) {
            pending.remove(c);
        }
        try {
            store.delete(c.key());
        } catch (RuntimeException e) {
            failed(c.logId(), e);
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
                writePending();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("Writing conversations failed unexpectedly", e); // the loop goes on: the next change retries
            }
        }
    }

    /** One group commit of every conversation changed since the last; returns whether it was written. */
    private boolean writePending() {
        Map<Conversation, List<Consumer<Boolean>>> batch;
        synchronized (pending) {
            if (pending.isEmpty()) {
                return true;
            }
            batch = new LinkedHashMap<>(pending);
            pending.clear();
        }
        List<StoredConversation> records = new ArrayList<>(batch.size());
        for (Conversation c : batch.keySet()) {
            synchronized (c) {
                if (c.dirty && !c.removed) {
                    records.add(ConversationRecords.of(c));
                    c.dirty = false;
                }
            }
        }
        boolean written;
        try {
            store.saveAll(records);
            written = true;
            recovered();
        } catch (RuntimeException e) {
            written = false;
            failed(batch.keySet().iterator().next().logId(), e);
        }
        for (Map.Entry<Conversation, List<Consumer<Boolean>>> entry : batch.entrySet()) {
            Conversation c = entry.getKey();
            synchronized (c) {
                if (!written) {
                    c.dirty = true; // written with the next change, or the tab's next try
                }
                for (Consumer<Boolean> then : entry.getValue()) {
                    then.accept(written);
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
