package io.parley.emulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many times each call of the emulated API was received, injected failures included: how
 * tests count upstream traffic.
 */
public final class CallCounts {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void count(String call) {
        counts.computeIfAbsent(call, name -> new LongAdder()).increment();
    }

    public long of(String call) {
        LongAdder count = counts.get(call);
        return count == null ? 0 : count.sum();
    }

    /** Every call made at least once, by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> snapshot = new TreeMap<>();
        counts.forEach((call, count) -> snapshot.put(call, count.sum()));
        return snapshot;
    }

    void reset() {
        counts.clear();
    }
}
