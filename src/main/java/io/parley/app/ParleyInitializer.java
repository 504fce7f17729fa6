package io.parley.app;

import io.parley.emulator.v3.DemoAccount;
import io.parley.emulator.web.Emulator;
import io.parley.files.FileServlet;
import io.parley.files.Spool;
import io.parley.files.UploadServlet;
import io.parley.health.HealthServlet;
import io.parley.health.Heartbeat;
import io.parley.health.UpstreamHealth;
import io.parley.limits.AbuseLimits;
import io.parley.limits.SharedRateLimits;
import io.parley.livechat.v2.LegacyRecords;
import io.parley.livechat.v2.LiveChatV2;
import io.parley.livechat.v2.ObservedUpstreamClient;
import io.parley.livechat.v2.http.HttpUpstreamClient;
import io.parley.livechat.v3.LiveChatV3;
import io.parley.livechat.v3.RefreshTokenStore;
import io.parley.livechat.v3.http.HttpAccounts;
import io.parley.livechat.v3.http.HttpCustomerApi;
import io.parley.livechat.v3.http.RtmClient;
import io.parley.livechat.v3.http.WebApiCall;
import io.parley.metrics.MetricsServlet;
import io.parley.metrics.ParleyMetrics;
import io.parley.origins.AllowedOrigins;
import io.parley.origins.DemoHostFilter;
import io.parley.origins.DemoHosts;
import io.parley.pages.AssetServlet;
import io.parley.pages.PageRenderer;
import io.parley.relay.ConversationStore;
import io.parley.cluster.Cluster;
import io.parley.relay.InMemoryConversationRegistry;
import io.parley.relay.Ownership;
import io.parley.relay.Relay;
import io.parley.relay.ws.ClientAddresses;
import io.parley.relay.ws.Forwarder;
import io.parley.relay.ws.HandshakeRequests;
import io.parley.relay.ws.RelayEndpoints;
import io.parley.settings.InvalidSettingException;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.store.DefaultDataDirectory;
import io.parley.store.MvConversationStore;
import io.parley.tasks.ExecutorTaskScheduler;
import io.parley.upstream.Upstream;
import io.parley.upstream.UpstreamCallListener;
import io.parley.widget.ChatPageServlet;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Parley in a servlet context, found by the container in Parley's classes (a
 * {@code ServletContainerInitializer}), so that the WAR and the jar added to another web
 * application start the same way, with no {@code web.xml} entry. Reads and checks the settings,
 * builds the upstream client, mounts the emulator in demo mode and registers everything below
 * the {@code mount-path}. A bad setting stops start-up with one line naming it.
 */
public final class ParleyInitializer implements ServletContainerInitializer {

    private static final Logger LOG = LoggerFactory.getLogger(ParleyInitializer.class);
    /** How many default places are tried when others are held by other Parleys on this machine. */
    private static final int DEFAULT_PLACES = 5;

    /** The licence the emulator is called with in demo mode. */
    static final String DEMO_LICENCE_ID = "100000000";

    @Override
    public void onStartup(Set<Class<?>> ignored, ServletContext context) {
        AutoCloseable julBridge = LoggingSetup.bridgeJavaUtilLogging();
        try {
            start(context, julBridge);
        } catch (RuntimeException e) {
            closeQuietly(julBridge);
            throw e;
        }
    }

    private static void start(ServletContext context, AutoCloseable julBridge) {
        Settings settings = settings(context);
        String mount = settings.mountPath();
        Clock clock = Clock.systemUTC();
        PageRenderer pages = new PageRenderer(context, mount);
        Parley parley = build(context, settings, pages, clock);
        context.setAttribute(Parley.ATTRIBUTE, parley);

        HandshakeRequests requests = new HandshakeRequests();
        context.addListener(requests);
        context.addListener(new Lifecycle(parley, requests, julBridge));
        if (settings.demoMode()) {
            FilterRegistration.Dynamic hosts = context.addFilter("parley-demo-hosts",
                    new DemoHostFilter(new DemoHosts(settings), parley.limits().refusals()));
            hosts.setAsyncSupported(true); // the emulator answers some calls asynchronously
            hosts.addMappingForUrlPatterns(null, false, mount + "/*");
        }
        context.addServlet("parley-home", new HomeServlet(settings, pages)).addMapping(mount.isEmpty() ? "" : mount + "/");
        AssetServlet assets = AssetServlet.fromClasspath("assets", List.of("chat.js", "chat.css", "demo.css", "more.js"));
        context.addServlet("parley-chat", new ChatPageServlet(settings, pages,
                Map.of("chat.js", assets.version("chat.js"), "chat.css", assets.version("chat.css"),
                        "more.js", assets.version("more.js"))))
                .addMapping(mount + "/chat");
        context.addServlet("parley-widget", AssetServlet.fromClasspath("", List.of("widget.js")))
                .addMapping(mount + "/widget.js");
        context.addServlet("parley-assets", assets).addMapping(mount + "/assets/*");
        addFiles(context, settings, parley);
        context.addServlet("parley-metrics", new MetricsServlet(parley.metrics(), settings.metricsToken()))
                .addMapping(mount + "/metrics");
        context.addServlet("parley-health", new HealthServlet(parley.relay(), parley.heartbeat(), parley.upstreamHealth(),
                parley.shared().map(Parley.Shared::cluster).orElse(null)))
                .addMapping(mount + "/healthz/*");

        String api = settings.upstreamApi().settingValue();
        if (settings.demoMode()) {
            LOG.info("Parley started in demo mode: no LiveChat account is set, so the built-in emulator at {}{}/emulator "
                    + "is the upstream, spoken to as {}; agent console at {}{}/emulator/agent; conversations kept in {}",
                    context.getContextPath(), mount, api, context.getContextPath(), mount, parley.store().location());
        } else if (settings.upstreamApi() == Settings.UpstreamApi.LIVECHAT_V3) {
            LOG.info("Parley started for LiveChat organization {} with {} (Customer Chat API {}) at {}; conversations "
                    + "kept in {}", settings.organizationId().get(), api, settings.apiVersion(), settings.apiUrl(),
                    parley.store().location());
        } else {
            LOG.info("Parley started for licence {} with {} at {}; conversations kept in {}",
                    settings.licenceId().get(), api, settings.apiUrl(), parley.store().location());
        }
    }

    /** How often the upload spool is swept, and how old a file nothing waits for must be to go. */
    private static final Duration SPOOL_SWEEPS = Duration.ofMinutes(15);
    private static final Duration SPOOL_AGE = Duration.ofHours(1);

    /**
     * The visitor's uploads ({@code /upload}) and every shared file ({@code /files/}): uploads
     * wait in a spool beside the store (in the temporary directory when there is none), swept
     * of what nothing waits for.
     */
    private static void addFiles(ServletContext context, Settings settings, Parley parley) {
        String mount = settings.mountPath();
        Path location = Path.of(System.getProperty("java.io.tmpdir"), "parley-uploads-" + Long.toHexString(System.nanoTime()));
        try {
            Path stored = Path.of(parley.store().location());
            if (Files.isDirectory(stored)) {
                location = stored.resolve("uploads");
            }
        } catch (RuntimeException e) {
            // no directory of its own (memory only): the temporary one
        }
        Spool spool = Spool.in(location);
        context.addServlet("parley-upload", new UploadServlet(parley.relay(), spool, settings.uploadTypes(),
                new AllowedOrigins(settings), new ClientAddresses(settings.clientIpHeader()), parley.limits(),
                parley.shared().map(Parley.Shared::forwarder).orElse(null)))
                .addMapping(mount + "/upload");
        Supplier<URI> apiUrl;
        if (settings.demoMode()) {
            DemoUpstreamAddress address = new DemoUpstreamAddress(mount);
            context.addListener(address);
            apiUrl = address;
        } else {
            URI api = settings.apiUrl();
            apiUrl = () -> api;
        }
        context.addServlet("parley-files", new FileServlet(parley.relay(), apiUrl, settings.upstreamTimeout(),
                parley.shared().map(Parley.Shared::forwarder).orElse(null)))
                .addMapping(mount + "/files/*");
        sweepSpool(spool, parley);
    }

    private static void sweepSpool(Spool spool, Parley parley) {
        if (!parley.relay().accepting()) {
            return;
        }
        try {
            spool.sweep(parley.relay().spooledFiles(), SPOOL_AGE, parley.scheduler().now());
        } finally {
            parley.scheduler().schedule(() -> sweepSpool(spool, parley), SPOOL_SWEEPS);
        }
    }

    private static Settings settings(ServletContext context) {
        LoggingSetup.ensureOutput();
        Settings settings;
        try {
            settings = Settings.load(sources(context));
        } catch (InvalidSettingException e) {
            LOG.error("Parley cannot start. {}", e.getMessage());
            throw e;
        }
        LoggingSetup.apply(settings);
        settings.unknownNames().forEach(name ->
                LOG.warn("Ignoring unknown setting '{}': it is not a Parley setting (a typo?)", name));
        return settings;
    }

    /** The emulator in demo mode, the upstream of the chosen API, the store, the relay and what watches them. */
    private static Parley build(ServletContext context, Settings settings, PageRenderer pages, Clock clock) {
        Cluster cluster = settings.cluster().map(c -> Cluster.join(c, settings.mountPath() + "/ws")).orElse(null);
        try {
            return build(context, settings, pages, clock, cluster);
        } catch (RuntimeException | Error e) {
            if (cluster != null) {
                cluster.close(); // its threads would keep the server's JVM alive
            }
            throw e;
        }
    }

    private static Parley build(ServletContext context, Settings settings, PageRenderer pages, Clock clock,
            Cluster cluster) {
        Emulator emulator = null;
        Supplier<URI> apiUrl;
        Supplier<URI> accountsUrl;
        if (settings.demoMode()) {
            emulator = Emulator.mount(context, settings, pages, clock);
            DemoUpstreamAddress address = new DemoUpstreamAddress(settings.mountPath());
            context.addListener(address);
            apiUrl = address;
            accountsUrl = () -> address.get() == null ? null : URI.create(address.get() + "/accounts");
        } else {
            URI api = settings.apiUrl();
            URI accounts = settings.accountsUrl();
            apiUrl = () -> api;
            accountsUrl = () -> accounts;
        }
        ParleyMetrics metrics = new ParleyMetrics();
        UpstreamHealth upstreamHealth = new UpstreamHealth(clock, settings.unreadyAfter());
        ConversationStore stored = openStore(context, settings, clock);
        if (cluster != null) {
            stored = cluster.sharing(stored);
        }
        ExecutorTaskScheduler scheduler = new ExecutorTaskScheduler(clock, "parley-relay");
        Upstream upstream;
        ObservedUpstreamClient v2Client = null;
        ConversationStore store;
        if (settings.upstreamApi() == Settings.UpstreamApi.LIVECHAT_V3) {
            store = stored;
            LiveChatV3 livechat = liveChatV3(settings, apiUrl, accountsUrl, store, scheduler,
                    List.of(metrics, upstreamHealth));
            metrics.watchRtm(livechat::socketsLoggedIn, livechat::chatsPolling);
            upstream = livechat;
        } else {
            store = LegacyRecords.upgrading(stored);
            HttpUpstreamClient http = new HttpUpstreamClient(apiUrl,
                    settings.licenceId().orElse(DEMO_LICENCE_ID), settings.upstreamTimeout(),
                    settings.upstreamConnections(), Math.max(1024, settings.maxConversations() * 3), clock);
            http.addRequestListener(metrics.upstreamRequests());
            v2Client = new ObservedUpstreamClient(http);
            v2Client.addListener(metrics);
            v2Client.addListener(upstreamHealth);
            LiveChatV2 livechat = new LiveChatV2(v2Client, scheduler, settings, new Random(), metrics::pollStarted);
            metrics.watchPolls(() -> livechat.poller().inFlight(), () -> livechat.poller().waiting());
            upstream = livechat;
        }
        LongSupplier millis = () -> scheduler.now().toEpochMilli();
        AbuseLimits limits = new AbuseLimits(settings, millis, metrics::rateLimited, metrics::refused,
                cluster == null ? SharedRateLimits.local(millis) : (name, rate) -> cluster.rateLimit(name, rate, millis));
        Relay relay = new Relay(new Relay.Parts(settings, upstream, store, scheduler, limits, metrics,
                cluster == null ? Ownership.singleNode() : cluster.ownership(),
                cluster == null ? new InMemoryConversationRegistry() : cluster.registry()));
        metrics.watch(relay);
        Parley.Shared shared = null;
        if (cluster != null) {
            cluster.drive(relay, settings.upstreamTimeout());
            metrics.watchCluster(cluster::view);
            context.addListener(new ServingAddress(cluster));
            shared = new Parley.Shared(cluster, new Forwarder(cluster.forwarding(), settings.maxMessageLength(),
                    settings.upstreamTimeout()));
        }
        return new Parley(settings, upstream, v2Client, emulator, relay, scheduler, store, limits,
                new Parley.Watchers(metrics, upstreamHealth, Heartbeat.start(scheduler)), shared);
    }

    /**
     * The Customer Chat API v3 through HTTP and RTM: the account from the settings, or in demo
     * mode the emulator's demo account. Every Web API and accounts call is told to the listeners.
     */
    private static LiveChatV3 liveChatV3(Settings settings, Supplier<URI> apiUrl, Supplier<URI> accountsUrl,
            ConversationStore store, ExecutorTaskScheduler scheduler, List<UpstreamCallListener> listeners) {
        boolean demo = settings.demoMode();
        String organization = demo ? DemoAccount.ORGANIZATION_ID : settings.organizationId().orElseThrow();
        HttpAccounts accounts = new HttpAccounts(accountsUrl, demo ? DemoAccount.CLIENT_ID : settings.clientId().orElseThrow(),
                demo ? DemoAccount.CLIENT_SECRET : settings.clientSecret().orElseThrow(), settings.upstreamTimeout());
        HttpCustomerApi api = new HttpCustomerApi(apiUrl, organization, settings.apiVersion(), settings.upstreamTimeout(),
                settings.upstreamConnections());
        RtmClient rtm = new RtmClient(apiUrl, organization, settings.apiVersion(), settings.upstreamTimeout(), scheduler);
        WebApiCall.Listener told = call -> {
            String outcome = call.succeeded() ? "ok" : call.failure() == null ? "http_" + call.status()
                    : call.failure().kind().name().toLowerCase(java.util.Locale.ROOT);
            boolean ends = call.action().equals("deactivate_chat");
            listeners.forEach(listener -> listener.finished(call.action(), outcome, call.answered(), ends, call.duration()));
        };
        accounts.addCallListener(told);
        api.addCallListener(told);
        RefreshTokenStore refreshTokens = new StoredRefreshToken(store,
                demo ? DemoAccount.REFRESH_TOKEN : settings.refreshToken().orElseThrow());
        LiveChatV3 livechat = new LiveChatV3(new LiveChatV3.Transports(accounts, api, rtm), refreshTokens, scheduler,
                new Random(), settings.availabilityInterval());
        listeners.forEach(livechat::addCallListener);
        return livechat;
    }

    /**
     * The store: where {@code data-dir} says; with {@code data-dir=none}, none; else the default
     * place, or the next one beside it if another Parley holds it. A default place that cannot be
     * used leaves conversations in memory with one warning; a chosen one that cannot be used stops
     * the start.
     */
    private static ConversationStore openStore(ServletContext context, Settings settings, Clock clock) {
        if (settings.memoryOnly()) {
            return ConversationStore.none();
        }
        if (settings.dataDir().isPresent()) {
            try {
                return MvConversationStore.open(settings.dataDir().get(), clock);
            } catch (IllegalStateException e) {
                LOG.error("Parley cannot start. {}", e.getMessage());
                throw e;
            }
        }
        Path preferred = DefaultDataDirectory.of(context.getContextPath(), System::getProperty);
        for (int attempt = 1; attempt <= DEFAULT_PLACES; attempt++) {
            Path directory = attempt == 1 ? preferred : DefaultDataDirectory.alternative(preferred, attempt);
            try {
                return MvConversationStore.open(directory, clock);
            } catch (MvConversationStore.InUseException e) {
                LOG.info("{}; trying the next place", e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Conversations are kept in memory only, and a restart ends every chat: the default data "
                        + "directory {} cannot be used ({}). Set data-dir to a writable directory, or data-dir=none.",
                        directory, e.getMessage());
                return ConversationStore.none();
            }
        }
        LOG.warn("Conversations are kept in memory only, and a restart ends every chat: {} and the {} places beside it "
                + "are in use by other Parleys. Set data-dir.", preferred, DEFAULT_PLACES - 1);
        return ConversationStore.none();
    }

    /**
     * Adds {@code /ws} once every initializer has run, as the container's WebSocket support is
     * itself set up by one, in no promised order; closes Parley with the context.
     */
    private static final class Lifecycle implements ServletContextListener {

        private final Parley parley;
        private final HandshakeRequests requests;
        private final AutoCloseable julBridge;

        Lifecycle(Parley parley, HandshakeRequests requests, AutoCloseable julBridge) {
            this.parley = parley;
            this.requests = requests;
            this.julBridge = julBridge;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServletContext context = event.getServletContext();
            Settings settings = parley.settings();
            Object container = context.getAttribute(ServerContainer.class.getName());
            try {
                if (!(container instanceof ServerContainer serverContainer)) {
                    throw new IllegalStateException("Parley cannot start: the servlet container offers no Jakarta "
                            + "WebSocket support (on Jetty, enable the ee10-websocket-jakarta module)");
                }
                RelayEndpoints.register(serverContainer, parley.relay(), new RelayEndpoints.Options(
                        settings.mountPath() + "/ws", settings.maxMessageLength(), settings.helloTimeout(),
                        new AllowedOrigins(settings), new DemoHosts(settings), requests,
                        new ClientAddresses(settings.clientIpHeader()), parley.limits(),
                        parley.shared().map(Parley.Shared::forwarder).orElse(null)), parley.scheduler());
            } catch (DeploymentException | IllegalStateException e) {
                parley.close();
                LOG.error("{}", e.getMessage());
                closeQuietly(julBridge);
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            parley.close();
            LOG.info("Parley stopped");
            closeQuietly(julBridge);
            LoggingSetup.stop();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Could not undo the java.util.logging bridge: {}", e.toString());
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
