package io.parley.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BenchServer} in a JVM of its own, on loopback, stopped when closed; it can be killed
 * ({@code SIGKILL}) and started again on the same port.
 */
final class ServerProcess implements AutoCloseable {

    private static final Jsonb JSONB = JsonbBuilder.create();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> command;
    private final Path log;
    private volatile Process process;
    /** CPU time of the processes killed before this one, so that figures span restarts. */
    private volatile long earlierCpuNanos;
    final int port;

    private ServerProcess(List<String> command, Path log, Process process, int port) {
        this.command = command;
        this.log = log;
        this.process = process;
        this.port = port;
    }

    static ServerProcess start(String heap, String kind, List<String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Dlogback.configurationFile=bench/logback-bench.xml",
                "-cp", System.getProperty("java.class.path"), BenchServer.class.getName(), kind));
        command.addAll(settings);
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        return new ServerProcess(command, log, process, awaitPort(process, kind, log));
    }

    private static int awaitPort(Process process, String kind, Path log) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith("PORT ")) {
                return Integer.parseInt(line.substring(5).strip());
            }
        }
        throw new IOException("the " + kind + " server did not start; see " + log);
    }

    /**
     * Kills the server without a chance to stop ({@code SIGKILL}) and starts it again with the
     * same settings on the same port; returns once it listens.
     */
    void killAndRestart() throws Exception {
        long cpu = stats()[1];
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        earlierCpuNanos += cpu;
        List<String> again = new ArrayList<>(command);
        again.add(BenchServer.PORT_ARG + port);
        process = new ProcessBuilder(again).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitPort(process, "restarted", log);
    }

    /** Kills the server without a chance to stop ({@code SIGKILL}); {@link #restart} starts it again. */
    void kill() throws Exception {
        long cpu = stats()[1];
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        earlierCpuNanos += cpu;
    }

    /** Starts a killed server again with the same settings on the same port; returns once it listens. */
    void restart() throws Exception {
        List<String> again = new ArrayList<>(command);
        again.add(BenchServer.PORT_ARG + port);
        process = new ProcessBuilder(again).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitPort(process, "restarted", log);
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Heap in use after a full GC, in bytes, and CPU time so far (restarts included), in nanoseconds. */
    long[] stats() throws Exception {
        Map<String, Object> stats = json(get("/bench/stats"));
        return new long[] {((BigDecimal) stats.get("heap")).longValue(),
            ((BigDecimal) stats.get("cpu_ns")).longValue() + earlierCpuNanos};
    }

    String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    String delete(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    String post(String path, String form) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @SuppressWarnings("unchecked")
    static <T> T json(String text) {
        return (T) JSONB.fromJson(text, Object.class);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
