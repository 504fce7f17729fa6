package io.parley.emulator.v3;

/**
 * An error answer of the Customer Chat API: {@code {"error": {"type": ..., "message": ...}}}, with
 * the HTTP status the Web API gives it. The documents name the types; the statuses are the usual
 * ones for each (the documents give none).
 */
public final class V3Error extends RuntimeException {

    private final int status;
    private final String type;

    public V3Error(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public static V3Error validation(String message) {
        return new V3Error(400, "validation", message);
    }

    public static V3Error authentication(String message) {
        return new V3Error(401, "authentication", message);
    }

    public static V3Error notFound(String message) {
        return new V3Error(404, "not_found", message);
    }

    public static V3Error chatInactive() {
        return new V3Error(400, "chat_inactive", "Chat is inactive");
    }

    public static V3Error groupsOffline() {
        return new V3Error(400, "groups_offline", "Groups offline");
    }

    public static V3Error customerBanned() {
        return new V3Error(403, "customer_banned", "Customer is banned");
    }

    /** An injected failure: {@code internal} for 500, {@code service_unavailable} for 503, ... */
    public static V3Error injected(int status) {
        return switch (status) {
            case 503 -> new V3Error(503, "service_unavailable", "Service unavailable");
            case 429 -> new V3Error(429, "too_many_requests", "Too many requests");
            case 401 -> authentication("Authentication error");
            default -> new V3Error(status, "internal", "Internal server error");
        };
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
