package io.parley.limits;

import io.parley.settings.Settings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/** The limits of {@link Settings}: chat starts per visitor and per address, messages, connections. */
public final class AbuseLimits {

    private final RateLimiter startsPerVisitor;
    private final RateLimiter startsPerIp;
    private final RateLimiter messagesPerVisitor;
    private final RateLimiter connectionsPerIp;

    /** {@code clock} gives the current time in milliseconds. */
    public AbuseLimits(Settings settings, LongSupplier clock) {
        startsPerVisitor = new RateLimiter(settings.chatStartsPerVisitor(), clock);
        startsPerIp = new RateLimiter(settings.chatStartsPerIp(), clock);
        messagesPerVisitor = new RateLimiter(settings.messagesPerVisitor(), clock);
        connectionsPerIp = new RateLimiter(settings.connectionsPerIp(), clock);
    }

    /**
     * A chat start by this visitor from this address, which also counts as a message; empty when
     * allowed, else the wait. A refused start uses up none of the limits.
     */
    public Optional<Duration> chatStart(String visitor, String ip) {
        Optional<Duration> wait = startsPerVisitor.acquire(visitor);
        if (wait.isPresent()) {
            return wait;
        }
        wait = startsPerIp.acquire(ip);
        if (wait.isEmpty()) {
            wait = messagesPerVisitor.acquire(visitor);
            if (wait.isPresent()) {
                startsPerIp.refund(ip);
            }
        }
        if (wait.isPresent()) {
            startsPerVisitor.refund(visitor);
        }
        return wait;
    }

    /** A message from this visitor (the first message of a chat counts as one too). */
    public Optional<Duration> message(String visitor) {
        return messagesPerVisitor.acquire(visitor);
    }

    /** A new WebSocket connection from this address. */
    public Optional<Duration> connection(String ip) {
        return connectionsPerIp.acquire(ip);
    }
}
