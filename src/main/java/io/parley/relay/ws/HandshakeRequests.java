package io.parley.relay.ws;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The HTTP request being handled on this thread, for the WebSocket configurator: the Jakarta
 * handshake API shows neither the client's address nor (in {@code checkOrigin}) the
 * {@code Host}, but both Jetty and Tomcat run the handshake on the thread of its request.
 */
public final class HandshakeRequests implements ServletRequestListener {

    private final ThreadLocal<HttpServletRequest> current = new ThreadLocal<>();

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        ServletRequest request = event.getServletRequest();
        if (request instanceof HttpServletRequest http) {
            current.set(http);
        }
    }

    @Override
    public void requestDestroyed(ServletRequestEvent event) {
        current.remove();
    }

    Optional<HttpServletRequest> current() {
        return Optional.ofNullable(current.get());
    }
}
