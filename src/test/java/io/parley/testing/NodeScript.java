package io.parley.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Node.js script of {@code src/test/node/<project>} run as a child process, with its output
 * collected line by line. Where {@code node} or the project's {@code node_modules} (from
 * {@code npm ci}) are missing, the test is skipped with a message, unless
 * {@code PARLEY_REQUIRE_NODE=1} (as {@code .ci/run} sets it), which turns the skip into a failure.
 */
public final class NodeScript {

    private final Path project;

    private NodeScript(Path project) {
        this.project = project;
    }

    /**
     * The Node project {@code src/test/node/<name>}, checked to be runnable: {@code node} answers
     * and every module of {@code required} is installed; skips or fails the test otherwise.
     */
    public static NodeScript project(String name, String... required) {
        Path project = Path.of("src", "test", "node", name).toAbsolutePath();
        String missing = null;
        if (!nodeAnswers()) {
            missing = "the node command (Debian: apt-get install nodejs npm)";
        } else {
            for (String module : required) {
                if (!Files.isDirectory(project.resolve("node_modules").resolve(module))) {
                    missing = project.resolve("node_modules").resolve(module) + " (run: npm ci in " + project + ")";
                    break;
                }
            }
        }
        if (missing != null) {
            String message = "This test runs Node.js and needs " + missing;
            if ("1".equals(System.getenv("PARLEY_REQUIRE_NODE"))) {
                fail(message + "; PARLEY_REQUIRE_NODE=1, so it may not be skipped");
            }
            Assumptions.abort(message + "; skipping");
        }
        return new NodeScript(project);
    }

    private static boolean nodeAnswers() {
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            return node.waitFor(20, TimeUnit.SECONDS) && node.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code node <script>} in the project's directory with these variables added to the
     * environment; its output (stdout and stderr) is echoed and kept. Killed, and the run marked
     * as timed out, when it outlives {@code limit}.
     */
    public Run run(String script, Map<String, String> environment, Duration limit) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", script).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                    System.out.println("[node " + script + "] " + line);
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(output unreadable: " + e.getMessage() + ")");
            }
        }, "node-output");
        reader.setDaemon(true);
        reader.start();
        boolean finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(TimeUnit.SECONDS.toMillis(10));
        return new Run(finished ? process.exitValue() : -1, !finished, List.copyOf(lines));
    }

    /** What a script did: its exit code (-1 when killed), whether it ran out of time, its output. */
    public record Run(int exitCode, boolean timedOut, List<String> lines) {

        /** The output as one text, for failure messages. */
        public String output() {
            return String.join("\n", lines);
        }
    }
}
