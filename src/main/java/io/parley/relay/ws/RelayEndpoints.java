package io.parley.relay.ws;

import io.parley.relay.Relay;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.List;

/** Registers the relay's WebSocket endpoint on a container. */
public final class RelayEndpoints {

    /** Tabs ping well within this; a silent connection is dropped after it. */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private RelayEndpoints() {
    }

    /** Adds {@code /ws}: one {@link RelaySocket} per connection, without compression extensions. */
    public static void register(ServerContainer container, Relay relay, int maxMessageLength)
            throws DeploymentException {
        // A frame holds at most one message; allow four bytes a character and room for the JSON around it.
        int maxFrameBytes = maxMessageLength * 4 + 4096;
        container.setDefaultMaxTextMessageBufferSize(maxFrameBytes);
        container.setDefaultMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(RelaySocket.class, "/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new RelaySocket(relay, maxMessageLength));
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
