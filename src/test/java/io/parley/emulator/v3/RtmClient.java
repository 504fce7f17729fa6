package io.parley.emulator.v3;

import io.parley.testing.Eventually;
import io.parley.testing.TestServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** An RTM socket of the emulator's Customer Chat API, with every frame kept for tests to wait on. */
final class RtmClient implements AutoCloseable {

    private static WebSocketClient client;

    private final Listener listener = new Listener();
    private final List<Map<String, Object>> seen = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private Session session;

    private static synchronized WebSocketClient client() throws Exception {
        if (client == null) {
            client = new WebSocketClient();
            client.start();
        }
        return client;
    }

    static URI uri(TestServer server, String version) {
        return URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/emulator/v" + version
                + "/customer/rtm/ws?organization_id=" + DemoAccount.ORGANIZATION_ID);
    }

    static RtmClient connect(URI uri) throws Exception {
        RtmClient rtm = new RtmClient();
        rtm.session = client().connect(rtm.listener, uri).get(30, TimeUnit.SECONDS);
        return rtm;
    }

    /** Connects to v3.6 and logs in; returns the login response's payload. */
    static RtmClient loggedIn(TestServer server, String token) throws Exception {
        RtmClient rtm = connect(uri(server, "3.6"));
        Map<String, Object> response = rtm.request("login", Map.of("token", "Bearer " + token,
                "customer_page", Map.of("url", "https://example.com/", "title", "Example")));
        if (!Boolean.TRUE.equals(response.get("success"))) {
            throw new AssertionError("login failed: " + response);
        }
        return rtm;
    }

    void sendRaw(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** Sends a request with a fresh request_id; returns that id. */
    String send(String action, Map<String, Object> payload) {
        String id = "r" + ids.incrementAndGet();
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("action", action);
        frame.put("request_id", id);
        frame.put("payload", payload);
        sendRaw(CustomerClient.json(frame));
        return id;
    }

    /** Sends a request and waits for its response (the whole frame). */
    Map<String, Object> request(String action, Map<String, Object> payload) throws Exception {
        String id = send(action, payload);
        return await("response to " + action, frame -> "response".equals(frame.get("type")) && id.equals(frame.get("request_id")));
    }

    /** The payload of a successful response. */
    @SuppressWarnings("unchecked")
    Map<String, Object> ok(String action, Map<String, Object> payload) throws Exception {
        Map<String, Object> response = request(action, payload);
        if (!Boolean.TRUE.equals(response.get("success"))) {
            throw new AssertionError(action + " failed: " + response);
        }
        return (Map<String, Object>) response.get("payload");
    }

    /** The next push of this action (the whole frame). */
    Map<String, Object> push(String action) throws Exception {
        return await("push " + action, frame -> "push".equals(frame.get("type")) && action.equals(frame.get("action")));
    }

    /** Waits for a frame not seen before that matches; earlier frames that do not match are kept for later. */
    Map<String, Object> await(String what, Predicate<Map<String, Object>> matching) throws Exception {
        synchronized (seen) {
            for (Map<String, Object> frame : seen) {
                if (matching.test(frame)) {
                    seen.remove(frame);
                    return frame;
                }
            }
        }
        long deadline = System.nanoTime() + Eventually.DEADLINE.toNanos();
        while (true) {
            Object next = listener.frames.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new AssertionError("not within " + Eventually.DEADLINE.toSeconds() + " s: " + what + "; kept " + seen);
            }
            if (next instanceof Map<?, ?>) {
                @SuppressWarnings("unchecked")
                Map<String, Object> frame = (Map<String, Object>) next;
                if (matching.test(frame)) {
                    return frame;
                }
                synchronized (seen) {
                    seen.add(frame);
                }
            } else {
                synchronized (seen) {
                    seen.add(Map.of("unreadable", next));
                }
            }
        }
    }

    /** Every frame received but not yet taken, unreadable ones as {@code {"unreadable": text}}. */
    List<Map<String, Object>> kept() throws Exception {
        Object next;
        while ((next = listener.frames.poll()) != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> frame = next instanceof Map<?, ?> ? (Map<String, Object>) next : Map.of("unreadable", next);
            synchronized (seen) {
                seen.add(frame);
            }
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The close code, once the socket closed. */
    int awaitClosed() throws Exception {
        return listener.closed.get(Eventually.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    CompletableFuture<Integer> closed() {
        return listener.closed;
    }

    @Override
    public void close() {
        if (session != null) {
            session.close();
        }
    }

    /** Receives frames; public, as Jetty's WebSocket API requires of listeners. */
    public static final class Listener implements Session.Listener.AutoDemanding {
        final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            try {
                frames.add(CustomerClient.JSONB.fromJson(message, Object.class));
            } catch (RuntimeException e) {
                frames.add(message); // a malformed frame, kept as text
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            closed.complete(1006);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }
    }
}
