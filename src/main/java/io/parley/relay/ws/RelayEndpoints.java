package io.parley.relay.ws;

import io.parley.limits.AbuseLimits;
import io.parley.limits.Refusals;
import io.parley.origins.AllowedOrigins;
import io.parley.origins.DemoHosts;
import io.parley.relay.Relay;
import io.parley.tasks.TaskScheduler;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

/** Registers the relay's WebSocket endpoint on a container. */
public final class RelayEndpoints {

    /**
     * Tabs ping every 30 s, well within this; a connection that sends no whole frame for this
     * long is dropped.
     */
    public static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private RelayEndpoints() {
    }

    /** A frame holds at most one message; allow four bytes a character and room for the JSON around it. */
    static int maxFrameBytes(int maxMessageLength) {
        return maxMessageLength * 4 + 4096;
    }

    /** The user property that carries the client's address from the handshake to the endpoint. */
    static final String CLIENT_ADDRESS = "parley.client-address";

    /** The user property that carries the handshake's {@code Origin}, lower case, empty when none. */
    static final String SOCKET_ORIGIN = "parley.socket-origin";

    /** The user property that marks a tab forwarded by another node of the cluster. */
    static final String FORWARDED = "parley.forwarded";

    /** What the endpoint needs besides the relay. */
    public record Options(String path, int maxMessageLength, Duration helloTimeout, AllowedOrigins origins,
            DemoHosts hosts, HandshakeRequests requests, ClientAddresses addresses, AbuseLimits limits,
            Forwarder forwarder) {

        /** A node alone: nothing is forwarded. */
        public Options(String path, int maxMessageLength, Duration helloTimeout, AllowedOrigins origins,
                DemoHosts hosts, HandshakeRequests requests, ClientAddresses addresses, AbuseLimits limits) {
            this(path, maxMessageLength, helloTimeout, origins, hosts, requests, addresses, limits, null);
        }

        /** Whether this handshake comes from another node of the cluster, forwarding a tab. */
        boolean forwarded(jakarta.servlet.http.HttpServletRequest http) {
            return forwarder != null && forwarder.forwarding().trusts(http.getHeader(Forwarding.SECRET_HEADER));
        }
    }

    /**
     * Adds the relay's socket at {@code path} (e.g. {@code /ws}): one {@link RelaySocket} per
     * connection, without compression extensions. Handshakes from a browser page of another origin
     * than this server or an allowed site, and in demo mode those naming a host it does not answer
     * to, are refused with 403 before the upgrade. Connections past their deadlines are cut, as
     * checked on {@code scheduler} for as long as the relay accepts tabs.
     */
    public static void register(ServerContainer container, Relay relay, Options options, TaskScheduler scheduler)
            throws DeploymentException {
        container.setDefaultMaxTextMessageBufferSize(maxFrameBytes(options.maxMessageLength()));
        container.setDefaultMaxBinaryMessageBufferSize(1024); // binary frames are refused, small or large
        container.setDefaultMaxSessionIdleTimeout(IDLE_TIMEOUT.toMillis());
        ConnectionDeadlines deadlines = new ConnectionDeadlines(options.helloTimeout(), IDLE_TIMEOUT);
        LongSupplier clock = () -> scheduler.now().toEpochMilli();
        watch(deadlines, relay, scheduler);
        HandshakeRequests requests = options.requests();
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(RelaySocket.class, options.path())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public boolean checkOrigin(String origin) {
                        if (requests.current().filter(options::forwarded).isPresent()) {
                            return true; // checked by the node the tab connected to
                        }
                        String host = requests.current().map(request -> request.getHeader("Host")).orElse(null);
                        if (!options.hosts().allows(host)) {
                            options.limits().refusals().refused(Refusals.Reason.HOST);
                            return false;
                        }
                        if (origin == null) {
                            return true; // not a browser: the Origin check guards browsers against other pages
                        }
                        boolean allowed = options.origins().allowsSocket(origin, host);
                        if (!allowed) {
                            options.limits().refusals().refused(Refusals.Reason.ORIGIN);
                        }
                        return allowed;
                    }

                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                            HandshakeResponse response) {
                        // Containers give each connection its own copy of the user properties.
                        requests.current().ifPresent(http -> {
                            if (options.forwarded(http)) {
                                config.getUserProperties().put(FORWARDED, Boolean.TRUE);
                                config.getUserProperties().put(CLIENT_ADDRESS,
                                        String.valueOf(http.getHeader(Forwarding.CLIENT_ADDRESS_HEADER)));
                                String origin = http.getHeader(Forwarding.SOCKET_ORIGIN_HEADER);
                                config.getUserProperties().put(SOCKET_ORIGIN, origin == null ? "" : origin);
                                return;
                            }
                            config.getUserProperties().put(FORWARDED, Boolean.FALSE);
                            config.getUserProperties().put(CLIENT_ADDRESS, options.addresses().of(http));
                            String origin = http.getHeader("Origin");
                            config.getUserProperties().put(SOCKET_ORIGIN,
                                    origin == null ? "" : origin.strip().toLowerCase(Locale.ROOT));
                        });
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new RelaySocket(relay, options.limits(),
                                options.maxMessageLength(), options.origins(), deadlines, clock, options.forwarder()));
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
                        return List.of(); // no permessage-deflate: it costs memory per connection
                    }
                })
                .build();
        container.addEndpoint(config);
    }

    private static void watch(ConnectionDeadlines deadlines, Relay relay, TaskScheduler scheduler) {
        if (!relay.accepting()) {
            return; // stopping: every tab has been disconnected
        }
        try {
            deadlines.check(scheduler.now().toEpochMilli());
        } finally {
            scheduler.schedule(() -> watch(deadlines, relay, scheduler), deadlines.checkInterval()); // whatever happened
        }
    }
}
