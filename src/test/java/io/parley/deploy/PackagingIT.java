package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What the build packs. An embedded container lends a web application the classes of the JVM
 * it runs in, so a WAR that lacks a library can pass a test there and fail in a real server.
 */
class PackagingIT {

    private static final String INITIALIZER = "META-INF/services/jakarta.servlet.ServletContainerInitializer";

    @Test
    void theWarCarriesItsLibrariesAndLoggingAndNothingTheContainerProvides() throws Exception {
        Set<String> entries = entries(Packaged.war());
        Set<String> libraries = entries.stream().filter(e -> e.startsWith("WEB-INF/lib/"))
                .map(e -> e.substring("WEB-INF/lib/".length()).replaceAll("-\\d.*\\.jar$", "")).collect(Collectors.toSet());
        for (String needed : List.of("logback-classic", "logback-core", "jul-to-slf4j", "slf4j-api", "thymeleaf",
                "yasson", "parsson", "jetty-client", "jetty-websocket-jetty-client", "jetty-websocket-core-client", "h2-mvstore",
                "micrometer-core", "micrometer-registry-prometheus")) {
            assertTrue(libraries.contains(needed), needed + " is in WEB-INF/lib: " + libraries);
        }
        for (String provided : List.of("jakarta.servlet-api", "jakarta.websocket-api", "jakarta.websocket-client-api",
                "jetty-server", "tomcat-embed-core", "junit-jupiter-api", "selenium-api", "htmlunit")) {
            assertTrue(!libraries.contains(provided), provided + " is not packed: the container provides it, or it is a test's");
        }
        for (String file : List.of("WEB-INF/web.xml", "WEB-INF/classes/logback.xml", "WEB-INF/classes/parley-logback-text.xml",
                "WEB-INF/classes/parley-logback-json.xml", "WEB-INF/classes/" + INITIALIZER)) {
            assertTrue(entries.contains(file), file);
        }
        assertEquals("io.parley.app.ParleyInitializer", read(Packaged.war(), "WEB-INF/classes/" + INITIALIZER).strip());
    }

    @Test
    void theJarCarriesPagesAndAssetsButNoLoggingConfiguration() throws Exception {
        Set<String> entries = entries(Packaged.jar());
        for (String file : List.of(INITIALIZER, "io/parley/app/ParleyInitializer.class", "io/parley/templates/chat.html",
                "io/parley/templates/chat_de.properties", "io/parley/web/widget.js", "io/parley/web/assets/chat.js",
                "io/parley/web/emulator/console.js")) {
            assertTrue(entries.contains(file), file + " is in the jar");
        }
        for (String file : List.of("logback.xml", "parley-logback-text.xml", "parley-logback-json.xml")) {
            assertTrue(!entries.contains(file), file + " would take over the host application's logging");
        }
        assertEquals("io.parley.app.ParleyInitializer", read(Packaged.jar(), INITIALIZER).strip());
    }

    private static Set<String> entries(Path archive) throws Exception {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            return zip.stream().map(entry -> entry.getName()).collect(Collectors.toSet());
        }
    }

    private static String read(Path archive, String entry) throws Exception {
        try (ZipFile zip = new ZipFile(archive.toFile()); InputStream in = zip.getInputStream(zip.getEntry(entry))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
