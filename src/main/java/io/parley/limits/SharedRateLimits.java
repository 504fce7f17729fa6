package io.parley.limits;

import io.parley.settings.Rate;
import java.util.function.LongSupplier;

/**
 * Makes the rate limits that must count what every node lets through (chat starts): on a node
 * alone they are this node's; in a cluster they are kept by the cluster, so that neither a
 * round-robin balancer nor a failover gives a visitor or an address a fresh allowance.
 */
@FunctionalInterface
public interface SharedRateLimits {

    /** A limit of this name (its setting's), at this rate. */
    RateLimit limit(String name, Rate rate);

    /** Limits kept in this node, on this clock (milliseconds). */
    static SharedRateLimits local(LongSupplier clock) {
        return (name, rate) -> new RateLimiter(rate, clock);
    }
}
