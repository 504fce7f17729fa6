package io.parley.livechat.v3.http;

import io.parley.livechat.v3.V3Failure;
import io.parley.livechat.v3.V3Failure.Kind;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the upstream's errors into {@link V3Failure}s. The error {@code type}s are those of the
 * Customer Chat API's error table (livechat-public-docs, {@code src/constants/index.js},
 * {@code ERRORS}) and of the accounts service's OAuth errors; an unknown type falls back on the
 * HTTP status. Messages carry the action, the type and the status only: the upstream's own
 * message may quote ids, so it is never copied.
 */
final class Failures {

    /** What an error type may look like to be quoted; anything else is outside text and stays out. */
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private static final Map<String, Kind> KINDS = Map.ofEntries(
            Map.entry("authentication", Kind.AUTHENTICATION),
            Map.entry("authorization", Kind.AUTHORIZATION),
            Map.entry("customer_banned", Kind.AUTHORIZATION),
            Map.entry("license_expired", Kind.AUTHORIZATION),
            Map.entry("wrong_product_version", Kind.AUTHORIZATION),
            Map.entry("not_allowed", Kind.AUTHORIZATION),
            Map.entry("missing_access", Kind.AUTHORIZATION),
            Map.entry("validation", Kind.VALIDATION),
            Map.entry("entity_too_large", Kind.VALIDATION),
            Map.entry("limit_reached", Kind.VALIDATION),
            Map.entry("chat_anonymized", Kind.VALIDATION),
            Map.entry("already_exists", Kind.VALIDATION),
            Map.entry("misdirected_request", Kind.VALIDATION),
            Map.entry("unsupported_version", Kind.VALIDATION),
            Map.entry("not_found", Kind.NOT_FOUND),
            Map.entry("group_not_found", Kind.NOT_FOUND),
            Map.entry("greeting_not_found", Kind.NOT_FOUND),
            Map.entry("license_not_found", Kind.NOT_FOUND),
            Map.entry("chat_inactive", Kind.CHAT_INACTIVE),
            // start_chat's refusal when no group can take the chat is "groups_offline"; the two
            // singular ones are get_predicted_agent's, and mean the same for a widget.
            Map.entry("groups_offline", Kind.GROUPS_OFFLINE),
            Map.entry("group_offline", Kind.GROUPS_OFFLINE),
            Map.entry("group_unavailable", Kind.GROUPS_OFFLINE),
            Map.entry("too_many_requests", Kind.TOO_MANY_REQUESTS),
            Map.entry("pending_requests_limit_reached", Kind.TOO_MANY_REQUESTS),
            Map.entry("users_limit_reached", Kind.TOO_MANY_REQUESTS),
            Map.entry("internal", Kind.SERVER),
            Map.entry("service_unavailable", Kind.SERVER),
            Map.entry("request_timeout", Kind.TIMEOUT),
            // The accounts service's OAuth errors.
            Map.entry("invalid_grant", Kind.AUTHENTICATION),
            Map.entry("invalid_client", Kind.AUTHENTICATION),
            Map.entry("unauthorized", Kind.AUTHENTICATION),
            Map.entry("unauthorized_client", Kind.AUTHORIZATION),
            Map.entry("access_denied", Kind.AUTHORIZATION),
            Map.entry("invalid_scope", Kind.AUTHORIZATION),
            Map.entry("invalid_request", Kind.VALIDATION),
            Map.entry("unsupported_grant_type", Kind.VALIDATION),
            Map.entry("unsupported_response_type", Kind.VALIDATION),
            Map.entry("server_error", Kind.SERVER),
            Map.entry("temporarily_unavailable", Kind.SERVER));

    private Failures() {
    }

    /**
     * A refusal the upstream answered: the error body's type (null when it had none) and the
     * HTTP status (0 over RTM, where there is none). A 5xx, an internal error and the upstream's
     * own timeout may have taken effect; every other refusal did not.
     */
    static V3Failure refused(String action, String type, int status) {
        String known = type != null && TYPE.matcher(type).matches() ? type : null;
        Kind kind = known != null && KINDS.containsKey(known) ? KINDS.get(known) : byStatus(status);
        boolean ambiguous = status >= 500 || "internal".equals(known) || "request_timeout".equals(known);
        StringBuilder message = new StringBuilder(action).append(" failed: ");
        message.append(known != null ? known : kind.name().toLowerCase(java.util.Locale.ROOT));
        if (status > 0) {
            message.append(" (HTTP ").append(status).append(')');
        }
        return new V3Failure(kind, known, ambiguous, message.toString());
    }

    private static Kind byStatus(int status) {
        return switch (status) {
            case 401 -> Kind.AUTHENTICATION;
            case 403 -> Kind.AUTHORIZATION;
            case 404 -> Kind.NOT_FOUND;
            case 408 -> Kind.TIMEOUT;
            case 413 -> Kind.VALIDATION;
            case 429 -> Kind.TOO_MANY_REQUESTS;
            default -> status >= 500 || status == 0 ? Kind.SERVER : status >= 400 ? Kind.VALIDATION : Kind.MALFORMED;
        };
    }

    /**
     * The error type of an answer's body: {@code {"error":{"type":…}}} as the chat API writes it,
     * or {@code {"error":"…"}} as OAuth does; null when there is none.
     */
    static String errorType(Object body) {
        if (body instanceof Map<?, ?> map) {
            Object error = map.get("error");
            if (error instanceof Map<?, ?> details && details.get("type") instanceof String type) {
                return type;
            }
            if (error instanceof String type) {
                return type;
            }
        }
        return null;
    }

    static V3Failure malformed(String action, String what, boolean ambiguous) {
        return new V3Failure(Kind.MALFORMED, null, ambiguous, action + ": the answer " + what);
    }

    static V3Failure network(String action, String what, boolean ambiguous) {
        return new V3Failure(Kind.NETWORK, null, ambiguous, action + ": " + what);
    }

    static V3Failure timeout(String action, String what, boolean ambiguous) {
        return new V3Failure(Kind.TIMEOUT, null, ambiguous, action + ": " + what);
    }
}
