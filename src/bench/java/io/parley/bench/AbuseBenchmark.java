package io.parley.bench;

import io.parley.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What connections that cost a socket and give nothing back do to a node: a Parley demo server
 * in a JVM of its own holds {@code --slow} (200) of them from 127.0.0.1, a quarter of each kind
 * (a TCP connection that sends nothing; a handshake trickled a byte a second; a WebSocket that
 * never says hello; one that says hello and then trickles a frame a byte a second), while from
 * 127.0.0.2 {@code /healthz} is timed four times a second and a visitor chats three times. Prints
 * and writes {@code target/bench/abuse.md}: when the server cut each kind, and what the others
 * saw. Stops by itself after {@code --duration} (150s, past the 2-minute idle deadline).
 *
 * <pre>
 * bench/abuse                       # 200 connections, 150 s
 * bench/abuse --slow=400 --duration=40s
 * </pre>
 */
public final class AbuseBenchmark {

    private enum Kind {
        TCP_ONLY("TCP connection, nothing sent"),
        SLOW_HANDSHAKE("handshake trickled, a byte a second"),
        NO_HELLO("WebSocket that never says hello"),
        TRICKLED_FRAME("hello, then a frame trickled a byte a second");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    private static final class Hostile {
        final Kind kind;
        final Socket socket;
        final long openedAt = System.nanoTime();
        volatile long closedAt;
        byte[] trickle = new byte[0];
        int next;

        Hostile(Kind kind, Socket socket) {
            this.kind = kind;
            this.socket = socket;
        }
    }

    private static final String WS_KEY = "cGFybGV5LWFidXNlLWJlbmNo";

    private final List<Hostile> hostiles = new CopyOnWriteArrayList<>();
    private final List<Long> healthMicros = Collections.synchronizedList(new ArrayList<>());
    private final List<String> visits = new CopyOnWriteArrayList<>();
    private int port;

    public static void main(String[] args) throws Exception {
        int slow = 200;
        Duration duration = Duration.ofSeconds(150);
        for (String arg : args) {
            if (arg.startsWith("--slow=")) {
                slow = Integer.parseInt(arg.substring(7));
            } else if (arg.startsWith("--duration=")) {
                duration = Duration.ofSeconds(Long.parseLong(arg.substring(11).replace("s", "")));
            } else {
                throw new IllegalArgumentException("unknown option " + arg + "; the options are --slow=N --duration=Ns");
            }
        }
        new AbuseBenchmark().run(Math.min(slow, 2000), duration);
        System.exit(0);
    }

    private void run(int slow, Duration duration) throws Exception {
        Path out = Files.createDirectories(Path.of("target", "bench"));
        System.out.printf("Parley abuse benchmark: %d hostile connections from 127.0.0.1 for %ds%n", slow,
                duration.toSeconds());
        try (ServerProcess parley = ServerProcess.start("1g", "parley", List.of("data-dir=none",
                "emulator-agent-delay=200ms"), out.resolve("abuse-server.log"))) {
            port = parley.port;
            visit("before the hostile connections");
            for (int i = 0; i < slow; i++) {
                open(Kind.values()[i % Kind.values().length]);
            }
            ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
            ticks.scheduleAtFixedRate(this::trickle, 1, 1, TimeUnit.SECONDS);
            ticks.scheduleAtFixedRate(this::probeHealth, 0, 250, TimeUnit.MILLISECONDS);
            long end = System.nanoTime() + duration.toNanos();
            awaitUntil(System.nanoTime() + duration.toNanos() / 4);
            visit("with them all open (" + duration.toSeconds() / 4 + "s in)");
            awaitUntil(end - Duration.ofSeconds(5).toNanos());
            visit("at the end (" + (duration.toSeconds() - 5) + "s in)");
            awaitUntil(end);
            ticks.shutdownNow();
            ticks.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            hostiles.forEach(h -> close(h.socket));
        }
        String report = report(slow, duration);
        Files.writeString(out.resolve("abuse.md"), report);
        System.out.print(report);
    }

    private static void awaitUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.SECONDS.toNanos(1))); // the run's own length
        }
    }

    private void open(Kind kind) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        Hostile hostile = new Hostile(kind, socket);
        String handshake = "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + WS_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        switch (kind) {
            case SLOW_HANDSHAKE:
                hostile.trickle = handshake.getBytes(StandardCharsets.US_ASCII);
                break;
            case NO_HELLO:
                upgrade(socket, handshake);
                break;
            case TRICKLED_FRAME:
                upgrade(socket, handshake);
                socket.getOutputStream().write(RawWebSocket.textFrame("{\"type\":\"hello\"}"));
                hostile.trickle = RawWebSocket.textFrame("{\"type\":\"ping\",\"padding\":\"" + "x".repeat(1000) + "\"}");
                break;
            default:
                break;
        }
        hostiles.add(hostile);
        Thread reader = new Thread(() -> awaitClose(hostile), "abuse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private static void upgrade(Socket socket, String handshake) throws IOException {
        socket.getOutputStream().write(handshake.getBytes(StandardCharsets.US_ASCII));
        String head = head(socket.getInputStream());
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + head.lines().findFirst().orElse(""));
        }
    }

    /** Reads (and drops) whatever the server sends until it closes the connection. */
    private static void awaitClose(Hostile hostile) {
        try {
            InputStream in = hostile.socket.getInputStream();
            byte[] buffer = new byte[1024];
            while (in.read(buffer) >= 0) {
                // frames the server sends, a welcome or a close: the connection ends with -1
            }
        } catch (IOException e) {
            // reset by the server, or closed by this benchmark at the end
        }
        if (hostile.closedAt == 0) {
            hostile.closedAt = System.nanoTime();
        }
    }

    private void trickle() {
        for (Hostile hostile : hostiles) {
            if (hostile.closedAt == 0 && hostile.next < hostile.trickle.length) {
                try {
                    OutputStream out = hostile.socket.getOutputStream();
                    out.write(hostile.trickle[hostile.next++]);
                    out.flush();
                } catch (IOException e) {
                    hostile.closedAt = hostile.closedAt == 0 ? System.nanoTime() : hostile.closedAt;
                }
            }
        }
    }

    private void probeHealth() {
        long start = System.nanoTime();
        try (Socket socket = from127002()) {
            socket.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] answer = socket.getInputStream().readAllBytes();
            if (new String(answer, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) {
                healthMicros.add((System.nanoTime() - start) / 1000);
            } else {
                healthMicros.add(Long.MAX_VALUE);
            }
        } catch (IOException e) {
            healthMicros.add(Long.MAX_VALUE);
        }
    }

    private Socket from127002() throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress("127.0.0.2", 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** A visitor from 127.0.0.2: says hello, starts a chat, and waits for the demo agent's first answer. */
    private void visit(String when) {
        long start = System.nanoTime();
        try (Socket socket = from127002()) {
            upgrade(socket, "GET /ws HTTP/1.1\r\nHost: localhost:" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + WS_KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
            DataInputStream in = new DataInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(RawWebSocket.textFrame("{\"type\":\"hello\"}"));
            awaitFrame(in, "\"welcome\"");
            long welcomed = System.nanoTime();
            out.write(RawWebSocket.textFrame("{\"type\":\"start\",\"id\":\"m1\",\"text\":\"Hello\",\"name\":\"Bench\"}"));
            awaitFrame(in, "\"from\":\"agent\"");
            long answered = System.nanoTime();
            visits.add(String.format(Locale.ROOT, "| %s | chatted | %.0f ms | %.0f ms |", when,
                    (welcomed - start) / 1e6, (answered - welcomed) / 1e6));
        } catch (IOException e) {
            visits.add("| " + when + " | failed: " + e.getMessage() + " | | |");
        }
    }

    private static void awaitFrame(DataInputStream in, String containing) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = RawWebSocket.readFrame(in);
            if (frame.opcode() == 0x8) {
                throw new IOException("closed by the server before " + containing);
            }
            if (new String(frame.payload(), StandardCharsets.UTF_8).contains(containing)) {
                return;
            }
        }
    }


    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        try {
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.write(b);
            }
        } catch (SocketTimeoutException e) {
            // what came so far
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing at the end anyway
        }
    }

    private String report(int slow, Duration duration) {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "%n## Abuse: %d hostile connections from 127.0.0.1, %ds%n%n", slow,
                duration.toSeconds()));
        report.append("| kind | opened | cut by the server | time to the cut (median, max) | open at the end |\n");
        report.append("|---|---|---|---|---|\n");
        for (Kind kind : Kind.values()) {
            List<Long> cuts = new ArrayList<>();
            int opened = 0;
            for (Hostile hostile : hostiles) {
                if (hostile.kind == kind) {
                    opened++;
                    if (hostile.closedAt != 0 && hostile.closedAt - hostile.openedAt < duration.toNanos()) {
                        cuts.add((hostile.closedAt - hostile.openedAt) / 1_000_000);
                    }
                }
            }
            Collections.sort(cuts);
            report.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %d |%n", kind.label, opened, cuts.size(),
                    cuts.isEmpty() ? "-" : String.format(Locale.ROOT, "%.1f s, %.1f s", cuts.get(cuts.size() / 2) / 1000.0,
                            cuts.get(cuts.size() - 1) / 1000.0), opened - cuts.size()));
        }
        List<Long> health;
        synchronized (healthMicros) {
            health = new ArrayList<>(healthMicros);
        }
        long failed = health.stream().filter(v -> v == Long.MAX_VALUE).count();
        health.removeIf(v -> v == Long.MAX_VALUE);
        Collections.sort(health);
        report.append(String.format(Locale.ROOT, "%n/healthz from 127.0.0.2: %d answered, %d failed; p50 %.1f ms, "
                + "p99 %.1f ms, max %.1f ms%n", health.size(), failed, quantile(health, 0.5), quantile(health, 0.99),
                health.isEmpty() ? 0 : health.get(health.size() - 1) / 1000.0));
        report.append("\n| a visitor from 127.0.0.2 | result | hello to welcome | start to the agent's answer |\n");
        report.append("|---|---|---|---|\n");
        visits.forEach(line -> report.append(line).append('\n'));
        return report.toString();
    }

    private static double quantile(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(q * sorted.size()))) / 1000.0;
    }
}
