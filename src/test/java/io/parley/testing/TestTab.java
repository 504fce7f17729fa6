package io.parley.testing;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A browser tab as the relay sees it: a real WebSocket (Jetty's client) to {@code /ws}, with
 * every frame received kept in a queue that tests wait on.
 */
public final class TestTab implements AutoCloseable {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final Duration WAIT = Eventually.DEADLINE;
    private static WebSocketClient client;

    private final Listener listener = new Listener();
    private final List<Map<String, Object>> received = new ArrayList<>();
    private final Set<Integer> taken = new HashSet<>();
    private Session session;
    private String token;
    private long lastSeq;

    private TestTab() {
    }

    private static synchronized WebSocketClient client() throws Exception {
        if (client == null) {
            client = new WebSocketClient();
            client.start();
        }
        return client;
    }

    /** Connects without saying anything yet. */
    public static TestTab connect(URI uri) throws Exception {
        TestTab tab = new TestTab();
        tab.session = client().connect(tab.listener, uri).get(30, TimeUnit.SECONDS);
        return tab;
    }

    /** Connects with these handshake headers ({@code name, value, ...}), e.g. an {@code Origin}. */
    public static TestTab connect(URI uri, String... headers) throws Exception {
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        TestTab tab = new TestTab();
        tab.session = client().connect(tab.listener, request).get(30, TimeUnit.SECONDS);
        return tab;
    }

    /** Connects and says hello as a new visitor; returns once welcomed. */
    public static TestTab open(URI uri) throws Exception {
        TestTab tab = connect(uri);
        tab.send("type", "hello");
        tab.next("welcome");
        return tab;
    }

    /**
     * Connects as a new visitor and starts a chat with the first message {@code text}; returns
     * once the upstream chat is open ({@code waiting}).
     */
    public static TestTab chatting(URI uri, String name, String firstId, String text) throws Exception {
        TestTab tab = open(uri);
        tab.send("type", "start", "id", firstId, "text", text, "name", name);
        tab.await(frame -> "state".equals(frame.get("type")) && "waiting".equals(frame.get("state")));
        return tab;
    }

    /** Connects and resumes as this visitor from the last sequence it saw; returns the welcome. */
    public static TestTab resume(URI uri, String token, long lastSeq) throws Exception {
        return resume(uri, token, lastSeq, new String[0]);
    }

    /**
     * Resumes with these handshake headers, e.g. the {@code Origin} of the browser page the token
     * was issued to (a token works only through a handshake of the origin it was issued through).
     */
    public static TestTab resume(URI uri, String token, long lastSeq, String... headers) throws Exception {
        TestTab tab = headers.length == 0 ? connect(uri) : connect(uri, headers);
        tab.send("type", "hello", "token", token, "last_seq", lastSeq);
        tab.next("welcome");
        return tab;
    }

    public String token() {
        return token;
    }

    /** The highest sequence number received so far. */
    public long lastSeq() {
        return lastSeq;
    }

    public void send(Object... pairs) throws Exception {
        Map<String, Object> frame = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            frame.put((String) pairs[i], pairs[i + 1]);
        }
        sendRaw(JSONB.toJson(frame));
    }

    public void sendRaw(String text) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendText(text, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        sent.get(30, TimeUnit.SECONDS);
    }

    public void sendBinary(byte[] bytes) throws Exception {
        CompletableFuture<Void> sent = new CompletableFuture<>();
        session.sendBinary(ByteBuffer.wrap(bytes), Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        sent.get(30, TimeUnit.SECONDS);
    }

    /** The next frame of this type not taken by an earlier wait. */
    public Map<String, Object> next(String type) throws InterruptedException {
        return await(frame -> type.equals(frame.get("type")));
    }

    /**
     * The first frame, in arrival order, that matches and was not taken by an earlier wait;
     * frames skipped on the way stay available to later waits.
     */
    public Map<String, Object> await(Predicate<Map<String, Object>> condition) throws InterruptedException {
        for (int i = 0; i < received.size(); i++) {
            if (!taken.contains(i) && condition.test(received.get(i))) {
                taken.add(i);
                return received.get(i);
            }
        }
        Instant deadline = Instant.now().plus(WAIT);
        while (true) {
            long left = Duration.between(Instant.now(), deadline).toMillis();
            Map<String, Object> frame = left <= 0 ? null : listener.frames.poll(Math.min(left, 100), TimeUnit.MILLISECONDS);
            if (frame == null && left > 100 && !(listener.closed.isDone() && listener.frames.isEmpty())) {
                continue;
            }
            if (frame == null) {
                throw new AssertionError((listener.closed.isDone() ? "closed (" + listener.closed.join() + ")"
                        : "no matching frame within " + WAIT) + "; received: " + received);
            }
            record(frame);
            if (condition.test(frame)) {
                taken.add(received.size() - 1);
                return frame;
            }
        }
    }

    /** Waits for the acknowledgement of the message with this client id. */
    public Map<String, Object> ack(String clientId) throws InterruptedException {
        return await(frame -> "ack".equals(frame.get("type")) && clientId.equals(frame.get("id")));
    }

    /** Waits for an event frame with this text. */
    public Map<String, Object> awaitText(String text) throws InterruptedException {
        return await(frame -> "event".equals(frame.get("type")) && text.equals(frame.get("text")));
    }

    /** Waits for an event with this text, as a frame of its own or among the events of a welcome. */
    public void awaitTextAnywhere(String text) throws InterruptedException {
        if (allEvents().stream().anyMatch(event -> text.equals(event.get("text")))) {
            return; // already here, perhaps in the welcome a resume waited for
        }
        await(frame -> hasText(frame, text) || ("welcome".equals(frame.get("type"))
                && welcomeEvents(frame).stream().anyMatch(event -> hasText(event, text))));
    }

    /** Every event received so far, from welcomes and event frames, in order of arrival. */
    public List<Map<String, Object>> allEvents() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (Map<String, Object> frame : received) {
            if ("welcome".equals(frame.get("type"))) {
                events.addAll(welcomeEvents(frame));
            } else if ("event".equals(frame.get("type"))) {
                events.add(frame);
            }
        }
        return events;
    }

    private static boolean hasText(Map<String, Object> frame, String text) {
        return "event".equals(frame.get("type")) && text.equals(frame.get("text"));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> welcomeEvents(Map<String, Object> welcome) {
        return (List<Map<String, Object>>) welcome.get("events");
    }

    /** Every frame received so far, in order. */
    public List<Map<String, Object>> received() {
        return List.copyOf(received);
    }

    /** The event frames received so far, in order. */
    public List<Map<String, Object>> events() {
        return received.stream().filter(frame -> "event".equals(frame.get("type"))).toList();
    }

    /** Whether the connection was closed (by either side, or lost). */
    public boolean closed() {
        return listener.closed.isDone();
    }

    /** Whether an event with this text has arrived, in a welcome or a frame of its own; does not wait. */
    public boolean hasText(String text) {
        for (Map<String, Object> frame = listener.frames.poll(); frame != null; frame = listener.frames.poll()) {
            record(frame);
        }
        return allEvents().stream().anyMatch(event -> text.equals(event.get("text")));
    }

    /** The close code once the server closed the connection. */
    public int awaitClose() throws Exception {
        return listener.closed.get(30, TimeUnit.SECONDS);
    }

    /** Drops the connection without a close handshake, as a sleeping phone would. */
    public void drop() {
        session.disconnect();
    }

    @Override
    public void close() {
        if (session != null && session.isOpen()) {
            session.close();
        }
    }

    public static long number(Object value) {
        return ((BigDecimal) value).longValueExact();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> record(Map<String, Object> frame) {
        received.add(frame);
        if (frame.get("token") instanceof String given) {
            token = given;
        }
        if (frame.get("seq") instanceof BigDecimal seq && "event".equals(frame.get("type"))) {
            lastSeq = Math.max(lastSeq, seq.longValueExact());
        }
        if ("welcome".equals(frame.get("type"))) {
            for (Map<String, Object> event : (List<Map<String, Object>>) frame.get("events")) {
                lastSeq = Math.max(lastSeq, number(event.get("seq")));
            }
        }
        return frame;
    }

    /** Receives frames; public, as Jetty's WebSocket API requires of listeners. */
    public static final class Listener implements Session.Listener.AutoDemanding {
        final BlockingQueue<Map<String, Object>> frames = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        @SuppressWarnings("unchecked")
        public void onWebSocketText(String message) {
            frames.add((Map<String, Object>) JSONB.fromJson(message, Object.class));
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a dropped connection: the close code, if any, is what tests look at
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }
    }
}
