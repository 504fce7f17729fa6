package io.parley.origins;

import io.parley.settings.Settings;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The sites allowed to embed the widget: exactly the configured {@code allowed-origins}, compared
 * whole (no wildcards, no prefixes); in demo mode without any, localhost on any port. Parley's own
 * origin is always allowed, as the chat page itself is served from it.
 */
public final class AllowedOrigins {

    private static final Pattern LOCALHOST = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1|\\[::1])(:\\d{1,5})?");

    private final List<String> allowed;
    private final boolean demoLocalhost;

    public AllowedOrigins(Settings settings) {
        this.allowed = settings.allowedOrigins();
        this.demoLocalhost = settings.demoMode() && allowed.isEmpty();
    }

    /** The CSP {@code frame-ancestors} source list. */
    public String frameAncestors() {
        if (demoLocalhost) {
            return "'self' http://localhost:* http://127.0.0.1:*";
        }
        return allowed.isEmpty() ? "'self'" : "'self' " + String.join(" ", allowed);
    }

    /** Whether a host page of this origin may embed the chat page and talk to it. */
    public boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        return allowed.contains(lower) || (demoLocalhost && LOCALHOST.matcher(lower).matches());
    }

    /**
     * Whether a WebSocket handshake with this {@code Origin} may proceed: from Parley's own origin
     * (the chat page, whose {@code Host} the handshake names) or from an allowed site.
     */
    public boolean allowsSocket(String origin, String host) {
        if (host != null) {
            String lower = origin.toLowerCase(Locale.ROOT);
            String ownHost = host.toLowerCase(Locale.ROOT);
            if (lower.equals("https://" + ownHost) || lower.equals("http://" + ownHost)) {
                return true;
            }
        }
        return allows(origin);
    }
}
