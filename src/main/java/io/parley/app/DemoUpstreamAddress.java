package io.parley.app;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * In demo mode the upstream is this very server's {@code /emulator}, reached over HTTP like the
 * real API. A servlet container does not tell a web application its own address at start-up,
 * so this listener learns it from the first request: the local address and port that request
 * arrived on, which are reachable from this host whatever the bind address or proxy in front. A
 * listener sees WebSocket upgrades too, which the container may answer before any filter runs.
 */
final class DemoUpstreamAddress implements ServletRequestListener, Supplier<URI> {

    private final AtomicReference<URI> address = new AtomicReference<>();
    private final String mountPath;

    DemoUpstreamAddress(String mountPath) {
        this.mountPath = mountPath;
    }

    /** The emulator's base URL, or null before the first request. */
    @Override
    public URI get() {
        return address.get();
    }

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        if (address.get() == null) {
            ServletRequest request = event.getServletRequest();
            String host = request.getLocalAddr();
            if (host.contains(":")) {
                host = "[" + host.replaceFirst("%.*$", "") + "]"; // IPv6, without a zone id
            }
            String context = request.getServletContext().getContextPath();
            address.compareAndSet(null, URI.create("http://" + host + ":" + request.getLocalPort() + context + mountPath + "/emulator"));
        }
    }
}
