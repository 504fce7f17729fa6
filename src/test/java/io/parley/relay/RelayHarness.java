package io.parley.relay;

import io.parley.limits.AbuseLimits;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.tasks.ManualScheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A relay in the test's own thread: a {@link FakeUpstream} the test answers for, a clock that
 * moves only when told, and a store of the test's choosing. Nothing listens on a socket.
 */
final class RelayHarness implements AutoCloseable {

    final ManualScheduler clock = new ManualScheduler();
    final FakeUpstream upstream;
    final ConversationStore store;
    final Settings settings;
    final Relay relay;

    /** Whether this node drives its conversations; a test may hand them to another node and back. */
    final java.util.concurrent.atomic.AtomicBoolean drives = new java.util.concurrent.atomic.AtomicBoolean(true);

    /** @param settings pairs of setting names and values */
    RelayHarness(ConversationStore store, String... settings) {
        this(new FakeUpstream(), store, settings);
    }

    /** A relay in front of this fake upstream. */
    RelayHarness(FakeUpstream upstream, ConversationStore store, String... settings) {
        this.upstream = upstream;
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < settings.length; i += 2) {
            values.put(settings[i], settings[i + 1]);
        }
        this.store = store;
        upstream.clock = clock::now;
        this.settings = Settings.load(SettingSource.of(values));
        this.relay = new Relay(new Relay.Parts(this.settings, upstream, store, clock,
                new AbuseLimits(this.settings, () -> clock.now().toEpochMilli()), RelayObserver.NONE,
                key -> drives.get(), new InMemoryConversationRegistry()));
    }

    /** A relay that keeps nothing: every message counts as saved at once. */
    RelayHarness(String... settings) {
        this(ConversationStore.none(), settings);
    }

    TabHandle hello(RecordingTab tab) {
        return hello(tab, null, 0);
    }

    TabHandle hello(RecordingTab tab, String token, long lastSeq) {
        return relay.hello(tab, token, lastSeq, null, "").orElseThrow(() -> new AssertionError("refused: " + tab.received));
    }

    Optional<TabHandle> tryHello(RecordingTab tab, String token, long lastSeq) {
        return relay.hello(tab, token, lastSeq, null, "");
    }

    /** A visitor whose chat was asked for with message {@code m1} and is open upstream. */
    TabHandle open(RecordingTab tab) {
        TabHandle handle = hello(tab);
        handle.start("m1", "Hello", "Kim", null, java.util.OptionalInt.empty(), "127.0.0.1");
        upstream.chats.get(upstream.chats.size() - 1).listener.started();
        return handle;
    }

    void advance(Duration duration) {
        clock.advance(duration);
    }

    @Override
    public void close() {
        relay.close();
    }
}
