package io.parley.testing;

import io.parley.app.Parley;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;

/**
 * Parley as the WAR runs it: the {@code webapp/} directory with its {@code web.xml} and Parley's
 * classes, whose initializer Jetty finds as in a deployment, in an embedded Jetty on a free
 * loopback port, with settings given as context init parameters.
 */
public final class TestServer implements AutoCloseable {

    private final Server server;
    private final WebAppContext webapp;
    private final URI uri;

    private TestServer(Server server, WebAppContext webapp, URI uri) {
        this.server = server;
        this.webapp = webapp;
        this.uri = uri;
    }

    /**
     * Starts Parley with these settings ({@code name → value}, e.g. {@code licence-id → 123});
     * conversations are kept in memory unless they name a {@code data-dir}, so that test classes
     * share no store.
     */
    public static TestServer start(Map<String, String> settings) throws Exception {
        Map<String, String> all = new HashMap<>(settings);
        all.putIfAbsent("data-dir", "none");
        all.putIfAbsent("demo-upstream", TestedUpstream.current().demoUpstream());
        return startAsDeployed(all);
    }

    /**
     * A demo for tests that drive the chat from the agent API: no demo agent, and polls every few
     * hundred milliseconds, so that an agent's message reaches the tabs at once.
     */
    public static TestServer startPolledFast() throws Exception {
        return start(POLLED_FAST);
    }

    /** The settings of {@link #startPolledFast()}. */
    public static final Map<String, String> POLLED_FAST = Map.of("emulator-demo-agent", "false",
            "poll-fast-interval", "100ms", "poll-interval", "200ms", "poll-idle-interval", "300ms");

    /** Starts Parley with exactly these settings, defaults included, as a deployment would. */
    public static TestServer startAsDeployed(Map<String, String> settings) throws Exception {
        Loopback loopback = new Loopback();
        Server server = loopback.server();

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setBaseResourceAsPath(Path.of("webapp").toAbsolutePath());
        webapp.setParentLoaderPriority(true);
        webapp.setThrowUnavailableOnStartupException(false);
        settings.forEach((name, value) -> webapp.setInitParameter("parley." + name, value));
        server.setHandler(webapp);
        server.start();
        return new TestServer(server, webapp, URI.create("http://127.0.0.1:" + loopback.port()));
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:40123}. */
    public URI uri() {
        return uri;
    }

    public URI uri(String path) {
        return uri.resolve(path);
    }

    /** The relay's WebSocket address. */
    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + uri.getPort() + "/ws");
    }

    /** The base URL of the emulated upstream API. */
    public URI emulatorUri() {
        return uri("/emulator");
    }

    /** What Parley built at start-up; fails if it did not start. */
    public Parley parley() {
        Object parley = webapp.getServletContext().getAttribute(Parley.ATTRIBUTE);
        if (parley == null) {
            throw new IllegalStateException("Parley did not start", webapp.getUnavailableException());
        }
        return (Parley) parley;
    }

    /** Why the web application did not start, or null when it did. */
    public Throwable startupFailure() {
        return webapp.getUnavailableException();
    }

    @Override
    public void close() {
        LifeCycle.stop(server);
    }
}
