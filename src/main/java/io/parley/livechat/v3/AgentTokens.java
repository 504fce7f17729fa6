package io.parley.livechat.v3;

import io.parley.tasks.TaskScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent access token Parley mints customers' tokens with: refreshed from the refresh token
 * before it expires, once for all callers however many ask at once. A refresh token the accounts
 * service rotates is kept at once, as the old one may stop working.
 */
final class AgentTokens {

    private static final Logger LOG = LoggerFactory.getLogger(AgentTokens.class);
    /** A token this close to its end is refreshed before use. */
    static final Duration MARGIN = Duration.ofMinutes(5);

    private final Accounts accounts;
    private final RefreshTokenStore refreshTokens;
    private final TaskScheduler clock;
    private String token;
    private Instant expires = Instant.MIN;
    private CompletableFuture<String> refreshing;

    AgentTokens(Accounts accounts, RefreshTokenStore refreshTokens, TaskScheduler clock) {
        this.accounts = accounts;
        this.refreshTokens = refreshTokens;
        this.clock = clock;
    }

    /** A valid agent access token, refreshed first if needed. */
    synchronized CompletableFuture<String> current() {
        if (token != null && clock.now().plus(MARGIN).isBefore(expires)) {
            return CompletableFuture.completedFuture(token);
        }
        if (refreshing != null) {
            return refreshing;
        }
        String refreshToken = refreshTokens.current();
        CompletableFuture<String> started = new CompletableFuture<>();
        refreshing = started;
        // It may answer at once, on this thread, which then finds refreshing cleared already.
        accounts.refresh(refreshToken).whenComplete((grant, failure) -> refreshed(started, refreshToken, grant, failure));
        return started;
    }

    /** The token was refused: the next caller gets a fresh one. */
    synchronized void invalidate(String refused) {
        if (refused != null && refused.equals(token)) {
            token = null;
        }
    }

    private void refreshed(CompletableFuture<String> started, String used, Accounts.AgentGrant grant, Throwable failure) {
        synchronized (this) {
            refreshing = null;
            if (failure == null) {
                token = grant.accessToken();
                expires = clock.now().plus(grant.expiresIn());
            }
        }
        if (failure != null) {
            LOG.warn("Refreshing the LiveChat agent token failed: {}", V3Failure.describe(failure));
            started.completeExceptionally(failure);
            return;
        }
        if (grant.refreshToken() != null && !grant.refreshToken().equals(used)) {
            refreshTokens.rotated(grant.refreshToken());
        }
        started.complete(grant.accessToken());
    }
}
