package io.parley.limits;

import java.time.Duration;
import java.util.Optional;

/** A token bucket per key: a burst up to a count, then one more each period / count. */
public interface RateLimit {

    /**
     * Takes one from the key's bucket.
     *
     * @return empty when allowed; otherwise how long until one will be
     */
    Optional<Duration> acquire(String key);

    /** Gives back what {@link #acquire} took, when another limit refused the same action. */
    void refund(String key);
}
