package io.parley.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Connections open now per client address, up to a cap; an address with none takes no memory. */
final class OpenConnections {

    private final int max;
    private final Map<String, Integer> open = new ConcurrentHashMap<>();

    OpenConnections(int max) {
        this.max = max;
    }

    /** Counts one more from this address, unless it holds the most already. */
    boolean open(String ip) {
        boolean[] allowed = {false};
        open.compute(ip, (address, count) -> {
            int now = count == null ? 0 : count;
            allowed[0] = now < max;
            return allowed[0] ? now + 1 : count;
        });
        return allowed[0];
    }

    void closed(String ip) {
        open.computeIfPresent(ip, (address, count) -> count <= 1 ? null : count - 1);
    }

    /** Connections open from this address now. */
    int of(String ip) {
        return open.getOrDefault(ip, 0);
    }
}
