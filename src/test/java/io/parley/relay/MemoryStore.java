package io.parley.relay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A store in memory that can be told to fail, and that counts its commits. */
final class MemoryStore implements ConversationStore {

    final Map<String, StoredConversation> records = new LinkedHashMap<>();
    volatile boolean failing;
    /** Every write tried, failed or not. */
    final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    /** Every record written, in order. */
    final List<StoredConversation> written = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public synchronized List<StoredConversation> loadAll() {
        return new ArrayList<>(records.values());
    }

    @Override
    public synchronized void save(StoredConversation conversation) {
        write(List.of(conversation), List.of());
    }

    /** While set and not counted down, writes wait for it: a disk slower than the chat. */
    volatile java.util.concurrent.CountDownLatch slowDisk;

    @Override
    public void write(List<StoredConversation> saved, List<String> deleted) {
        java.util.concurrent.CountDownLatch gate = slowDisk;
        if (gate != null) {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        writeNow(saved, deleted);
    }

    private synchronized void writeNow(List<StoredConversation> saved, List<String> deleted) {
        attempts.incrementAndGet();
        if (failing) {
            throw new IllegalStateException("disk full");
        }
        written.addAll(saved);
        saved.forEach(record -> records.put(record.key(), record));
        deleted.forEach(records::remove);
    }

    @Override
    public synchronized void delete(String key) {
        write(List.of(), List.of(key));
    }

    @Override
    public synchronized void setAside(String key) {
        records.remove(key);
    }

    @Override
    public void close() {
        // nothing held
    }

    synchronized StoredConversation only() {
        if (records.size() != 1) {
            throw new AssertionError("expected one record, found " + records.size());
        }
        return records.values().iterator().next();
    }
}
