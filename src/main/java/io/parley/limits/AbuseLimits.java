package io.parley.limits;

import io.parley.settings.Settings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/** The limits of {@link Settings}: chat starts per visitor and per address, messages, connections. */
public final class AbuseLimits {

    private final RateLimiter startsPerVisitor;
    private final RateLimiter startsPerIp;
    private final RateLimiter messagesPerVisitor;
    private final RateLimiter connectionsPerIp;
    private final Consumer<String> refused;

    /** {@code clock} gives the current time in milliseconds. */
    public AbuseLimits(Settings settings, LongSupplier clock) {
        this(settings, clock, limit -> { });
    }

    /**
     * @param refused told the name of the limit (its setting's, with {@code _} for {@code -}) each
     *                time one refuses
     */
    public AbuseLimits(Settings settings, LongSupplier clock, Consumer<String> refused) {
        this.refused = refused;
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
            return refused("chat_starts_per_visitor", wait);
        }
        wait = startsPerIp.acquire(ip);
        String limit = "chat_starts_per_ip";
        if (wait.isEmpty()) {
            wait = messagesPerVisitor.acquire(visitor);
            limit = "messages_per_visitor";
            if (wait.isPresent()) {
                startsPerIp.refund(ip);
            }
        }
        if (wait.isPresent()) {
            startsPerVisitor.refund(visitor);
        }
        return refused(limit, wait);
    }

    /** A message from this visitor (the first message of a chat counts as one too). */
    public Optional<Duration> message(String visitor) {
        return refused("messages_per_visitor", messagesPerVisitor.acquire(visitor));
    }

    /** A new WebSocket connection from this address. */
    public Optional<Duration> connection(String ip) {
        return refused("connections_per_ip", connectionsPerIp.acquire(ip));
    }

    private Optional<Duration> refused(String limit, Optional<Duration> wait) {
        if (wait.isPresent()) {
            refused.accept(limit);
        }
        return wait;
    }
}
