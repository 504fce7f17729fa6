package io.parley.emulator.v3;

import java.time.Duration;

/**
 * Faults of the Customer Chat API v3 that belong to no single call: the RTM socket and the tokens.
 *
 * @param rtmDropRate         share of pushes after which the socket is dropped (closed with 1011, no
 *                            {@code customer_disconnected} push first)
 * @param pushLossRate        share of pushes never sent (pushes are not retried, so the client has
 *                            to read the chat again)
 * @param tokenLifetime       lifetime of the access tokens issued from now on, customer and agent
 *                            alike; null for LiveChat's 8 hours
 * @param rotateRefreshTokens whether each refresh answers a new refresh token and refuses the one
 *                            used from then on (the demo account's own stays good)
 * @param rtmIdleTimeout      how long a socket may send nothing before it is closed
 * @param seed                seed of the random draws, for repeatable runs
 */
public record V3Faults(double rtmDropRate, double pushLossRate, Duration tokenLifetime, boolean rotateRefreshTokens,
        Duration rtmIdleTimeout, long seed) {

    /** LiveChat's: no faults, 8-hour tokens, 30 seconds of silence closes a socket. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(8);
    public static final V3Faults NONE = new V3Faults(0, 0, null, false, DEFAULT_IDLE_TIMEOUT, 1);

    public V3Faults {
        if (!(rtmDropRate >= 0 && rtmDropRate <= 1) || !(pushLossRate >= 0 && pushLossRate <= 1)) {
            throw new IllegalArgumentException("rtm_drop_rate and push_loss_rate must be between 0 and 1");
        }
        if (tokenLifetime != null && (tokenLifetime.isNegative() || tokenLifetime.isZero()
                || tokenLifetime.compareTo(DEFAULT_TOKEN_LIFETIME) > 0)) {
            throw new IllegalArgumentException("token_lifetime_s must be between 1 and 28800");
        }
        if (rtmIdleTimeout == null || rtmIdleTimeout.toMillis() < 100 || rtmIdleTimeout.toMinutes() > 60) {
            throw new IllegalArgumentException("rtm_idle_timeout_ms must be between 100 and 3600000");
        }
    }

    /** The lifetime of a token issued now. */
    public Duration lifetime() {
        return tokenLifetime == null ? DEFAULT_TOKEN_LIFETIME : tokenLifetime;
    }
}
