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
