package io.parley.app;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * In demo mode the upstream is this very server's {@code /emulator}, reached over HTTP like the
 * real API. A servlet container does not tell a web application its own address at start-up,
 * so this filter learns it from the first request: the local address and port that request
 * arrived on, which are reachable from this host whatever the bind address or proxy in front.
 */
final class DemoUpstreamAddress implements Filter, Supplier<URI> {

    private final AtomicReference<URI> address = new AtomicReference<>();

    /** The emulator's base URL, or null before the first request. */
    @Override
    public URI get() {
        return address.get();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (address.get() == null) {
            String host = request.getLocalAddr();
            if (host.contains(":")) {
                host = "[" + host.replaceFirst("%.*$", "") + "]"; // IPv6, without a zone id
            }
            String context = request.getServletContext().getContextPath();
            address.compareAndSet(null, URI.create("http://" + host + ":" + request.getLocalPort() + context + "/emulator"));
        }
        chain.doFilter(request, response);
    }
}
