package io.parley.emulator.v3;

/**
 * The account the emulator's accounts service knows: what Parley is configured with in demo mode.
 * Public values, good for the emulator only: no LiveChat account has them.
 */
public final class DemoAccount {

    /** The organization id every v3 call names ({@code ?organization_id=}). */
    public static final String ORGANIZATION_ID = "6b1c7f0e-3d2a-4c5b-9e8f-0a1b2c3d4e5f";
    /** The OAuth client id of the integration. */
    public static final String CLIENT_ID = "d3m0c11e47a9b2c4d6e8f0a1b3c5d7e9";
    /** The OAuth client secret of the integration. */
    public static final String CLIENT_SECRET = "demo_parley_client_secret";
    /** The agent's refresh token ({@code customers:own} granted); refresh tokens carry no region prefix. */
    public static final String REFRESH_TOKEN = "demo_parley_refresh_token";
    /** The region access tokens are prefixed with, as {@code dal:...}. */
    public static final String REGION = "dal";
    /** The group chats go to when they name none. */
    public static final int DEFAULT_GROUP = 0;

    private DemoAccount() {
    }
}
