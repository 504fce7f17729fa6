package io.parley.emulator.v3.web;

import io.parley.emulator.CallCounts;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.v3.CustomerChatApi;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the RTM sockets ({@code /emulator/v3.6/customer/rtm/ws} and {@code v3.5}) once the
 * container's WebSocket support is set up: a listener, as the {@link ServerContainer} is only
 * there when the context is initialized.
 */
public final class RtmEndpoints implements ServletContextListener {

    private static final Logger LOG = LoggerFactory.getLogger(RtmEndpoints.class);

    /** The versions served: the stable one, and the one LiveChat's Customer SDK speaks. */
    public static final List<String> VERSIONS = List.of("3.6", "3.5");

    private final String base;
    private final CustomerChatApi api;
    private final FaultInjector faults;
    private final CallCounts calls;
    private final ScheduledExecutorService scheduler;

    /** @param base the emulator's path in the context, e.g. {@code /emulator} */
    public RtmEndpoints(String base, CustomerChatApi api, FaultInjector faults, CallCounts calls,
            ScheduledExecutorService scheduler) {
        this.base = base;
        this.api = api;
        this.faults = faults;
        this.calls = calls;
        this.scheduler = scheduler;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Object container = context.getAttribute(ServerContainer.class.getName());
        if (!(container instanceof ServerContainer server)) {
            LOG.warn("The emulator's RTM socket is not served: the container offers no Jakarta WebSocket support");
            return;
        }
        try {
            for (String version : VERSIONS) {
                server.addEndpoint(config(version));
            }
        } catch (DeploymentException e) {
            throw new IllegalStateException("The emulator's RTM socket could not be added: " + e.getMessage(), e);
        }
    }

    private ServerEndpointConfig config(String version) {
        return ServerEndpointConfig.Builder.create(RtmSocket.class, base + "/v" + version + "/customer/rtm/ws")
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public void modifyHandshake(ServerEndpointConfig config, HandshakeRequest request,
                            HandshakeResponse response) {
                        // avatars are served by the emulator, under the address the socket was opened through
                        List<String> hosts = request.getHeaders().get("Host");
                        String host = hosts == null || hosts.isEmpty() ? "localhost" : hosts.get(0);
                        String path = request.getRequestURI().getPath();
                        String mount = path.substring(0, Math.max(0, path.indexOf("/emulator/v")));
                        boolean secure = "wss".equals(request.getRequestURI().getScheme())
                                || "https".equals(request.getRequestURI().getScheme());
                        config.getUserProperties().put(RtmSocket.siteUrlProperty(),
                                (secure ? "https://" : "http://") + host + mount);
                    }

                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(new RtmSocket(api, faults, calls, scheduler, version));
                    }

                    @Override
                    public List<Extension> getNegotiatedExtensions(List<Extension> installed,
                            List<Extension> requested) {
                        return List.of(); // no permessage-deflate: it costs memory per connection
                    }
                })
                .build();
    }
}
