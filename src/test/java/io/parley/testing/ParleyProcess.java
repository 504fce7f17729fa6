package io.parley.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Parley in a JVM of its own ({@link StandaloneParley}) with a home directory of the test's, so
 * that a test can kill it without a chance to stop, as {@code kill -9} would, and start it again.
 */
public final class ParleyProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private ParleyProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Parley with exactly these settings and {@code user.home} set to {@code home}. */
    public static ParleyProcess start(Path home, Map<String, String> settings, Path log) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Duser.home=" + home, "-cp", classPath, StandaloneParley.class.getName()));
        settings.forEach((name, value) -> command.add(name + "=" + value));
        if (!settings.containsKey("demo-upstream")) {
            command.add("demo-upstream=" + TestedUpstream.current().demoUpstream());
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        java.util.concurrent.CompletableFuture<Integer> listening = new java.util.concurrent.CompletableFuture<>();
        Thread drain = new Thread(() -> drain(out, log, listening), "parley-process-output");
        drain.setDaemon(true); // its log lines keep coming: unread, they would fill the pipe and stop it
        drain.start();
        try {
            return new ParleyProcess(process, listening.get(3, TimeUnit.MINUTES));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("Parley did not start in its own JVM; see " + log);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while Parley started", e);
        }
    }

    private static void drain(BufferedReader out, Path log, java.util.concurrent.CompletableFuture<Integer> listening) {
        try {
            String line;
            while ((line = out.readLine()) != null) {
                append(log, line);
                if (line.startsWith("PORT ")) {
                    listening.complete(Integer.parseInt(line.substring(5).strip()));
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
        listening.completeExceptionally(new IOException("ended before it listened"));
    }

    private static synchronized void append(Path log, String line) {
        try {
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a lost log line costs the test nothing but its explanation
        }
    }

    public URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Freezes the JVM ({@code SIGSTOP}), as a long pause or a stalled machine would. */
    public void freeze() throws Exception {
        signal("STOP");
    }

    /** Lets a frozen JVM go on ({@code SIGCONT}). */
    public void thaw() throws Exception {
        signal("CONT");
    }

    private void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed");
        }
    }

    /** Kills the JVM without a chance to stop ({@code SIGKILL}), and waits until it is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            process.getOutputStream().close();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
