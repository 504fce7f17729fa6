package io.parley.emulator.web;

import io.parley.emulator.DemoAgent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.v3.CustomerChatApi;
import io.parley.emulator.v3.web.AccountsServlet;
import io.parley.emulator.v3.web.RtmEndpoints;
import io.parley.emulator.v3.web.WebApiServlet;
import io.parley.pages.AssetServlet;
import io.parley.pages.PageRenderer;
import io.parley.settings.Settings;
import io.parley.emulator.UploadedFiles;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The emulator, mounted on a servlet context under {@code /emulator}: its state, its scheduler
 * (expiry sweep, demo agent, delayed answers) and its servlets: the Visitors Chat API v2, and the
 * Customer Chat API v3 with its accounts calls and RTM socket, over one set of chats.
 */
public final class Emulator implements AutoCloseable {

    private final EmulatedUpstream upstream;
    private final CustomerChatApi v3;
    private final FaultInjector faults = new FaultInjector();
    private final ScheduledThreadPoolExecutor scheduler;

    private Emulator(EmulatedUpstream upstream, Clock clock, ScheduledThreadPoolExecutor scheduler) {
        this.upstream = upstream;
        this.v3 = new CustomerChatApi(upstream, clock);
        this.scheduler = scheduler;
    }

    /** Where the visitor API is, below Parley's mount path. */
    static final String VISITOR_API = "/emulator/visitors";

    /**
     * Builds the emulator from the settings and registers its servlets on the context, under
     * {@code /emulator} below Parley's mount path.
     */
    public static Emulator mount(ServletContext context, Settings settings, PageRenderer pages, Clock clock) {
        String base = settings.mountPath() + "/emulator";
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "parley-emulator");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        Emulator emulator = new Emulator(
                new EmulatedUpstream(clock, settings.emulatorChatTimeout(), settings.emulatorDemoAgent()), clock,
                scheduler);
        if (settings.emulatorDemoAgent()) {
            emulator.upstream.addListener(new DemoAgent(emulator.upstream, scheduler, settings.emulatorAgentDelay()));
        }
        long sweepMillis = Math.max(50, Math.min(1000, settings.emulatorChatTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(emulator::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

        ServletRegistration.Dynamic visitors = context.addServlet("emulator-visitor-api",
                new VisitorApiServlet(emulator.upstream, emulator.faults, scheduler));
        visitors.setAsyncSupported(true);
        visitors.addMapping(settings.mountPath() + VISITOR_API + "/*");
        context.addServlet("emulator-agent-api", new AgentApiServlet(emulator.upstream, emulator.faults, emulator.v3))
                .addMapping(base + "/agent/api/*");
        mountV3(context, settings.mountPath(), emulator);
        context.addServlet("emulator-agent-console", new AgentConsoleServlet(emulator.upstream, pages, emulator.v3.groups()))
                .addMapping(base + "/agent/*");
        context.addServlet("emulator-assets", AssetServlet.fromClasspath("emulator",
                List.of("console.js", "console.css", "agent-ada.svg", "agent-sam.svg"))).addMapping(base + "/assets/*");
        return emulator;
    }

    /** The Customer Chat API v3: accounts, Web API under {@code /v3.6} (and {@code /v3.5}), RTM sockets. */
    private static void mountV3(ServletContext context, String mount, Emulator emulator) {
        String base = mount + "/emulator";
        context.addServlet("emulator-accounts", new AccountsServlet(emulator.v3.tokens(), emulator.faults,
                emulator.upstream.calls(), emulator.scheduler)).addMapping(base + "/accounts/v2/*");
        for (String version : RtmEndpoints.VERSIONS) {
            String below = "/emulator/v" + version + "/customer/action";
            ServletRegistration.Dynamic web = context.addServlet("emulator-web-api-" + version, new WebApiServlet(
                    emulator.v3, emulator.faults, emulator.upstream.calls(), emulator.scheduler, below));
            web.setAsyncSupported(true);
            // upload_file's multipart body, in memory up to its 10 MB (the only action that has one)
            web.setMultipartConfig(new MultipartConfigElement("", UploadedFiles.MAX_FILE + 1L,
                    UploadedFiles.MAX_FILE + 64 * 1024L, UploadedFiles.MAX_FILE + 64 * 1024));
            web.addMapping(mount + below + "/*");
        }
        context.addServlet("emulator-files", new FilesServlet(emulator.upstream.files())).addMapping(base + "/files/*");
        context.addListener(new RtmEndpoints(base, emulator.v3, emulator.faults, emulator.upstream.calls(),
                emulator.scheduler));
    }

    /** Keeps v3 chats of connected customers alive and ends expired sockets, then closes idle chats. */
    private void sweep() {
        try {
            v3.sweep();
        } finally {
            upstream.sweep();
        }
    }

    public EmulatedUpstream upstream() {
        return upstream;
    }

    /** The Customer Chat API v3 side. */
    public CustomerChatApi v3() {
        return v3;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(Duration.ofSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
