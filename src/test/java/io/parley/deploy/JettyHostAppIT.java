package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.Http;
import io.parley.testing.Loopback;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another web application, with its own {@code web.xml}, servlet and home page, gains Parley by
 * having its jar and dependencies in {@code WEB-INF/lib} and one setting, {@code mount-path}: no
 * line of the host's {@code web.xml} names Parley.
 */
class JettyHostAppIT {

    private static final String HOST_WEB_XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
              <servlet>
                <servlet-name>greeting</servlet-name>
                <servlet-class>io.parley.deploy.HostGreetingServlet</servlet-class>
              </servlet>
              <servlet-mapping>
                <servlet-name>greeting</servlet-name>
                <url-pattern>/hello</url-pattern>
              </servlet-mapping>
            </web-app>
            """;

    @Test
    void aHostApplicationChatsThroughParleyMountedBelowItsOwnPages(@TempDir Path work) throws Exception {
        Path host = buildHostApplication(work.resolve("shop"));
        Loopback loopback = new Loopback();
        Server server = loopback.server();
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/shop");
        webapp.setBaseResourceAsPath(host);
        webapp.setTempDirectory(work.resolve("tmp").toFile());
        webapp.setThrowUnavailableOnStartupException(true);
        // Set where the host is deployed (like a Jetty context XML or Tomcat's context.xml), not in its web.xml.
        webapp.setInitParameter("parley.mount-path", "/support/chat");
        server.setHandler(webapp);
        try {
            server.start();
            URI shop = URI.create("http://127.0.0.1:" + loopback.port() + "/shop");
            assertEquals("Welcome to the shop", Http.get(URI.create(shop + "/hello")).body(), "the host's servlet");
            assertEquals("<h1>The shop</h1>\n", Http.get(URI.create(shop + "/")).body(), "the host's home page");
            assertEquals(404, Http.get(URI.create(shop + "/chat")).status(), "nothing of Parley outside its mount path");

            WholeChat.through(URI.create(shop + "/support/chat"), "Shop Visitor");
        } finally {
            LifeCycle.stop(server);
        }
    }

    private static Path buildHostApplication(Path root) throws Exception {
        Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
        Files.writeString(root.resolve("WEB-INF/web.xml"), HOST_WEB_XML, StandardCharsets.UTF_8);
        Files.writeString(root.resolve("index.html"), "<h1>The shop</h1>\n", StandardCharsets.UTF_8);
        String servlet = HostGreetingServlet.class.getName().replace('.', '/') + ".class";
        Path classes = Files.createDirectories(root.resolve("WEB-INF/classes").resolve(servlet).getParent());
        try (var in = HostGreetingServlet.class.getClassLoader().getResourceAsStream(servlet)) {
            Files.copy(in, classes.resolve(HostGreetingServlet.class.getSimpleName() + ".class"));
        }
        Files.copy(Packaged.jar(), lib.resolve("parley-classes.jar"));
        try (Stream<Path> libraries = Files.list(Packaged.hostAppLibraries())) {
            for (Path library : libraries.toList()) {
                Files.copy(library, lib.resolve(library.getFileName()));
            }
        }
        return root;
    }
}
