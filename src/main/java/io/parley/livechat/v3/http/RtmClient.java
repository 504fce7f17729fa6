package io.parley.livechat.v3.http;

import io.parley.livechat.v3.Rtm;
import io.parley.tasks.TaskScheduler;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Customer Chat RTM API over Jetty's WebSocket client:
 * {@code wss://api.livechatinc.com/v3.6/customer/rtm/ws?organization_id=<org>}, logged in at once
 * with the customer's token, pinged every {@link #PING_INTERVAL}. Made to hold thousands of
 * sockets: one WebSocket client and its threads for all of them, pings and deadlines on the
 * given scheduler, and no thread of any socket's own.
 */
public final class RtmClient implements Rtm, AutoCloseable {

    /** The documented ping period: "ping the server every 15 seconds", else it closes after ~30 s. */
    public static final Duration PING_INTERVAL = Duration.ofSeconds(15);

    /** The largest message taken: responses such as {@code get_chat} carry whole threads. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /** The most requests waiting for their response on one socket, the API's own limit. */
    public static final int MAX_PENDING = 10;

    private static final Logger LOG = LoggerFactory.getLogger(RtmClient.class);

    private final Supplier<URI> apiUrl;
    private final String organizationId;
    private final String version;
    final Duration timeout;
    final Duration pingInterval;
    final TaskScheduler scheduler;
    private final WebSocketClient client;

    /**
     * A client that pings every {@link #PING_INTERVAL}.
     *
     * @param apiUrl the API's base URL, e.g. {@code https://api.livechatinc.com}: its scheme,
     *               host, port and path make the socket's (http becomes ws, https wss); asked at
     *               every open, null while not known yet
     * @param organizationId the {@code organization_id} of the socket's URL
     * @param apiVersion the API version without its {@code v}, e.g. {@code 3.6}
     * @param timeout the deadline of connecting and logging in, and of each request's response
     * @param scheduler runs the pings and the deadlines of every socket
     */
    public RtmClient(Supplier<URI> apiUrl, String organizationId, String apiVersion, Duration timeout,
            TaskScheduler scheduler) {
        this(apiUrl, organizationId, apiVersion, timeout, PING_INTERVAL, scheduler);
    }

    /** As above, pinging each logged-in socket every {@code pingInterval}. */
    public RtmClient(Supplier<URI> apiUrl, String organizationId, String apiVersion, Duration timeout,
            Duration pingInterval, TaskScheduler scheduler) {
        this.apiUrl = apiUrl;
        this.organizationId = organizationId;
        this.version = apiVersion;
        this.timeout = timeout;
        this.pingInterval = pingInterval;
        this.scheduler = scheduler;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 2);
        threads.setName("parley-livechat-rtm");
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setConnectTimeout(timeout.toMillis());
        http.setFollowRedirects(false);
        client = new WebSocketClient(http);
        client.setMaxTextMessageSize(MAX_MESSAGE_BYTES);
        client.setMaxBinaryMessageSize(64 * 1024); // the API sends none
        client.setConnectTimeout(timeout.toMillis());
        // A socket that hears nothing for this long is gone, even if no ping found out yet.
        client.setIdleTimeout(pingInterval.multipliedBy(3).plus(timeout));
        client.setStopAtShutdown(false);
        try {
            http.start();
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the RTM WebSocket client: " + e.getMessage(), e);
        }
    }

    @Override
    public Socket open(String customerToken, Map<String, Object> customerPage, Socket.Handler handler) {
        RtmSocket socket = new RtmSocket(this, customerToken, customerPage, handler);
        URI base = apiUrl.get();
        if (base == null) {
            socket.connectFailed("the API's address is not known yet");
            return socket;
        }
        URI uri;
        try {
            uri = socketUri(base);
        } catch (IllegalArgumentException e) {
            socket.connectFailed("the API's address cannot make a WebSocket address");
            return socket;
        }
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(uri);
        String region = Regions.headerFor(customerToken);
        if (region != null) {
            upgrade.setHeader(Regions.HEADER, region);
        }
        try {
            socket.connecting(client.connect(socket, upgrade));
        } catch (IOException | RuntimeException e) {
            socket.connectFailed("could not connect (" + e.getClass().getSimpleName() + ")");
        }
        return socket;
    }

    /** {@code ws(s)://} + the API URL's host and path + {@code /v<version>/customer/rtm/ws?organization_id=<org>}. */
    URI socketUri(URI base) {
        String scheme = switch (String.valueOf(base.getScheme()).toLowerCase(java.util.Locale.ROOT)) {
            case "https", "wss" -> "wss";
            case "http", "ws" -> "ws";
            default -> throw new IllegalArgumentException("not an http(s) URL");
        };
        if (base.getRawAuthority() == null) {
            throw new IllegalArgumentException("no host");
        }
        String path = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        return URI.create(scheme + "://" + base.getRawAuthority() + path + "/v" + version + "/customer/rtm/ws?organization_id="
                + URLEncoder.encode(organizationId, StandardCharsets.UTF_8));
    }

    /** How many sockets are open now, e.g. to measure them. */
    public int openSessions() {
        return client.getOpenSessions().size();
    }

    /** Closes every socket (their handlers hear it) and stops the client's threads. */
    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the RTM WebSocket client failed: {}", e.toString());
        }
        try {
            client.getHttpClient().stop();
        } catch (Exception e) {
            LOG.warn("Stopping the RTM HTTP client failed: {}", e.toString());
        }
    }
}
