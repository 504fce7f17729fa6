package io.parley.emulator.web;

import io.parley.emulator.DemoAgent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.FaultInjector;
import io.parley.pages.PageRenderer;
import io.parley.settings.Settings;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Clock;
import java.time.Duration;
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

    /** Builds the emulator from the settings and registers its servlets on the context. */
    public static Emulator mount(ServletContext context, Settings settings, PageRenderer pages, Clock clock) {
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
        visitors.addMapping("/emulator/visitors/*");
        context.addServlet("emulator-agent-api", new AgentApiServlet(emulator.upstream, emulator.faults))
                .addMapping("/emulator/agent/api/*");
        context.addServlet("emulator-agent-console", new AgentConsoleServlet(emulator.upstream, pages))
                .addMapping("/emulator/agent/*");
        context.addServlet("emulator-assets", new EmulatorAssetServlet()).addMapping("/emulator/assets/*");
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
