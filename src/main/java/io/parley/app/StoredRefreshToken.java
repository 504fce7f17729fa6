package io.parley.app;

import io.parley.livechat.v3.RefreshTokenStore;
import io.parley.relay.ConversationStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's refresh token, kept in the conversation store once LiveChat rotates it, so that a
 * restart uses the rotated one and not the configured one, which may no longer work. The stored
 * token is filed under a hash of the configured one: a site owner who configures a new token
 * gets it used, not an old rotation of the previous one.
 */
final class StoredRefreshToken implements RefreshTokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(StoredRefreshToken.class);

    private final ConversationStore store;
    private final String name;
    private volatile String current;

    StoredRefreshToken(ConversationStore store, String configured) {
        this.store = store;
        this.name = "livechat-refresh-token-" + hash(configured);
        this.current = store.value(name).orElse(configured);
    }

    @Override
    public String current() {
        return current;
    }

    @Override
    public void rotated(String refreshToken) {
        current = refreshToken;
        try {
            store.putValue(name, refreshToken);
        } catch (RuntimeException e) {
            LOG.warn("LiveChat rotated the refresh token, and it could not be kept ({}): after a restart the configured "
                    + "refresh-token is used, which may no longer work", e.getMessage());
        }
    }

    private static String hash(String configured) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(configured.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
