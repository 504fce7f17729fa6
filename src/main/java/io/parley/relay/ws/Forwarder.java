package io.parley.relay.ws;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the connections that carry forwarded tabs to the node driving their conversation: one
 * WebSocket client for the node, its connections as many as tabs forwarded.
 */
public final class Forwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Forwarder.class);

    /** How often forwarded tabs are checked against where their conversations are driven now. */
    private static final Duration RECHECK_EVERY = Duration.ofMillis(500);

    private final Forwarding forwarding;
    private final WebSocketClient client;
    private final java.util.Set<ForwardedConnection> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.ScheduledExecutorService rechecks;

    /** @param connectTimeout how long connecting to another node may take before the tab is told to come back */
    public Forwarder(Forwarding forwarding, int maxMessageLength, Duration connectTimeout) {
        int maxFrameBytes = RelayEndpoints.maxFrameBytes(maxMessageLength);
        this.forwarding = forwarding;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 2);
        threads.setName("parley-forwarding");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setConnectTimeout(connectTimeout.toMillis());
        http.setFollowRedirects(false);
        client = new WebSocketClient(http);
        client.setMaxTextMessageSize(maxFrameBytes * 4L);
        client.setConnectTimeout(connectTimeout.toMillis());
        client.setIdleTimeout(RelayEndpoints.IDLE_TIMEOUT.plusSeconds(30));
        client.setStopAtShutdown(false);
        try {
            http.start();
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the WebSocket client that forwards tabs: " + e.getMessage(), e);
        }
        rechecks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "parley-forwarding-check");
            thread.setDaemon(true);
            return thread;
        });
        rechecks.scheduleWithFixedDelay(this::recheck, RECHECK_EVERY.toMillis(), RECHECK_EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /**
     * A tab forwarded to a node that no longer drives its conversation (it left, froze, or handed
     * the conversation over) is sent back to come again, and finds the node that drives it now:
     * a frozen node's connection would otherwise hold the tab, silent, however long it sleeps.
     */
    private void recheck() {
        for (ForwardedConnection connection : open) {
            try {
                if (!connection.ended() && !forwarding.driverOf(connection.token()).equals(
                        java.util.Optional.of(connection.driver()))) {
                    connection.moved();
                }
            } catch (RuntimeException e) {
                LOG.debug("Checking a forwarded tab failed: {}", e.toString());
            }
            if (connection.ended()) {
                open.remove(connection);
            }
        }
    }

    Forwarding forwarding() {
        return forwarding;
    }

    /**
     * Forwards a tab to the node at {@code driver}: its hello first, then each frame it sends, and
     * each frame that node sends back; when either side closes, so does the other.
     */
    ForwardedConnection open(URI driver, String token, WebSocketTab tab, String clientAddress, String socketOrigin,
            String hello) {
        ForwardedConnection connection = new ForwardedConnection(tab, hello, token, driver);
        open.add(connection);
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(driver);
        upgrade.setHeader(Forwarding.SECRET_HEADER, forwarding.secret());
        upgrade.setHeader(Forwarding.CLIENT_ADDRESS_HEADER, clientAddress);
        upgrade.setHeader(Forwarding.SOCKET_ORIGIN_HEADER, socketOrigin);
        try {
            client.connect(connection, upgrade).whenComplete((session, failure) -> {
                if (failure != null) {
                    connection.failed(failure);
                }
            });
        } catch (IOException | RuntimeException e) {
            connection.failed(e);
        }
        return connection;
    }

    /** The headers of a visitor's request passed on to the node that serves it. */
    private static final java.util.List<String> PASSED_ON = java.util.List.of("Origin", "Content-Type", "X-Parley-Token",
            "X-Parley-Id", "X-Parley-Name", "X-Parley-Origin");

    /** Answer headers not passed back: they concern one connection only. */
    private static final java.util.Set<String> HOP_BY_HOP = java.util.Set.of("connection", "transfer-encoding",
            "keep-alive", "upgrade", "date", "server");

    /** How long a forwarded request's answer may take (an upload of 10 MB included). */
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(90);

    /** Whether this request comes from another node of the cluster, forwarding a visitor's. */
    public boolean forwarded(jakarta.servlet.http.HttpServletRequest request) {
        return forwarding.trusts(request.getHeader(Forwarding.SECRET_HEADER));
    }

    /**
     * The address of the node that drives this token's conversation, for a request under
     * Parley's mount path (e.g. {@code /upload}), when another node does.
     */
    public java.util.Optional<URI> driverOf(String token, String path) {
        return forwarding.driverOf(token).map(socket -> http(socket, path));
    }

    /** As above, for the node that holds the file of this id. */
    public java.util.Optional<URI> holderOf(String fileId, String path) {
        return forwarding.driverOfFile(fileId).map(socket -> http(socket, path));
    }

    /** {@code ws://host:port/context/mount/ws} and {@code /upload} make {@code http://host:port/context/mount/upload}. */
    private static URI http(URI socket, String path) {
        String base = socket.toString().replaceFirst("^ws", "http").replaceFirst("/ws$", "");
        return URI.create(base + path);
    }

    /**
     * Passes a visitor's request on to the node that serves it, with its body, and that node's
     * answer back: the visitor's address and the {@code Host} they asked go in headers only
     * another node is believed on.
     */
    public void forward(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response,
            URI target, String clientAddress) throws IOException {
        org.eclipse.jetty.client.Request out = client.getHttpClient().newRequest(target).method(request.getMethod())
                .timeout(HTTP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS).followRedirects(false);
        String host = request.getHeader("Host");
        out.headers(headers -> {
            for (String name : PASSED_ON) {
                String value = request.getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            headers.put(Forwarding.SECRET_HEADER, forwarding.secret());
            headers.put(Forwarding.CLIENT_ADDRESS_HEADER, clientAddress);
            if (host != null) {
                headers.put(Forwarding.HOST_HEADER, host);
            }
        });
        if ("POST".equals(request.getMethod())) {
            out.body(new org.eclipse.jetty.client.InputStreamRequestContent(
                    request.getContentType() == null ? "application/octet-stream" : request.getContentType(),
                    request.getInputStream()));
        }
        org.eclipse.jetty.client.InputStreamResponseListener listener = new org.eclipse.jetty.client.InputStreamResponseListener();
        out.send(listener);
        org.eclipse.jetty.client.Response answer;
        try {
            answer = listener.get(HTTP_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.debug("A forwarded request failed: {}", e.toString());
            out.abort(e);
            response.setHeader("Retry-After", "5");
            response.sendError(503);
            return;
        }
        response.setStatus(answer.getStatus());
        for (org.eclipse.jetty.http.HttpField field : answer.getHeaders()) {
            if (!HOP_BY_HOP.contains(field.getName().toLowerCase(java.util.Locale.ROOT))) {
                response.addHeader(field.getName(), field.getValue());
            }
        }
        try (java.io.InputStream in = listener.getInputStream()) {
            in.transferTo(response.getOutputStream());
        }
    }

    /** Ends every forwarded connection (their tabs come back) and stops the client's threads. */
    @Override
    public void close() {
        rechecks.shutdownNow();
        try {
            client.stop();
            client.getHttpClient().stop();
        } catch (Exception e) {
            LOG.warn("Stopping the WebSocket client that forwards tabs failed: {}", e.toString());
        }
    }
}
