package io.parley.deploy;

import io.parley.testing.Loopback;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.util.component.LifeCycle;

/** One web application on an embedded Jetty 12 (ee10), on a free port of 127.0.0.1. */
final class EmbeddedJetty implements AutoCloseable {

    private final Loopback loopback = new Loopback();
    private final String contextPath;

    /**
     * Deploys {@code application} (a WAR file or a directory) at {@code contextPath} with these
     * context parameters, as a Jetty context XML would give them, and starts it; fails if it does
     * not start.
     */
    EmbeddedJetty(Path work, String contextPath, Path application, Map<String, String> parameters) throws Exception {
        this.contextPath = contextPath;
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        if (Files.isDirectory(application)) {
            webapp.setBaseResourceAsPath(application);
        } else {
            webapp.setWar(application.toString());
        }
        webapp.setTempDirectory(Files.createDirectories(work.resolve("jetty-tmp")).toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        parameters.forEach(webapp::setInitParameter);
        loopback.server().setHandler(webapp);
        try {
            loopback.server().start();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The application's base address, e.g. {@code http://127.0.0.1:40123/shop}. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + loopback.port() + contextPath);
    }

    @Override
    public void close() {
        LifeCycle.stop(loopback.server());
    }
}
