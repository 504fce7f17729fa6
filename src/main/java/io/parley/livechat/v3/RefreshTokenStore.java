package io.parley.livechat.v3;

/**
 * Where the agent's refresh token is kept: the one configured, until the accounts service rotates
 * it; then the rotated one, kept where a restart finds it.
 */
public interface RefreshTokenStore {

    /** The refresh token to use now. */
    String current();

    /** The accounts service gave a new refresh token: use and keep it from now on. */
    void rotated(String refreshToken);

    /** Keeps the rotated token in memory only. */
    static RefreshTokenStore inMemory(String configured) {
        return new RefreshTokenStore() {
            private volatile String current = configured;

            @Override
            public String current() {
                return current;
            }

            @Override
            public void rotated(String refreshToken) {
                current = refreshToken;
            }
        };
    }
}
