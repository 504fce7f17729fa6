package io.parley.livechat.v3.http;

import java.util.Set;

/**
 * Whether a {@code customer_disconnected} reason allows connecting again: the "Possible reasons"
 * table of the RTM pushes reference (v3.6), where each reason says "Reconnect" or "Don't
 * reconnect". A reason it does not list (e.g. {@code customer_temporarily_blocked}, named only in
 * its footnote) allows it: the caller backs off, and a refusal shows at the next login.
 */
final class DisconnectReasons {

    private static final Set<String> DO_NOT_RECONNECT = Set.of("license_not_found", "license_expired",
            "misdirected_connection", "unsupported_version", "too_many_connections", "logged_out_remotely",
            "customer_banned");

    private DisconnectReasons() {
    }

    static boolean reconnect(String reason) {
        return !DO_NOT_RECONNECT.contains(reason);
    }
}
