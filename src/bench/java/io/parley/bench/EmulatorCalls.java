package io.parley.bench;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/**
 * The emulator's count of the calls it received ({@code /emulator/agent/api/calls}), read at two
 * instants: what Parley asked of the upstream in between, by call.
 */
record EmulatorCalls(Map<String, Long> counts) {

    static EmulatorCalls of(ServerProcess upstream) throws Exception {
        Map<String, Object> json = ServerProcess.json(upstream.get("/emulator/agent/api/calls"));
        Map<String, Long> counts = new TreeMap<>();
        json.forEach((call, count) -> counts.put(call, ((BigDecimal) count).longValue()));
        return new EmulatorCalls(counts);
    }

    /** The calls made since this reading, by name (those made at least once). */
    Map<String, Long> until(EmulatorCalls later) {
        Map<String, Long> made = new TreeMap<>();
        later.counts.forEach((call, count) -> {
            long since = count - counts.getOrDefault(call, 0L);
            if (since > 0) {
                made.put(call, since);
            }
        });
        return made;
    }
}
