package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.limits.Refusals;
import io.parley.relay.Relay;
import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import io.parley.testing.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What one client, or a page elsewhere, can do to a node: hold state by saying hello, hold
 * connections, hold sockets silently or by trickling bytes, flood the log, reuse a token from
 * elsewhere, reach a demo through another host name. Each is bounded.
 */
class HardenedConnectionsTest {

    private static Relay relay(TestServer server) {
        return server.parley().relay();
    }

    private static String metrics(TestServer server) {
        return server.parley().metrics().scrape();
    }

    @Test
    void helloesWithoutAChatLeaveNothingBehindAndTheLimitCountsChatsOnly() throws Exception {
        // With no grace period, a visitor without a chat is forgotten as soon as their last tab has gone.
        try (TestServer server = TestServer.start(Map.of("max-conversations", "2", "emulator-demo-agent", "false",
                "connections-per-ip", "1000/1m", "grace-period", "0s"))) {
            URI ws = server.webSocketUri();
            for (int i = 0; i < 100; i++) {
                TestTab.open(ws).close();
            }
            Eventually.await("every tab gone", () -> relay(server).tabs() == 0);
            assertEquals(0, relay(server).conversations(), "nothing held for visitors who never chatted");
            Eventually.await("every visitor without a chat forgotten", () -> relay(server).visitorsWithoutChat() == 0);

            TestTab first = TestTab.chatting(ws, "First", "a1", "Hello");
            TestTab idle = TestTab.open(ws); // costs its connection only
            assertEquals(1, relay(server).visitorsWithoutChat());
            TestTab second = TestTab.chatting(ws, "Second", "b1", "Hello too");
            assertEquals(2, relay(server).conversations());

            idle.send("type", "start", "id", "c1", "text", "Me three");
            Map<String, Object> busy = idle.next("error");
            assertEquals("busy", busy.get("code"));
            assertEquals("c1", busy.get("id"), "the tab knows which message to send again later");
            assertTrue(TestTab.number(busy.get("retry_after")) >= 10, "and when: " + busy);
            assertEquals(1013, idle.awaitClose(), "try again later");
            assertTrue(metrics(server).contains("parley_refused_total{reason=\"busy\"} 1.0"), metrics(server));
            first.send("type", "ping");
            first.next("pong"); // the chats held go on
            first.close();
            second.close();
        }
    }

    @Test
    void tabsThatLoseTheirConnectionTogetherComeBackToTheSameVisitor() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            URI ws = server.webSocketUri();
            TestTab first = TestTab.open(ws);
            String token = first.token();
            TestTab second = TestTab.resume(ws, token, 0);
            first.close();
            second.close(); // a laptop that sleeps: every tab gone at once
            Eventually.await("every tab gone", () -> relay(server).tabs() == 0);
            try (TestTab back = TestTab.connect(ws)) {
                back.send("type", "hello", "token", token);
                Map<String, Object> welcome = back.next("welcome");
                assertEquals(token, welcome.get("token"), "the same visitor, not a new one per tab");
                assertEquals(false, welcome.get("snapshot"));
            }
            assertEquals(0, relay(server).conversations(), "still nothing registered or stored");
        }
    }

    @Test
    void connectionsHeldOpenFromOneAddressAreCapped() throws Exception {
        try (TestServer server = TestServer.start(Map.of("tabs-per-ip", "3", "client-ip-header", "X-Forwarded-For",
                "connections-per-ip", "1000/1m"))) {
            URI ws = server.webSocketUri();
            List<TestTab> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(hello(TestTab.connect(ws, "X-Forwarded-For", "10.0.0.1")));
            }
            try (TestTab crowded = TestTab.connect(ws, "X-Forwarded-For", "10.0.0.1")) {
                Map<String, Object> error = crowded.next("error");
                assertEquals("too_many_connections", error.get("code"));
                assertTrue(TestTab.number(error.get("retry_after")) > 0);
                assertEquals(1013, crowded.awaitClose());
            }
            hello(TestTab.connect(ws, "X-Forwarded-For", "10.0.0.2")).close(); // another address is not crowded out

            held.remove(0).close();
            Eventually.await("a place given back", () -> relay(server).tabs() == 2);
            TestTab again = hello(TestTab.connect(ws, "X-Forwarded-For", "10.0.0.1"));
            assertTrue(metrics(server).contains("parley_refused_total{reason=\"tabs_per_ip\"} 1.0"), metrics(server));
            again.close();
            held.forEach(TestTab::close);
        }
    }

    private static TestTab hello(TestTab tab) throws Exception {
        tab.send("type", "hello");
        tab.next("welcome");
        return tab;
    }

    @Test
    void aConnectionThatDoesNotSayHelloInTimeIsCutEvenIfItTricklesItsHello() throws Exception {
        try (TestServer server = TestServer.start(Map.of("hello-timeout", "500ms"))) {
            URI ws = server.webSocketUri();
            TestTab visitor = TestTab.open(ws);
            try (TestTab silent = TestTab.connect(ws)) {
                silent.send("type", "ping"); // pings do not count as hello
                assertEquals(1008, silent.awaitClose());
            }
            try (Socket trickling = upgrade(ws, "localhost", null)) {
                byte[] frame = RawWebSocket.textFrame("{\"type\":\"hello\",\"padding\":\"" + "x".repeat(100) + "\"}");
                OutputStream out = trickling.getOutputStream();
                // A byte every 50 ms: the whole frame would take 6 s, far past the hello timeout.
                ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
                AtomicInteger next = new AtomicInteger();
                trickle.scheduleWithFixedDelay(() -> {
                    int at = next.getAndIncrement();
                    if (at >= frame.length) {
                        return;
                    }
                    try {
                        out.write(frame[at]);
                        out.flush();
                    } catch (IOException e) {
                        trickle.shutdown(); // cut by the server, as expected
                    }
                }, 0, 50, TimeUnit.MILLISECONDS); // with a fixed delay: no burst to catch up after a stall
                try {
                    assertTrue(closedByServer(trickling), "the trickling connection is cut");
                    assertTrue(next.get() < frame.length, "cut before the frame was whole");
                } finally {
                    trickle.shutdownNow();
                }
            }
            assertTrue(metrics(server).contains("parley_refused_total{reason=\"hello_timeout\"} 2.0"), metrics(server));
            visitor.send("type", "ping");
            visitor.next("pong"); // a tab that said hello is not cut
            visitor.close();
        }
    }

    @Test
    void aTokenWorksOnlyThroughAHandshakeFromTheOriginItWasIssuedThrough() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            URI ws = server.webSocketUri();
            String parleyOrigin = "http://localhost:" + ws.getPort();
            TestTab browser = hello(TestTab.connect(ws, "Origin", parleyOrigin));
            String token = browser.token();

            TestTab sameBrowser = TestTab.connect(ws, "Origin", parleyOrigin);
            sameBrowser.send("type", "hello", "token", token);
            assertEquals(token, sameBrowser.next("welcome").get("token"));

            TestTab elsewhere = TestTab.connect(ws); // a client that sends no Origin
            elsewhere.send("type", "hello", "token", token);
            Map<String, Object> welcome = elsewhere.next("welcome");
            assertNotEquals(token, welcome.get("token"), "a copied token is as good as unknown");
            assertEquals(true, welcome.get("snapshot"));
            browser.close();
            sameBrowser.close();
            elsewhere.close();
        }
    }

    @Test
    void refusedHandshakesAreCountedAndLoggedOnceAMinute() throws Exception {
        Logger refusalLog = (Logger) LoggerFactory.getLogger(Refusals.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        refusalLog.addAppender(lines);
        try (TestServer server = TestServer.start(Map.of())) {
            URI ws = server.webSocketUri();
            for (int i = 0; i < 300; i++) {
                try (Socket refused = open(ws, "localhost", "https://elsewhere.example")) {
                    assertTrue(statusLine(refused).startsWith("HTTP/1.1 403"));
                }
            }
            assertTrue(metrics(server).contains("parley_refused_total{reason=\"origin\"} 300.0"), metrics(server));
            assertEquals(1, lines.list.stream().filter(e -> e.getFormattedMessage().contains("another site")).count(),
                    lines.list.toString());
        } finally {
            refusalLog.detachAppender(lines);
        }
    }

    @Test
    void aDemoAnswersOnlyItsOwnHostNames() throws Exception {
        try (TestServer server = TestServer.start(Map.of())) {
            URI base = server.uri();
            assertEquals(200, Http.get(server.uri("/emulator/agent")).status());
            for (String path : List.of("/", "/emulator/agent", "/emulator/agent/api/chats")) {
                assertTrue(get(base, path, "rebind.attacker.example:" + base.getPort()).startsWith("HTTP/1.1 421"), path);
                String local = get(base, path, "127.0.0.1:" + base.getPort());
                assertTrue(local.matches("HTTP/1\\.1 [23]\\d\\d .*"), path + ": " + local);
            }
            try (Socket handshake = open(server.webSocketUri(), "rebind.attacker.example", "http://rebind.attacker.example")) {
                // 421 when the host filter sees the handshake first, 403 when the socket's own check does.
                String status = statusLine(handshake);
                assertTrue(status.matches("HTTP/1\\.1 (403|421) .*"), status);
            }
            assertTrue(metrics(server).contains("parley_refused_total{reason=\"host\"}"), metrics(server));
        }
    }

    // --- raw HTTP, for the headers no client library lets a test choose ---

    private static String get(URI base, String path, String host) throws IOException {
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return statusLine(socket);
        }
    }

    /** Sends a WebSocket handshake with this Host (and Origin, unless null), leaving the answer unread. */
    private static Socket open(URI ws, String host, String origin) throws IOException {
        Socket socket = new Socket(ws.getHost(), ws.getPort());
        socket.setSoTimeout(30_000);
        socket.getOutputStream().write(("GET " + ws.getPath() + " HTTP/1.1\r\nHost: " + host + ":" + ws.getPort()
                + (origin == null ? "" : "\r\nOrigin: " + origin)
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: cGFybGV5LXJhdy1zb2NrZQ=="
                + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    private static Socket upgrade(URI ws, String host, String origin) throws IOException {
        Socket socket = open(ws, host, origin);
        String head = head(socket.getInputStream());
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return socket;
    }

    private static String statusLine(Socket socket) throws IOException {
        String head = head(socket.getInputStream());
        return head.substring(0, head.indexOf("\r\n"));
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Reads until the server closes the connection or sends a close frame; false if neither came in 30 s. */
    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            int first;
            while ((first = in.read()) >= 0) {
                if ((first & 0x0f) == 0x8) {
                    return true;
                }
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

}
