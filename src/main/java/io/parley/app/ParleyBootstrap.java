package io.parley.app;

import io.parley.emulator.web.Emulator;
import io.parley.pages.PageRenderer;
import io.parley.origins.AllowedOrigins;
import io.parley.relay.ConversationStore;
import io.parley.relay.InMemoryConversationRegistry;
import io.parley.relay.Relay;
import io.parley.relay.poll.ExecutorTaskScheduler;
import io.parley.relay.ws.ClientAddresses;
import io.parley.relay.ws.HandshakeRequests;
import io.parley.relay.ws.RelayEndpoints;
import io.parley.settings.InvalidSettingException;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.store.MvConversationStore;
import io.parley.upstream.UpstreamClient;
import io.parley.upstream.http.HttpUpstreamClient;
import io.parley.widget.ChatPageServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Random;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Parley in a servlet context (declared in {@code WEB-INF/web.xml}): reads and checks the
 * settings, builds the upstream client, mounts the emulator in demo mode and registers the
 * servlets. A bad setting stops start-up with one line naming it.
 */
public final class ParleyBootstrap implements ServletContextListener {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyBootstrap.class);

    /** The licence the emulator is called with in demo mode. */
    static final String DEMO_LICENCE_ID = "100000000";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Settings settings;
        try {
            settings = Settings.load(sources(context));
        } catch (InvalidSettingException e) {
            LOG.error("Parley cannot start. {}", e.getMessage());
            throw e;
        }
        settings.unknownNames().forEach(name ->
                LOG.warn("Ignoring unknown setting '{}': it is not a Parley setting (a typo?)", name));

        Clock clock = Clock.systemUTC();
        PageRenderer pages = new PageRenderer(context);
        Emulator emulator = null;
        Supplier<URI> upstreamUrl;
        if (settings.demoMode()) {
            emulator = Emulator.mount(context, settings, pages, clock);
            DemoUpstreamAddress address = new DemoUpstreamAddress();
            FilterRegistration.Dynamic filter = context.addFilter("parley-demo-upstream-address", address);
            filter.setAsyncSupported(true);
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
            upstreamUrl = address;
        } else {
            URI apiUrl = settings.apiUrl();
            upstreamUrl = () -> apiUrl;
        }
        UpstreamClient upstream = new HttpUpstreamClient(upstreamUrl,
                settings.licenceId().orElse(DEMO_LICENCE_ID), settings.upstreamTimeout(),
                settings.upstreamConnections(), Math.max(1024, settings.maxConversations() * 3), clock);
        ConversationStore store = openStore(settings, clock);
        ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler(clock, "parley-relay");
        Relay relay = new Relay(settings, upstream, new InMemoryConversationRegistry(), store, scheduler, new Random());
        Parley parley = new Parley(settings, upstream, emulator, relay, scheduler, store);
        registerWebSocket(context, relay, settings, parley);
        context.setAttribute(Parley.ATTRIBUTE, parley);
        context.addServlet("parley-home", new HomeServlet(settings, pages)).addMapping("");
        context.addServlet("parley-chat", new ChatPageServlet(settings, pages)).addMapping("/chat");

        if (settings.demoMode()) {
            LOG.info("Parley started in demo mode: no licence-id is set, so the built-in emulator at {}/emulator "
                    + "is the upstream; agent console at {}/emulator/agent", context.getContextPath(),
                    context.getContextPath());
        } else {
            LOG.info("Parley started for licence {} with upstream {}", settings.licenceId().get(), settings.apiUrl());
        }
    }

    private static ConversationStore openStore(Settings settings, Clock clock) {
        if (settings.dataDir().isEmpty()) {
            if (!settings.demoMode()) {
                LOG.warn("No data-dir is set: conversations are kept in memory only and a restart ends every chat");
            }
            return ConversationStore.none();
        }
        try {
            return MvConversationStore.open(settings.dataDir().get(), clock);
        } catch (IllegalStateException e) {
            LOG.error("Parley cannot start. {}", e.getMessage());
            throw e;
        }
    }

    private static void registerWebSocket(ServletContext context, Relay relay, Settings settings, Parley parley) {
        Object container = context.getAttribute(ServerContainer.class.getName());
        try {
            if (!(container instanceof ServerContainer serverContainer)) {
                throw new IllegalStateException("Parley cannot start: the servlet container offers no Jakarta "
                        + "WebSocket support (on Jetty, enable the ee10-websocket-jakarta module)");
            }
            HandshakeRequests requests = new HandshakeRequests();
            context.addListener(requests);
            RelayEndpoints.register(serverContainer, relay, settings.maxMessageLength(), new AllowedOrigins(settings),
                    requests, new ClientAddresses(settings.clientIpHeader()));
        } catch (DeploymentException | IllegalStateException e) {
            parley.close();
            LOG.error("{}", e.getMessage());
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object parley = event.getServletContext().getAttribute(Parley.ATTRIBUTE);
        if (parley instanceof Parley running) {
            running.close();
            LOG.info("Parley stopped");
        }
    }

    /** Init parameters first, then system properties, then the environment. */
    static SettingSource sources(ServletContext context) {
        return SettingSource.firstOf(
                SettingSource.initParameters(context::getInitParameter,
                        () -> Collections.list(context.getInitParameterNames())),
                SettingSource.systemProperties(System.getProperties()),
                SettingSource.environment(System.getenv()));
    }
}
