package io.parley.livechat.v3;

/**
 * A failed call of the Customer Chat API or the accounts service: what kind of failure, the
 * upstream's error {@code type} when it gave one, and whether the call may have taken effect
 * (timed out, connection lost after sending, 5xx, an answer that cannot be read). The message
 * never holds a token or an upstream id.
 */
public final class V3Failure extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        /** 401, or the error type {@code authentication}: the token is no longer good. */
        AUTHENTICATION,
        /** 403, {@code authorization}. */
        AUTHORIZATION,
        /** 400, {@code validation} and other refusals of the request itself. */
        VALIDATION,
        /** 404, {@code not_found}. */
        NOT_FOUND,
        /** {@code chat_inactive}: the chat is not active (deactivated). */
        CHAT_INACTIVE,
        /** {@code groups_offline}: nobody in the group can take a chat. */
        GROUPS_OFFLINE,
        /** 429, {@code too_many_requests}. */
        TOO_MANY_REQUESTS,
        /** 5xx, {@code internal}, {@code service_unavailable}. */
        SERVER,
        /** No answer within the timeout. */
        TIMEOUT,
        /** The connection failed or broke. */
        NETWORK,
        /** An answer that is not the documented JSON. */
        MALFORMED
    }

    private final Kind kind;
    private final String type;
    private final boolean ambiguous;

    public V3Failure(Kind kind, String type, boolean ambiguous, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.type = type;
        this.ambiguous = ambiguous;
    }

    public Kind kind() {
        return kind;
    }

    /** The upstream's error type, e.g. {@code chat_inactive}, or null. */
    public String type() {
        return type;
    }

    /** Whether the call may have taken effect although it failed. */
    public boolean ambiguous() {
        return ambiguous;
    }

    /** A failure's description for a log line: its kind and type, never a token or id. */
    public static String describe(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof V3Failure v3) {
            return v3.kind.name().toLowerCase(java.util.Locale.ROOT) + (v3.type == null ? "" : " (" + v3.type + ")");
        }
        return cause.getClass().getSimpleName();
    }

    /** The V3Failure behind a future's failure, or a NETWORK one standing for an unexpected exception. */
    public static V3Failure of(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return cause instanceof V3Failure v3 ? v3
                : new V3Failure(Kind.NETWORK, null, true, "unexpected: " + cause.getClass().getSimpleName());
    }

    /** Whether trying again later may succeed. */
    public boolean passing() {
        return kind == Kind.SERVER || kind == Kind.TIMEOUT || kind == Kind.NETWORK || kind == Kind.MALFORMED
                || kind == Kind.TOO_MANY_REQUESTS;
    }
}
