package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seams hold in the source: an upstream adapter is imported by the wiring alone, and the seam
 * itself knows neither the relay nor any adapter.
 */
class LayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/io/parley");

    private static List<String> importing(String imported, String... allowedPackages) throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> Stream.of(allowedPackages).noneMatch(allowed -> file.startsWith(SOURCES.resolve(allowed))))
                    .filter(file -> read(file).contains("import " + imported))
                    .map(file -> SOURCES.relativize(file).toString())
                    .sorted()
                    .toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void onlyTheWiringImportsTheLiveChatAdapter() throws IOException {
        assertEquals(List.of(), importing("io.parley.livechat.", "app", "livechat"));
    }

    @Test
    void theUpstreamSeamImportsNoRelayAndNoAdapter() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve("upstream"))) {
            assertEquals(List.of(), files.filter(file -> read(file).contains("import io.parley.relay")
                    || read(file).contains("import io.parley.livechat")).toList());
        }
    }

    @Test
    void onlyTheClusterPackageImportsHazelcast() throws IOException {
        // A node alone loads no Hazelcast class: the wiring reaches the cluster through an interface.
        assertEquals(List.of(), importing("com.hazelcast.", "cluster"));
        assertEquals(List.of("cluster/Fenced.java", "cluster/HazelcastCluster.java", "cluster/Handover.java",
                "cluster/SettledWatch.java", "cluster/SharedRateLimit.java", "cluster/SharedRegistry.java",
                "cluster/SharedStore.java").stream().sorted().toList(),
                importing("com.hazelcast."));
    }
}
