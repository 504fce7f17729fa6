package io.parley.origins;

import io.parley.settings.Settings;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The host names a demo answers to. A demo runs on a developer's machine with an agent console
 * open to anyone who reaches it; a page elsewhere could reach it through DNS rebinding (its own
 * name made to resolve to 127.0.0.1), and its requests would then name that page's host. So in
 * demo mode only {@code localhost}, IP addresses and the hosts of {@code allowed-origins} are
 * answered. An IP address is safe to answer: a page served from an address is not a page
 * someone else controls, and rebinding needs a name. Outside demo mode every host is answered
 * (the operator's proxy decides).
 */
public final class DemoHosts {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+(%[0-9a-z._~-]+)?]");

    private final boolean demo;
    private final Set<String> allowedHosts;

    public DemoHosts(Settings settings) {
        this.demo = settings.demoMode();
        this.allowedHosts = settings.allowedOrigins().stream()
                .map(origin -> hostOf(origin.substring(origin.indexOf("://") + 3)))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Whether a request with this {@code Host} header is answered; a request without one is. */
    public boolean allows(String hostHeader) {
        if (!demo || hostHeader == null) {
            return true;
        }
        String host = hostOf(hostHeader.strip().toLowerCase(Locale.ROOT));
        return host.equals("localhost") || IPV4.matcher(host).matches() || IPV6.matcher(host).matches()
                || allowedHosts.contains(host);
    }

    /** The host of a {@code host[:port]} authority, without a trailing dot. */
    private static String hostOf(String authority) {
        String host = authority;
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            host = end < 0 ? host : host.substring(0, end + 1);
        } else if (host.lastIndexOf(':') >= 0) {
            host = host.substring(0, host.lastIndexOf(':'));
        }
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }
}
