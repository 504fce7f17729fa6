package io.parley.relay.ws;

import io.parley.origins.AllowedOrigins;
import io.parley.relay.Relay;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Registers the relay's WebSocket endpoint on a container. */
public final class RelayEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(RelayEndpoints.class);

    /** Tabs ping well within this; a silent connection is dropped after it. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private RelayEndpoints() {
    }

    /** A frame holds at most one message; allow four bytes a character and room for the JSON around it. */
    static int maxFrameBytes(int maxMessageLength) {
        return maxMessageLength * 4 + 4096;
    }

    /** The user property that carries the client's address from the handshake to the endpoint. */
    static final String CLIENT_ADDRESS = "parley.client-address";

    /**
     * Adds the relay's socket at {@code path} (e.g. {@code /ws}): one {@link RelaySocket} per connection, without compression extensions.
     * Handshakes from a browser page of another origin than this server or an allowed site are
     * refused with 403 before the upgrade.
     */
    public static void register(ServerContainer container, String path, Relay relay, int maxMessageLength, AllowedOrigins origins,
            HandshakeRequests requests, ClientAddresses addresses) throws DeploymentException {
        container.setDefaultMaxTextMessageBufferSize(maxFrameBytes(maxMessageLength));
        container.setDefaultMaxBinaryMessageBufferSize(1024); // binary frames are refused, small or large
        container.setDefaultMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(RelaySocket.class, path)
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public boolean checkOrigin(String origin) {
                        if (origin == null) {
                            return true; // not a browser: the Origin check guards browsers against other pages
                        }
                        String host = requests.current().map(request -> request.getHeader("Host")).orElse(null);
                        boolean allowed = origins.allowsSocket(origin, host);
                        if (!allowed) {
                            LOG.info("Refused a WebSocket handshake from a page of another site");
                        }
                        return allowed;
                    }

                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                            HandshakeResponse response) {
                        // Containers give each connection its own copy of the user properties.
                        requests.current().ifPresent(http ->
                                config.getUserProperties().put(CLIENT_ADDRESS, addresses.of(http)));
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new RelaySocket(relay, maxMessageLength, origins));
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
                        return List.of(); // no permessage-deflate: it costs memory per connection
                    }
                })
                .build();
        container.addEndpoint(config);
    }
}
