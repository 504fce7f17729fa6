package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.xml.XmlConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built WAR on the server {@code mvn jetty:run} builds from {@code jetty/jetty-run.xml}: no
 * response names the server or its version, Parley's own nor Jetty's for a request it refuses
 * before Parley sees it.
 */
class JettyRunConfigIT {

    @Test
    void nothingNamesTheServer(@TempDir Path work) throws Exception {
        Server server = new Server();
        try (ResourceFactory.Closeable resources = ResourceFactory.closeable()) {
            new XmlConfiguration(resources.newResource(Path.of("jetty", "jetty-run.xml"))).configure(server);
        }
        ServerConnector connector = (ServerConnector) server.getConnectors()[0];
        assertEquals("127.0.0.1", connector.getHost(), "the demo listens on loopback only");
        connector.setPort(0);
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(Packaged.war().toString());
        webapp.setTempDirectory(Files.createDirectories(work.resolve("jetty-tmp")).toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("parley.data-dir", "none");
        server.setHandler(webapp);
        server.start();
        try {
            int port = connector.getLocalPort();
            for (String request : new String[] {
                    "GET /healthz HTTP/1.1\r\nHost: localhost\r\n",                             // Parley's
                    "GET /no-such-page HTTP/1.1\r\nHost: localhost\r\n",                        // Parley's error page
                    "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\n", // 431, Jetty's
                    "GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: localhost\r\n",          // 414, Jetty's
                    "GET / HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n"}) {                // 400, Jetty's
                String answer = exchange(port, request + "Connection: close\r\n\r\n");
                String head = answer.substring(0, Math.max(0, answer.indexOf("\r\n\r\n"))).toLowerCase(Locale.ROOT);
                assertFalse(head.isEmpty(), "an answer to " + request.substring(0, Math.min(20, request.length())));
                assertFalse(head.contains("\nserver:"), head);
                assertFalse(head.contains("x-powered-by"), head);
                assertFalse(answer.toLowerCase(Locale.ROOT).contains("jetty"), answer);
            }
            assertTrue(exchange(port, "GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                    + "\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 431"));
        } finally {
            LifeCycle.stop(server);
        }
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
