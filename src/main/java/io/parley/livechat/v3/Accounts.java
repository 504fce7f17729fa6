package io.parley.livechat.v3;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** LiveChat's accounts service: the agent token Parley acts with, and a token per customer. */
public interface Accounts {

    /** A new agent access token from a refresh token (which may come back rotated). Fails with a {@link V3Failure}. */
    CompletableFuture<AgentGrant> refresh(String refreshToken);

    /**
     * A customer access token through the agent-token grant: for a new customer when
     * {@code entityId} is null, else for that customer. Fails with a {@link V3Failure}.
     */
    CompletableFuture<CustomerGrant> customerToken(String agentAccessToken, String entityId);

    /** An agent access token; {@code refreshToken} is the one to keep from now on. */
    record AgentGrant(String accessToken, String refreshToken, Duration expiresIn) {
    }

    /** A customer's access token and the customer's id ({@code entity_id}). */
    record CustomerGrant(String accessToken, String entityId, Duration expiresIn) {
    }
}
