package io.parley.app;

import io.parley.emulator.web.Emulator;
import io.parley.relay.ConversationStore;
import io.parley.relay.Relay;
import io.parley.relay.poll.ExecutorTaskScheduler;
import io.parley.settings.Settings;
import io.parley.upstream.UpstreamClient;
import java.util.Optional;

/**
 * What Parley built at start-up, for the life of the servlet context. Found in the context
 * attribute {@link #ATTRIBUTE}.
 */
public final class Parley implements AutoCloseable {

    public static final String ATTRIBUTE = Parley.class.getName();

    private final Settings settings;
    private final UpstreamClient upstream;
    private final Emulator emulator;
    private final Relay relay;
    private final ExecutorTaskScheduler scheduler;
    private final ConversationStore store;

    Parley(Settings settings, UpstreamClient upstream, Emulator emulator, Relay relay, ExecutorTaskScheduler scheduler,
            ConversationStore store) {
        this.store = store;
        this.settings = settings;
        this.upstream = upstream;
        this.emulator = emulator;
        this.relay = relay;
        this.scheduler = scheduler;
    }

    /** The relay behind {@code /ws}. */
    public Relay relay() {
        return relay;
    }

    public Settings settings() {
        return settings;
    }

    /** The upstream: LiveChat's API, or in demo mode the emulator over HTTP. */
    public UpstreamClient upstream() {
        return upstream;
    }

    /** The emulator, mounted in demo mode only. */
    public Optional<Emulator> emulator() {
        return Optional.ofNullable(emulator);
    }

    @Override
    public void close() {
        relay.close(); // saves every conversation
        scheduler.close();
        upstream.close();
        store.close();
        if (emulator != null) {
            emulator.close();
        }
    }
}
