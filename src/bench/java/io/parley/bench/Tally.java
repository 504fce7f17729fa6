package io.parley.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** What the tabs counted: losses, repeats and reorders (all must be zero), and latencies. */
final class Tally {

    /** Whether the tabs send seen marks (and drafts): {@code --signals}. */
    volatile boolean signals = true;
    final LongAdder lost = new LongAdder();
    final LongAdder duplicated = new LongAdder();
    final LongAdder reordered = new LongAdder();
    final LongAdder snapshots = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder agentDelivered = new LongAdder();
    private final java.util.Map<String, LongAdder> where = new java.util.concurrent.ConcurrentSkipListMap<>();
    private final List<Long> fastLatencies = new ArrayList<>();
    private final List<Long> normalLatencies = new ArrayList<>();
    private final List<long[]> deliveries = new ArrayList<>();

    /** Counts a fault found (lost, duplicated, reordered) and where it was found. */
    void found(LongAdder kind, long count, String place) {
        kind.add(count);
        where.computeIfAbsent(place, key -> new LongAdder()).add(count);
    }

    /** Where faults were found, e.g. {@code {tab agent order=3}}; empty when none. */
    String where() {
        java.util.Map<String, Long> shown = new java.util.TreeMap<>();
        where.forEach((place, count) -> shown.put(place, count.sum()));
        return shown.toString();
    }

    synchronized void agentLatency(long sentMillis, long receivedMillis, boolean fastWindow) {
        (fastWindow ? fastLatencies : normalLatencies).add(receivedMillis - sentMillis);
        deliveries.add(new long[] {sentMillis, receivedMillis});
    }

    /**
     * How long after this instant delivery resumed: when the first agent message sent at or after
     * it reached a tab, or -1 if none did.
     */
    synchronized long resumedAfter(long instantMillis) {
        long first = Long.MAX_VALUE;
        for (long[] delivery : deliveries) {
            if (delivery[0] >= instantMillis) {
                first = Math.min(first, delivery[1]);
            }
        }
        return first == Long.MAX_VALUE ? -1 : first - instantMillis;
    }

    synchronized List<Long> latencies(boolean fastWindow) {
        List<Long> sorted = new ArrayList<>(fastWindow ? fastLatencies : normalLatencies);
        Collections.sort(sorted);
        return sorted;
    }

    synchronized List<Long> allLatencies() {
        List<Long> all = new ArrayList<>(fastLatencies);
        all.addAll(normalLatencies);
        Collections.sort(all);
        return all;
    }

    /** The value at this fraction of a sorted list, or -1 when empty. */
    static long percentile(List<Long> sorted, double fraction) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(fraction * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
