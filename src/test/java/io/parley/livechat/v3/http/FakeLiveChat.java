package io.parley.livechat.v3.http;

import io.parley.testing.Loopback;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;

/**
 * A LiveChat the test scripts: on port 0, its HTTP calls answered by {@link #answer} (or left
 * hanging), each recorded; its RTM sockets handed to the test as {@link Peer}s that say what the
 * client sent and send what the test wants.
 */
final class FakeLiveChat implements AutoCloseable {

    /** How long a test waits for anything: generous, for a busy 2-core machine. */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final Loopback loopback = new Loopback();
    private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final BlockingQueue<Peer> peers = new LinkedBlockingQueue<>();
    private final List<AsyncContext> hanging = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Answer> answers = call -> new Answer(200, "{}");

    FakeLiveChat() throws Exception {
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Api()), "/*");
        JakartaWebSocketServletContainerInitializer.configure(context, (servletContext, container) -> container.addEndpoint(
                ServerEndpointConfig.Builder.create(RtmEndpoint.class, "/v3.6/customer/rtm/ws")
                        .configurator(new ServerEndpointConfig.Configurator() {
                            @Override
                            public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                                    HandshakeResponse response) {
                                config.getUserProperties().put("query", request.getQueryString());
                                List<String> region = request.getHeaders().get("X-Region");
                                config.getUserProperties().put("region", region == null || region.isEmpty() ? "" : region.get(0));
                            }

                            @Override
                            public <T> T getEndpointInstance(Class<T> type) {
                                return type.cast(new RtmEndpoint(FakeLiveChat.this));
                            }
                        }).build()));
        loopback.server().setHandler(context);
        loopback.server().start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + loopback.port());
    }

    /** How every HTTP call from now on is answered; null leaves it hanging. */
    void answer(Function<Call, Answer> answers) {
        this.answers = answers;
    }

    /** Forgets the calls recorded so far. */
    void forgetCalls() {
        calls.clear();
    }

    Call nextCall() throws InterruptedException {
        Call call = calls.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (call == null) {
            throw new AssertionError("no HTTP call came");
        }
        return call;
    }

    Peer nextPeer() throws InterruptedException {
        Peer peer = peers.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (peer == null) {
            throw new AssertionError("no RTM socket came");
        }
        return peer;
    }

    @Override
    public void close() throws Exception {
        for (AsyncContext call : hanging) {
            try {
                call.complete();
            } catch (RuntimeException e) {
                // already gone with its connection
            }
        }
        loopback.server().stop();
    }

    /** An HTTP call as the fake received it. */
    record Call(String method, String path, String query, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** What the fake answers: a status and a body, sent whole. */
    record Answer(int status, String body) {
    }

    private final class Api extends HttpServlet {
        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, String> headers = new java.util.HashMap<>();
            for (String name : java.util.Collections.list(request.getHeaderNames())) {
                headers.put(name.toLowerCase(java.util.Locale.ROOT), request.getHeader(name));
            }
            String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            Call call = new Call(request.getMethod(), request.getRequestURI(), request.getQueryString(), headers, body);
            calls.add(call);
            Answer answer = answers.apply(call);
            if (answer == null) {
                AsyncContext async = request.startAsync();
                async.setTimeout(0);
                hanging.add(async);
                return;
            }
            response.setStatus(answer.status());
            response.setContentType("application/json");
            response.getOutputStream().write(answer.body().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One RTM socket as the server sees it. */
    static final class Peer {
        private final Session session;
        final String query;
        final String region;
        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        Peer(Session session, String query, String region) {
            this.session = session;
            this.query = query;
            this.region = region;
        }

        /** The next message the client sent, as text. */
        String next() throws InterruptedException {
            String message = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (message == null) {
                throw new AssertionError("the client sent nothing");
            }
            return message;
        }

        /** The next message the client sent, read. */
        Map<String, Object> nextMessage() throws Exception {
            return JsonText.readObject(next());
        }

        void send(String text) throws IOException {
            synchronized (session) {
                session.getBasicRemote().sendText(text);
            }
        }

        /** Answers a request: {@code success: true} with this payload. */
        void respond(Map<String, Object> request, String payload) throws IOException {
            send("{\"request_id\":\"" + request.get("request_id") + "\",\"action\":\"" + request.get("action")
                    + "\",\"type\":\"response\",\"success\":true,\"payload\":" + payload + "}");
        }

        /** Refuses a request with this error type. */
        void refuse(Map<String, Object> request, String type) throws IOException {
            send("{\"request_id\":\"" + request.get("request_id") + "\",\"action\":\"" + request.get("action")
                    + "\",\"type\":\"response\",\"success\":false,\"payload\":{\"error\":{\"type\":\"" + type
                    + "\",\"message\":\"Refused\"}}}");
        }

        void push(String action, String payload) throws IOException {
            send("{\"action\":\"" + action + "\",\"type\":\"push\",\"payload\":" + payload + "}");
        }

        void close() throws IOException {
            session.close();
        }

        boolean awaitClosed() throws InterruptedException {
            return closed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The endpoint of one RTM socket; public, as Jakarta WebSocket requires. */
    public static final class RtmEndpoint extends Endpoint {
        private final FakeLiveChat fake;
        private Peer peer;

        RtmEndpoint(FakeLiveChat fake) {
            this.fake = fake;
        }

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            session.setMaxIdleTimeout(0);
            peer = new Peer(session, (String) config.getUserProperties().get("query"),
                    (String) config.getUserProperties().get("region"));
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) peer.received::add);
            fake.peers.add(peer);
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            peer.closed.countDown();
        }
    }
}
