package io.parley.widget;

import io.parley.settings.Settings;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which sites may frame the chat page, and which host-page origin a page may talk to: the
 * configured {@code allowed-origins}; in demo mode without any, this server and localhost.
 */
final class FrameAncestors {

    private static final Pattern LOCALHOST = Pattern.compile("https?://(localhost|127\\.0\\.0\\.1|\\[::1])(:\\d{1,5})?");

    private final List<String> allowed;
    private final boolean demoLocalhost;

    FrameAncestors(Settings settings) {
        this.allowed = settings.allowedOrigins();
        this.demoLocalhost = settings.demoMode() && allowed.isEmpty();
    }

    /** The CSP {@code frame-ancestors} source list. */
    String directive() {
        if (demoLocalhost) {
            return "'self' http://localhost:* http://127.0.0.1:*";
        }
        return allowed.isEmpty() ? "'self'" : "'self' " + String.join(" ", allowed);
    }

    /** Whether a host page of this origin may embed the chat page and talk to it. */
    boolean allows(String origin) {
        if (origin == null) {
            return false;
        }
        String lower = origin.toLowerCase(Locale.ROOT);
        return allowed.contains(lower) || (demoLocalhost && LOCALHOST.matcher(lower).matches());
    }
}
