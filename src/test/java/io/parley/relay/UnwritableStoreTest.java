package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.testing.Eventually;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A store that cannot be written: a visitor's message is shown but neither acknowledged nor sent
 * upstream until it is written, so the tab keeps it; the relay says why for readiness, and takes
 * the message once the store works again.
 */
class UnwritableStoreTest {

    private final MemoryStore store = new MemoryStore();
    private final RelayHarness harness = new RelayHarness(store);

    @AfterEach
    void stop() {
        harness.close();
    }

    @Test
    void aMessageIsAcknowledgedAndSentOnlyOnceItIsWritten() throws Exception {
        RecordingTab tab = new RecordingTab();
        TabHandle visitor = harness.hello(tab);

        store.failing = true;
        visitor.start("m1", "Hello", "Unsaved", null, OptionalInt.empty(), "127.0.0.1");
        TabMessage.Error refused = tab.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()));
        assertEquals(ErrorCode.NOT_SAVED, refused.code());
        assertTrue(refused.retryAfter() != null, "the tab is told when to send it again");
        assertTrue(harness.relay.storeFailure().orElseThrow().contains("disk full"), "readiness learns why");
        assertTrue(tab.all(TabMessage.Ack.class).isEmpty(), "not acknowledged");
        assertEquals(List.of(), harness.upstream.only().calls(), "a crash now must not leave it sent but unknown");

        store.failing = false;
        visitor.start("m1", "Hello", "Unsaved", null, OptionalInt.empty(), "127.0.0.1"); // the tab's retry
        TabMessage.Ack ack = tab.next(TabMessage.Ack.class, a -> "m1".equals(a.clientId()));
        assertEquals(1, ack.seq());
        Eventually.await("readiness sees the store work", () -> harness.relay.storeFailure().isEmpty());
        assertTrue(store.written.stream().anyMatch(s -> s.unsent().stream().anyMatch(m -> "m1".equals(m.clientId()))),
                "written before the ack");
        Eventually.await("sent once written", () -> harness.upstream.only().calls().equals(List.of("start m1")));
    }

    @Test
    void aMessageRefusedOnceIsSentWithTheNextWriteEvenIfItsTabIsGone() throws Exception {
        RecordingTab first = new RecordingTab();
        TabHandle visitor = harness.hello(first);
        visitor.start("s1", "Hello", "Persisting", null, OptionalInt.empty(), "127.0.0.1");
        first.next(TabMessage.Ack.class, a -> "s1".equals(a.clientId()));
        FakeUpstream.FakeChat chat = harness.upstream.only();
        Eventually.await("started", () -> chat.calls().contains("start s1"));
        chat.listener.started();

        store.failing = true;
        visitor.send("m1", "Written late");
        first.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()) && e.code() == ErrorCode.NOT_SAVED);
        visitor.leave(); // its tab is gone, and with it the tab's own retry

        store.failing = false;
        RecordingTab second = new RecordingTab();
        harness.hello(second, first.token(), 0).send("m2", "And then this");
        second.next(TabMessage.Ack.class, a -> "m2".equals(a.clientId()));
        Eventually.await("both sent, in order", () -> chat.calls().equals(List.of("start s1", "send m1", "send m2")));
    }

    @Test
    void aStoreThatFailsIsRetriedByItselfAndLoggedOnceNotOncePerFailure() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        Logger persistenceLog = (Logger) LoggerFactory.getLogger(ConversationPersistence.class);
        logs.start();
        persistenceLog.addAppender(logs);
        try {
            RecordingTab tab = new RecordingTab();
            TabHandle visitor = harness.hello(tab);
            store.failing = true;
            visitor.start("m1", "Hello", "Retried", null, OptionalInt.empty(), "127.0.0.1");
            tab.next(TabMessage.Error.class, e -> "m1".equals(e.clientId()) && e.code() == ErrorCode.NOT_SAVED);
            long failures = store.attempts.get();
            Eventually.await("the write tried again by itself", () -> store.attempts.get() >= failures + 2);
            assertEquals(1, logs.list.stream().filter(e -> e.getLevel() == Level.ERROR).count(),
                    "one line for " + store.attempts.get() + " failed writes: " + logs.list);

            store.failing = false; // no change, no tab's retry: the writer finds it healed
            Eventually.await("readiness sees the store work again", () -> harness.relay.storeFailure().isEmpty());
            assertTrue(store.written.stream().anyMatch(s -> "STARTING".equals(s.state())), "what waited is written");
            assertEquals(Optional.empty(), harness.relay.storeFailure());
        } finally {
            persistenceLog.detachAppender(logs);
        }
    }
}
