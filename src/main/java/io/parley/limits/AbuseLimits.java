package io.parley.limits;

import io.parley.settings.Settings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The limits of {@link Settings}: chat starts per visitor and per address, messages, connections
 * opened per address and held open per address. Each refusal is counted and logged quietly.
 */
public final class AbuseLimits {

    private final RateLimit startsPerVisitor;
    private final RateLimit startsPerIp;
    private final RateLimiter messagesPerVisitor;
    private final RateLimiter connectionsPerIp;
    private final OpenConnections openConnections;
    private final Consumer<String> limited;
    private final Refusals refusals;

    /** {@code clock} gives the current time in milliseconds. */
    public AbuseLimits(Settings settings, LongSupplier clock) {
        this(settings, clock, limit -> { }, reason -> { }, SharedRateLimits.local(clock));
    }

    /**
     * @param limited told the name of the rate limit (its setting's, with {@code _} for {@code -})
     *                each time one refuses
     * @param refused told the {@link Refusals.Reason#label()} of every other refusal
     * @param shared  where chat starts are counted: by this node, or by every node of its cluster
     *                (messages are counted where the visitor's conversation is driven, connections
     *                where they are held)
     */
    public AbuseLimits(Settings settings, LongSupplier clock, Consumer<String> limited, Consumer<String> refused,
            SharedRateLimits shared) {
        this.limited = limited;
        this.refusals = new Refusals(refused, clock);
        openConnections = new OpenConnections(settings.tabsPerIp());
        startsPerVisitor = shared.limit("chat-starts-per-visitor", settings.chatStartsPerVisitor());
        startsPerIp = shared.limit("chat-starts-per-ip", settings.chatStartsPerIp());
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

    /** A new WebSocket connection from this address, counted against the rate of new ones. */
    public Optional<Duration> connection(String ip) {
        return refused("connections_per_ip", connectionsPerIp.acquire(ip));
    }

    /**
     * A connection from this address held open from now, if fewer than {@code tabs-per-ip} are;
     * the caller gives it back with {@link #connectionClosed(String)} once it closes.
     */
    public boolean openConnection(String ip) {
        if (openConnections.open(ip)) {
            return true;
        }
        refusals.refused(Refusals.Reason.TABS_PER_IP);
        return false;
    }

    /** A connection that {@link #openConnection(String)} let in has closed. */
    public void connectionClosed(String ip) {
        openConnections.closed(ip);
    }

    /** Where the other refusals are counted and logged. */
    public Refusals refusals() {
        return refusals;
    }

    private Optional<Duration> refused(String limit, Optional<Duration> wait) {
        if (wait.isPresent()) {
            limited.accept(limit);
            refusals.limited(limit, "Refused a request by the limit " + limit.replace('_', '-'));
        }
        return wait;
    }
}
