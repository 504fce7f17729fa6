package io.parley.livechat.v3;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The statuses of the account's groups ({@code online}, {@code online_for_queue}, {@code offline}),
 * one view for the whole node: read with {@code list_group_statuses} ({@code all: true}), a call a
 * customer token may make before any chat, through one customer of the node's own, every
 * {@code interval} while tabs ask for it (and once at once when a tab asks after a quiet spell).
 * A node that no tab asks costs nothing; a busy one one call per interval, whatever its visitors.
 * The {@code groups_status_updated} pushes that visitors' sockets bring are merged in between.
 */
final class GroupStatuses {

    private static final Logger LOG = LoggerFactory.getLogger(GroupStatuses.class);

    /** Reads after which a view that could not be refreshed is no longer trusted. */
    private static final int STALE_AFTER = 3;

    private final LiveChatV3 upstream;
    private final Duration interval;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    // guarded by this
    private Map<Integer, String> statuses;
    private Instant readAt = Instant.MIN;
    private Instant askedAt = Instant.MIN;
    private boolean reading;
    private boolean scheduled;
    private String entityId;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    GroupStatuses(LiveChatV3 upstream, Duration interval) {
        this.upstream = upstream;
        this.interval = interval;
    }

    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /** Whether the group takes chats now, if known; asking keeps the view refreshed. */
    Optional<Boolean> online(int group) {
        boolean readNow;
        Optional<Boolean> answer;
        synchronized (this) {
            Instant now = upstream.now();
            askedAt = now;
            readNow = !reading && !scheduled && !upstream.stopped();
            if (readNow) {
                reading = true;
            }
            // A view from before a quiet spell is not told: the read just asked for tells the truth.
            String status = fresh(now) ? statuses.get(group) : null;
            answer = status == null ? Optional.empty() : Optional.of(!"offline".equals(status));
        }
        if (readNow) {
            read();
        }
        return answer;
    }

    /** Whether the view is recent enough to tell a visitor. */
    private boolean fresh(Instant now) {
        return statuses != null && !readAt.plus(interval.multipliedBy(STALE_AFTER)).isBefore(now);
    }

    /** A {@code groups_status_updated} push: the group's status now. */
    void pushed(int group, String status) {
        boolean changed;
        synchronized (this) {
            if (statuses == null) {
                return; // a view of one group only would answer "unknown" for the others as if known
            }
            Map<Integer, String> next = new HashMap<>(statuses);
            next.put(group, status);
            changed = !next.equals(statuses);
            statuses = next;
        }
        if (changed) {
            tell();
        }
    }

    private void read() {
        token().thenCompose(customerToken -> upstream.api().call(customerToken, "list_group_statuses",
                Map.of("all", true)).whenComplete((answer, failure) -> {
                    if (failure != null && V3Failure.of(failure).kind() == V3Failure.Kind.AUTHENTICATION) {
                        forgetToken(customerToken);
                    }
                })).whenComplete(this::answered);
    }

    private void answered(Map<String, Object> answer, Throwable failure) {
        boolean changed = false;
        boolean again;
        synchronized (this) {
            reading = false;
            Instant now = upstream.now();
            Map<String, Object> read = failure == null ? Json.object(answer, "groups_status") : null;
            if (read != null) {
                Map<Integer, String> next = new HashMap<>();
                read.forEach((id, status) -> {
                    try {
                        if (status instanceof String text) {
                            next.put(Integer.parseInt(id), text);
                        }
                    } catch (NumberFormatException e) {
                        // a group id that is not a number is no group a tab can name
                    }
                });
                // Told anew also when it was too old to be told: tabs that asked meanwhile heard "not known".
                changed = !next.equals(statuses) || !fresh(now);
                statuses = next;
                readAt = now;
            } else {
                LOG.info("The groups' statuses could not be read: {}", failure == null ? "no groups_status in the answer"
                        : V3Failure.describe(failure));
                if (statuses != null && readAt.plus(interval.multipliedBy(STALE_AFTER)).isBefore(now)) {
                    statuses = null; // too old to tell a visitor: the start says whether anyone is there
                    changed = true;
                }
            }
            // Read again while tabs ask; a node nobody asks stops reading.
            again = !upstream.stopped() && askedAt.plus(interval.multipliedBy(2)).isAfter(now);
            scheduled = again;
        }
        if (changed) {
            tell();
        }
        if (again) {
            upstream.scheduler().schedule(() -> {
                synchronized (this) {
                    scheduled = false;
                    if (reading || upstream.stopped()) {
                        return;
                    }
                    reading = true;
                }
                read();
            }, interval);
        }
    }

    private void tell() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("A listener of the groups' statuses failed", e);
            }
        }
    }

    /** The token of the node's own customer, minted again for the same customer before its end. */
    private CompletableFuture<String> token() {
        String customer;
        synchronized (this) {
            if (token != null && upstream.now().plus(AgentTokens.MARGIN).isBefore(tokenExpires)) {
                return CompletableFuture.completedFuture(token);
            }
            customer = entityId;
        }
        return upstream.agentTokens().current()
                .thenCompose(agentToken -> upstream.accounts().customerToken(agentToken, customer))
                .thenApply(grant -> {
                    synchronized (this) {
                        entityId = grant.entityId();
                        token = grant.accessToken();
                        tokenExpires = upstream.now().plus(grant.expiresIn());
                    }
                    return grant.accessToken();
                });
    }

    private synchronized void forgetToken(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }
}
