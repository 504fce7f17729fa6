package io.parley.emulator.v3;

/**
 * An error answer of the accounts service, as OAuth 2 shapes them ({@code {"error": code,
 * "error_description": ...}}), with the codes LiveChat documents in its authorization
 * troubleshooting ({@code invalid_request}, {@code unauthorized_client}, {@code invalid_grant},
 * {@code invalid_client}, {@code unsupported_grant_type}).
 */
public final class AccountsError extends RuntimeException {

    private final int status;
    private final String code;

    public AccountsError(int status, String code, String description) {
        super(description, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
