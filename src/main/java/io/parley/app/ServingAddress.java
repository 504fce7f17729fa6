package io.parley.app;

import io.parley.cluster.Cluster;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;

/**
 * Tells the cluster where this node serves, so that the others can forward tabs here: a servlet
 * container does not tell a web application its port at start-up, so it is learned from the
 * first request (a load balancer's health check, typically), as {@link DemoUpstreamAddress} does.
 * The host is {@code cluster-interface}'s: the address the other members reach this one by.
 */
final class ServingAddress implements ServletRequestListener {

    private final Cluster cluster;
    private volatile int told;

    ServingAddress(Cluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public void requestInitialized(ServletRequestEvent event) {
        ServletRequest request = event.getServletRequest();
        int port = request.getLocalPort();
        if (port != told && port > 0) {
            told = port;
            cluster.serving(port, request.getServletContext().getContextPath());
        }
    }
}
