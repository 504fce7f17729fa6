package io.parley.emulator.web;

import io.parley.emulator.DemoAgent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.FaultInjector;
import io.parley.pages.AssetServlet;
import io.parley.pages.PageRenderer;
import io.parley.settings.Settings;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The emulator, mounted on a servlet context under {@code /emulator}: its state, its scheduler
 * (expiry sweep, demo agent, delayed answers) and its servlets.
 */
public final class Emulator implements AutoCloseable {

    private final EmulatedUpstream upstream;
    private final FaultInjector faults = new FaultInjector();
    private final ScheduledThreadPoolExecutor scheduler;

    private Emulator(EmulatedUpstream upstream, ScheduledThreadPoolExecutor scheduler) {
        this.upstream = upstream;
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
                new EmulatedUpstream(clock, settings.emulatorChatTimeout(), settings.emulatorDemoAgent()), scheduler);
        if (settings.emulatorDemoAgent()) {
            emulator.upstream.addListener(new DemoAgent(emulator.upstream, scheduler, settings.emulatorAgentDelay()));
        }
        long sweepMillis = Math.max(50, Math.min(1000, settings.emulatorChatTimeout().toMillis() / 4));
        scheduler.scheduleWithFixedDelay(emulator.upstream::sweep, sweepMillis, sweepMillis, TimeUnit.MILLISECONDS);

        ServletRegistration.Dynamic visitors = context.addServlet("emulator-visitor-api",
                new VisitorApiServlet(emulator.upstream, emulator.faults, scheduler));
        visitors.setAsyncSupported(true);
        visitors.addMapping(settings.mountPath() + VISITOR_API + "/*");
        context.addServlet("emulator-agent-api", new AgentApiServlet(emulator.upstream, emulator.faults))
                .addMapping(base + "/agent/api/*");
        context.addServlet("emulator-agent-console", new AgentConsoleServlet(emulator.upstream, pages))
                .addMapping(base + "/agent/*");
        context.addServlet("emulator-assets", AssetServlet.fromClasspath("emulator",
                List.of("console.js", "console.css", "agent-ada.svg", "agent-sam.svg"))).addMapping(base + "/assets/*");
        return emulator;
    }

    public EmulatedUpstream upstream() {
        return upstream;
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
