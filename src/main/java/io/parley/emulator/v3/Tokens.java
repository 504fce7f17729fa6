package io.parley.emulator.v3;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The emulated accounts service: agent access tokens from refresh tokens, and customer tokens
 * through the agent-token grant. Access tokens carry a region prefix ({@code dal:...}) as
 * LiveChat's do; refresh tokens carry none. Expired tokens are refused, as revoked ones would be.
 */
public final class Tokens {

    private final Clock clock;
    private final Supplier<V3Faults> faults;
    private final SecureRandom random = new SecureRandom();
    /** Refresh tokens issued (the demo account's is always good), with the client they belong to. */
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();
    private final Map<String, Instant> agentTokens = new ConcurrentHashMap<>();
    private final Map<String, CustomerToken> customerTokens = new ConcurrentHashMap<>();
    private final Set<String> customers = ConcurrentHashMap.newKeySet();

    public Tokens(Clock clock, Supplier<V3Faults> faults) {
        this.clock = clock;
        this.faults = faults;
    }

    /** An agent's access token, and the refresh token to use next time. */
    public record AgentGrant(String accessToken, String refreshToken, Duration expiresIn) {
    }

    /** A customer's access token for the customer {@code entityId}. */
    public record CustomerGrant(String accessToken, String entityId, Duration expiresIn) {
    }

    private record CustomerToken(String entityId, Instant expiresAt) {
    }

    /** {@code grant_type=refresh_token}: checks the client, its secret and the refresh token. */
    public AgentGrant refresh(String refreshToken, String clientId, String clientSecret) {
        if (!DemoAccount.CLIENT_ID.equals(clientId)) {
            throw new AccountsError(400, "unauthorized_client", "client_id_not_found");
        }
        if (!DemoAccount.CLIENT_SECRET.equals(clientSecret)) {
            throw new AccountsError(400, "unauthorized_client", "invalid client secret");
        }
        boolean demo = DemoAccount.REFRESH_TOKEN.equals(refreshToken);
        if (!demo && !refreshTokens.containsKey(refreshToken)) {
            throw new AccountsError(400, "invalid_grant", "refresh token not found, expired or revoked");
        }
        V3Faults now = faults.get();
        String next = refreshToken;
        if (now.rotateRefreshTokens()) {
            next = random(32);
            refreshTokens.put(next, clientId);
            if (!demo) {
                refreshTokens.remove(refreshToken);
            }
        }
        Duration lifetime = now.lifetime();
        String access = DemoAccount.REGION + ":" + random(24);
        agentTokens.put(access, clock.instant().plus(lifetime));
        return new AgentGrant(access, next, lifetime);
    }

    /** The agent-token grant: a new customer without {@code entityId}, else a new token for that customer. */
    public CustomerGrant customerToken(String agentToken, String clientId, String entityId) {
        Instant expiry = agentToken == null ? null : agentTokens.get(agentToken);
        if (expiry == null || !expiry.isAfter(clock.instant())) {
            throw new AccountsError(401, "invalid_token", "Invalid access token");
        }
        if (!DemoAccount.CLIENT_ID.equals(clientId)) {
            throw new AccountsError(400, "unauthorized_client", "client_id_not_found");
        }
        String customer = entityId;
        if (customer == null) {
            customer = UUID.randomUUID().toString();
            customers.add(customer);
        } else if (!customers.contains(customer)) {
            // LiveChat keeps customers for good; the emulator forgets them when it restarts, so an
            // id of the right form is taken as a customer it once made (its chats are gone)
            if (!customer.matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                throw new AccountsError(400, "invalid_request", "entity_id: no such customer");
            }
            customers.add(customer);
        }
        Duration lifetime = faults.get().lifetime();
        String access = DemoAccount.REGION + ":" + random(24);
        customerTokens.put(access, new CustomerToken(customer, clock.instant().plus(lifetime)));
        return new CustomerGrant(access, customer, lifetime);
    }

    /** The customer a token was issued for; fails with {@code authentication} if unknown or expired. */
    public String customerOf(String token) {
        CustomerToken found = token == null ? null : customerTokens.get(token);
        if (found == null || !found.expiresAt().isAfter(clock.instant())) {
            throw V3Error.authentication("Invalid access token");
        }
        return found.entityId();
    }

    /** When a customer token expires; null if unknown. */
    public Instant expiryOf(String token) {
        CustomerToken found = customerTokens.get(token);
        return found == null ? null : found.expiresAt();
    }

    /** Forgets tokens expired more than an hour ago. */
    public void sweep() {
        Instant forget = clock.instant().minus(Duration.ofHours(1));
        agentTokens.values().removeIf(expiry -> expiry.isBefore(forget));
        customerTokens.values().removeIf(token -> token.expiresAt().isBefore(forget));
    }

    /** Forgets every token and customer issued. */
    public void reset() {
        refreshTokens.clear();
        agentTokens.clear();
        customerTokens.clear();
        customers.clear();
    }

    private String random(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
