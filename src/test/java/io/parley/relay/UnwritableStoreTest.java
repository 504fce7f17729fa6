package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.relay.poll.ExecutorTaskScheduler;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import io.parley.upstream.http.HttpUpstreamClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/**
 * A store that cannot be written: a visitor's message is shown and sent upstream, but not
 * acknowledged until it is written, so the tab keeps it; the relay says why for readiness, and
 * acknowledges the message once the store works again.
 */
class UnwritableStoreTest {

    @RegisterExtension
    static final RunningParley UPSTREAM = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private final FailingStore store = new FailingStore();
    private ExecutorTaskScheduler scheduler;
    private HttpUpstreamClient upstream;
    private Relay relay;

    @BeforeEach
    void start() {
        Settings settings = Settings.load(SettingSource.of(Map.of("licence-id", "123",
                "api-url", UPSTREAM.server().emulatorUri().toString(), "poll-fast-interval", "100ms")));
        scheduler = new ExecutorTaskScheduler(Clock.systemUTC(), "test-relay");
        upstream = new HttpUpstreamClient(UPSTREAM.server()::emulatorUri, "123", settings.upstreamTimeout(), 4,
                Clock.systemUTC());
        relay = new Relay(settings, upstream, new InMemoryConversationRegistry(), store, scheduler, new Random(1));
    }

    @AfterEach
    void stop() {
        relay.close();
        upstream.close();
        scheduler.close();
    }

    @Test
    void aMessageIsAcknowledgedOnlyOnceItIsWritten() throws Exception {
        RecordingTab tab = new RecordingTab();
        Conversation c = relay.hello(tab, null, 0, null, "").orElseThrow();
        tab.next(TabMessage.Welcome.class, m -> true);

        store.failing = true;
        relay.start(tab, c, "m1", "Hello", "Unsaved", null, OptionalInt.empty(), "127.0.0.1");
        TabMessage.Error refused = tab.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()));
        assertEquals(ErrorCode.NOT_SAVED, refused.code());
        assertTrue(refused.retryAfter() != null, "the tab is told when to send it again");
        assertTrue(relay.storeFailure().orElseThrow().contains("disk full"), "readiness learns why");
        assertTrue(tab.received.stream().noneMatch(m -> m instanceof TabMessage.Ack), "not acknowledged");

        store.failing = false;
        relay.start(tab, c, "m1", "Hello", "Unsaved", null, OptionalInt.empty(), "127.0.0.1"); // the tab's retry
        TabMessage.Ack ack = tab.next(TabMessage.Ack.class, a -> "m1".equals(a.clientId()));
        assertEquals(1, ack.seq());
        assertEquals(Optional.empty(), relay.storeFailure());
        assertTrue(store.saved.stream().anyMatch(s -> s.unsent().stream().anyMatch(m -> "m1".equals(m.clientId()))
                || s.accepted().stream().anyMatch(m -> "m1".equals(m.clientId()))), "written before the ack");
        int chat = UPSTREAM.agent().awaitChatNumberOf("Unsaved");
        UPSTREAM.agent().awaitChat(chat, Eventually.DEADLINE, t -> List.of("Hello").equals(
                io.parley.testing.AgentApi.visitorTexts(t)));
    }

    @Test
    void aMessageRefusedOnceIsSentWithTheNextWriteEvenIfItsTabIsGone() throws Exception {
        RecordingTab first = new RecordingTab();
        Conversation c = relay.hello(first, null, 0, null, "").orElseThrow();
        first.next(TabMessage.Welcome.class, m -> true);
        relay.start(first, c, "s1", "Hello", "Persisting", null, OptionalInt.empty(), "127.0.0.1");
        first.next(TabMessage.Ack.class, a -> "s1".equals(a.clientId()));
        int chat = UPSTREAM.agent().awaitChatNumberOf("Persisting");

        store.failing = true;
        relay.send(first, c, "m1", "Written late");
        first.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()) && e.code() == ErrorCode.NOT_SAVED);
        relay.detach(first, c); // its tab is gone, and with it the tab's own retry

        store.failing = false;
        RecordingTab second = new RecordingTab();
        relay.hello(second, c.token, 0, null, "").orElseThrow();
        relay.send(second, c, "m2", "And then this");
        second.next(TabMessage.Ack.class, a -> "m2".equals(a.clientId()));
        UPSTREAM.agent().awaitChat(chat, Eventually.DEADLINE, t -> List.of("Hello", "Written late", "And then this")
                .equals(io.parley.testing.AgentApi.visitorTexts(t)));
    }

    @Test
    void aStoreThatFailsIsRetriedByItselfAndLoggedOnceNotOncePerFailure() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger persistenceLog = (Logger) LoggerFactory.getLogger(ConversationPersistence.class);
        logs.start();
        persistenceLog.addAppender(logs);
        try {
            RecordingTab tab = new RecordingTab();
            Conversation c = relay.hello(tab, null, 0, null, "").orElseThrow();
            store.failing = true;
            relay.start(tab, c, "m1", "Hello", "Retried", null, OptionalInt.empty(), "127.0.0.1");
            tab.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()) && e.code() == ErrorCode.NOT_SAVED);
            long failures = store.attempts.get();
            Eventually.await("the write tried again by itself", () -> store.attempts.get() >= failures + 2);
            assertEquals(1, logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).count(),
                    "one line for " + store.attempts.get() + " failed writes: " + logs.list);

            store.failing = false; // no change, no tab's retry: the writer finds it healed
            Eventually.await("readiness sees the store work again", () -> relay.storeFailure().isEmpty());
            assertTrue(store.saved.stream().anyMatch(s -> "STARTING".equals(s.state())), "what waited is written");
        } finally {
            persistenceLog.detachAppender(logs);
        }
    }

    /** A store whose writes fail while told to, as a full or read-only disk would. */
    private static final class FailingStore implements ConversationStore {
        volatile boolean failing;
        final java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
        final List<StoredConversation> saved = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public List<StoredConversation> loadAll() {
            return List.of();
        }

        @Override
        public void save(StoredConversation conversation) {
            attempts.incrementAndGet();
            if (failing) {
                throw new IllegalStateException("disk full");
            }
            saved.add(conversation);
        }

        @Override
        public void delete(String key) {
            // nothing kept to delete
        }

        @Override
        public void setAside(String key) {
            // nothing kept to set aside
        }

        @Override
        public void close() {
            // nothing held
        }
    }

    /** A tab that records what it is given. */
    private static final class RecordingTab implements Tab {
        final List<TabMessage> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final BlockingQueue<TabMessage> queue = new LinkedBlockingQueue<>();
        private final List<TabMessage> skipped = new ArrayList<>();

        @Override
        public void deliver(TabMessage message) {
            received.add(message);
            queue.add(message);
        }

        @Override
        public void end(TabMessage.Error reason) {
            deliver(reason);
        }

        @Override
        public void disconnect() {
            // not needed here
        }

        <T extends TabMessage> T next(Class<T> type, Predicate<T> condition) throws InterruptedException {
            long deadline = System.nanoTime() + Eventually.DEADLINE.toNanos();
            while (true) {
                TabMessage message = queue.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within the deadline; received " + received);
                }
                if (type.isInstance(message) && condition.test(type.cast(message))) {
                    return type.cast(message);
                }
                skipped.add(message);
            }
        }
    }
}
