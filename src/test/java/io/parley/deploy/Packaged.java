package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the build left what it packaged; the deployment tests run after {@code package}. */
final class Packaged {

    private Packaged() {
    }

    static Path war() {
        return file("packaged.war");
    }

    /** Parley's classes jar, for a host application's {@code WEB-INF/lib}. */
    static Path jar() {
        return file("packaged.jar");
    }

    /** The jar's runtime dependencies, copied by the build. */
    static Path hostAppLibraries() {
        return file("packaged.host-app-lib");
    }

    private static Path file(String property) {
        String location = System.getProperty(property);
        assertTrue(location != null, property + " is set by the build (run with mvn verify)");
        Path path = Path.of(location);
        assertTrue(Files.exists(path), path + " exists (run with mvn verify)");
        return path;
    }
}
