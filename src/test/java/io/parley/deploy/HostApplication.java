package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.Http;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Another web application, with its own {@code web.xml}, servlet and home page, that gains Parley
 * by having its jar and dependencies in {@code WEB-INF/lib} and one setting, {@code mount-path}:
 * no line of the host's {@code web.xml} names Parley.
 */
final class HostApplication {

    /** Where the container's context configuration, not the host's web.xml, mounts Parley. */
    static final Map<String, String> PARAMETERS = Map.of("parley.mount-path", "/support/chat");

    private static final String WEB_XML = """
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

    private HostApplication() {
    }

    /** Writes the host application, exploded, into {@code root}. */
    static Path build(Path root) throws Exception {
        Path lib = Files.createDirectories(root.resolve("WEB-INF/lib"));
        Files.writeString(root.resolve("WEB-INF/web.xml"), WEB_XML, StandardCharsets.UTF_8);
        Files.writeString(root.resolve("index.html"), "<h1>The shop</h1>\n", StandardCharsets.UTF_8);
        String servlet = HostGreetingServlet.class.getName().replace('.', '/') + ".class";
        Path classes = Files.createDirectories(root.resolve("WEB-INF/classes").resolve(servlet).getParent());
        try (InputStream in = HostGreetingServlet.class.getClassLoader().getResourceAsStream(servlet)) {
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

    /**
     * The host's own servlet and home page still answer, nothing of Parley's is outside its
     * mount path, and a whole chat goes through Parley below it.
     */
    static void assertServesBothAt(URI shop, String visitor) throws Exception {
        assertEquals("Welcome to the shop", Http.get(URI.create(shop + "/hello")).body(), "the host's servlet");
        assertEquals("<h1>The shop</h1>\n", Http.get(URI.create(shop + "/")).body(), "the host's home page");
        assertEquals(404, Http.get(URI.create(shop + "/chat")).status(), "nothing of Parley outside its mount path");
        WholeChat.through(URI.create(shop + "/support/chat"), visitor);
    }
}
