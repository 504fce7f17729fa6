package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.UpstreamChat;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * What a relay takes back from its store at start-up, in-process: an open chat is driven again
 * with the upstream's snapshot (its unsent messages given back first), a start in progress waits
 * for the visitor, and a record that cannot be used is set aside.
 */
class RestoreTest {

    private static final String TOKEN = "a-visitors-token";

    private static StoredConversation.Event said(long seq, String text, String clientId) {
        return StoredConversation.Event.of("said", seq, 1_000 * seq, "visitor", text, clientId, null, null, null, null,
                null, null);
    }

    private static StoredConversation record(String state, String upstream) {
        return StoredConversation.of(VisitorTokens.key(TOKEN), "0badcafe", null, state, null, null,
                new StoredConversation.Start("Welcome", "Kim", null, null), 2,
                List.of(said(1, "Hello", "m1"), said(2, "Where is my order?", "m2")),
                List.of(StoredConversation.Send.of("m1", 1, null, null), StoredConversation.Send.of("m2", 2, null, null)),
                unsent(state), null, "", upstream);
    }

    /** What waits to go: while starting, both messages; in an open chat, the last. */
    private static List<StoredConversation.Send> unsent(String state) {
        StoredConversation.Send second = StoredConversation.Send.of("m2", 2, "Where is my order?", null);
        return state.equals("STARTING") ? List.of(StoredConversation.Send.of("m1", 1, "Hello", null), second)
                : List.of(second);
    }

    private static MemoryStore holding(StoredConversation record) {
        MemoryStore store = new MemoryStore();
        store.records.put(record.key(), record);
        return store;
    }

    @Test
    void anOpenChatIsDrivenAgainAfterItsUnsentMessagesAreGivenBack() {
        try (RelayHarness harness = new RelayHarness(holding(record("WAITING", "snapshot-1")))) {
            FakeUpstream.FakeChat chat = harness.upstream.only();
            assertEquals("snapshot-1", chat.restoredFrom);
            // In this order: the first read of the chat may bring the echo of m2, which settles
            // it only if the upstream chat knows m2 by then.
            assertEquals(List.of("send m2 (restored)", "resume"), chat.calls());

            RecordingTab tab = new RecordingTab();
            harness.hello(tab, TOKEN, 2);
            TabMessage.Welcome welcome = tab.last(TabMessage.Welcome.class);
            assertFalse(welcome.snapshot());
            assertEquals(ConversationState.WAITING, welcome.status().state());
            tab.received.clear();
            harness.hello(new RecordingTab(), TOKEN, 0).send("m2", "Where is my order?");
            assertEquals(List.of("send m2 (restored)", "resume"), chat.calls(), "a tab sending it again adds nothing");
        }
    }

    /**
     * A crash takes back what was not written. Had a tab been shown an agent's message before it
     * was written, the conversation taken up again would number that message anew (the upstream
     * tells it again), after other events, and the tab, resuming by its last number, would be
     * given another event in its place and this one twice.
     */
    @Test
    void aTabIsShownOnlyWhatIsWrittenSoThatACrashTakesBackNothingItSaw() throws Exception {
        MemoryStore store = holding(record("CHATTING", "snapshot-1"));
        RecordingTab tab = new RecordingTab();
        try (RelayHarness before = new RelayHarness(store)) {
            before.hello(tab, TOKEN, 2);
            UpstreamChat.Listener upstream = before.upstream.only().listener;
            upstream.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Written"));
            upstream.changed();
            assertEquals("Written", said(tab.next(TabMessage.Event.class, e -> true)));

            store.slowDisk = new CountDownLatch(1); // the next write does not end before the crash
            upstream.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Not written"));
            upstream.changed();
            upstream.reachable(false); // shown at once: a mark that the tab has heard all it will before it
            tab.next(TabMessage.StatusChanged.class, status -> !status.status().reachable());
            assertEquals(List.of("Written"), tab.events().stream().map(RestoreTest::said).toList(),
                    "the message not written was not shown");
            // The crash: this relay's write never ends; another takes the store up as it is.
            StoredConversation written = store.only();
            MemoryStore after = holding(written);
            try (RelayHarness again = new RelayHarness(after)) {
                RecordingTab resumed = new RecordingTab();
                again.hello(resumed, TOKEN, tab.events().get(tab.events().size() - 1).seq());
                assertFalse(resumed.last(TabMessage.Welcome.class).snapshot(), "the tab saw nothing the store lost");
                again.upstream.only().listener.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Not written"));
                again.upstream.only().listener.changed();
                TabMessage.Event shown = resumed.next(TabMessage.Event.class, e -> true);
                assertEquals("Not written", said(shown));
                assertEquals(written.lastSeq() + 1, shown.event().seq(), "numbered next to what the tab has");
            } finally {
                store.slowDisk.countDown();
            }
        }
    }

    private static String said(TabMessage.Event event) {
        return said(event.event());
    }

    private static String said(RelayEvent event) {
        return event instanceof RelayEvent.Said said ? said.text() : event.getClass().getSimpleName();
    }

    @Test
    void aStartInProgressIsMadeAgainOnlyOnceTheVisitorIsBack() {
        try (RelayHarness harness = new RelayHarness(holding(record("STARTING", null)))) {
            FakeUpstream.FakeChat chat = harness.upstream.only();
            assertEquals(List.of(), chat.calls(), "the visitor may have given up");
            harness.hello(new RecordingTab(), TOKEN, 2);
            assertEquals(List.of("start m1", "send m2 (restored)"), chat.calls());
            assertEquals("Kim", chat.started.name());
        }
    }

    @Test
    void aStartFromAnOlderSaveThanTheTabSawIsNotMadeAndTheVisitorIsTold() throws Exception {
        try (RelayHarness harness = new RelayHarness(holding(record("STARTING", null)))) {
            RecordingTab tab = new RecordingTab();
            harness.hello(tab, TOKEN, 5);
            assertEquals(ConversationState.IDLE, tab.state());
            assertEquals(List.of("m1", "m2"), tab.all(TabMessage.Error.class).stream()
                    .filter(e -> e.code() == ErrorCode.START_FAILED).map(TabMessage.Error::clientId).toList());
            assertEquals(List.of(), harness.upstream.only().calls());
            Eventually.await("the dropped start is written", () -> "IDLE".equals(harness.store.loadAll().get(0).state()));
        }
    }

    @Test
    void aRecordWhoseUpstreamSnapshotCannotBeReadIsSetAsideAndTheRestLoad() {
        MemoryStore store = holding(record("WAITING", "unreadable"));
        StoredConversation fine = StoredConversation.of("another-key", "0ddba11", null, "CLOSED", "AGENT", null, null, 0,
                List.of(), List.of(), List.of(), null, "", "snapshot-2");
        store.records.put(fine.key(), fine);
        try (RelayHarness harness = new RelayHarness(store)) {
            assertEquals(1, harness.relay.conversations());
            assertTrue(store.records.containsKey("another-key"));
            assertFalse(store.records.containsKey(VisitorTokens.key(TOKEN)), "set aside");
        }
    }

    @Test
    void anOpenChatWithoutTheUpstreamsPartIsSetAside() {
        MemoryStore store = holding(record("CHATTING", null));
        try (RelayHarness harness = new RelayHarness(store)) {
            assertEquals(0, harness.relay.conversations());
            assertTrue(harness.upstream.chats.isEmpty());
        }
    }
}
