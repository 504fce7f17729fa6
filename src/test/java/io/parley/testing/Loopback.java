package io.parley.testing;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty that listens on a free port of 127.0.0.1 only. */
public final class Loopback {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);

    public Loopback() {
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
    }

    public Server server() {
        return server;
    }

    /** The port it listens on, once started. */
    public int port() {
        return connector.getLocalPort();
    }
}
