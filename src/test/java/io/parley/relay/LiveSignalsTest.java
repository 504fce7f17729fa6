package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.upstream.AgentCard;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ClosedBy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Live signals, in-process: the agent typing, the agent's seen mark and the place in the queue
 * reach the tabs as frames that are not events, and the visitor's draft and seen marks reach the
 * upstream spaced out, at most one call per {@link SignalThrottle#SPACING} per conversation.
 */
class LiveSignalsTest {

    private static final AgentCard ADA = new AgentCard("Ada", "Support", null);

    private final RelayHarness harness = new RelayHarness("max-tabs-per-visitor", "10", "grace-period", "10m");
    private final RecordingTab tab = new RecordingTab();

    @Test
    void typingAndSeenCostAtMostOneUpstreamCallPerTwoSecondsPerChatWhateverTheTabsSend() {
        TabHandle first = harness.open(tab);
        TabHandle second = harness.hello(new RecordingTab(), tab.token(), 0);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        String lastDraft = null;
        Instant lastAgentMessage = null;
        // A minute of two tabs sending a draft every 50 ms, and a seen mark for each of the agent's
        // messages, which come every 700 ms: far more than the upstream is to be asked.
        for (int step = 1; step <= 1200; step++) {
            harness.advance(Duration.ofMillis(50));
            lastDraft = "Draft " + step;
            (step % 2 == 0 ? first : second).typing(lastDraft);
            if (step % 14 == 0) {
                lastAgentMessage = harness.clock.now();
                chat.listener.received(new ChatEvent.Message(lastAgentMessage, Author.AGENT, "Answer " + step));
                long seq = tab.events().get(tab.events().size() - 1).seq();
                first.seen(seq);
                second.seen(seq);
            }
        }
        harness.advance(Duration.ofSeconds(10)); // what waited its turn goes

        List<FakeUpstream.Signal> signals = chat.signals();
        for (int i = 1; i < signals.size(); i++) {
            Duration gap = Duration.between(signals.get(i - 1).at(), signals.get(i).at());
            assertFalse(gap.compareTo(Duration.ofSeconds(2)) < 0, "call " + i + " came " + gap + " after the one before");
        }
        assertTrue(signals.size() >= 29, "the signals still go, one every 2 s: " + signals.size() + " in a minute");
        assertEquals(lastDraft, signals.stream().filter(s -> s.draft() != null).reduce((a, b) -> b).orElseThrow().draft(),
                "the agent ends up with the latest draft");
        assertEquals(lastAgentMessage, signals.stream().filter(s -> s.seenUpTo() != null).reduce((a, b) -> b)
                .orElseThrow().seenUpTo(), "and the latest seen mark");
        long seenMarks = signals.stream().filter(s -> s.seenUpTo() != null).count();
        assertTrue(seenMarks >= 10, "seen marks are not starved by drafts: " + seenMarks);
    }

    @Test
    void aDraftIsNeverSentBlankNorWithoutAnOpenChatAndOneEmptiedBeforeItsTurnIsNotSent() {
        TabHandle visitor = harness.hello(tab);
        visitor.typing("Before any chat");
        visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
        visitor.typing("While starting");
        FakeUpstream.FakeChat chat = harness.upstream.only();
        harness.advance(Duration.ofSeconds(5));
        assertEquals(List.of(), chat.signals(), "no chat upstream to show it in yet");

        chat.listener.started();
        visitor.typing("   ");
        assertEquals(List.of(), chat.signals(), "a blank composer says nothing");
        visitor.typing("Where is my");
        visitor.typing("Where is my order?");
        visitor.typing("");
        harness.advance(Duration.ofSeconds(5));
        assertEquals(List.of("Where is my"), drafts(chat), "the draft emptied before its turn is not sent");

        visitor.typing("Bye");
        visitor.close();
        harness.advance(Duration.ofSeconds(5));
        visitor.typing("After the end");
        harness.advance(Duration.ofSeconds(5));
        assertEquals(List.of("Where is my", "Bye"), drafts(chat), "nothing after the end");
    }

    @Test
    void seenMarksGoOnlyForwardAndOnlyPastWhatTheVisitorDidNotWrite() {
        TabHandle visitor = harness.open(tab);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        visitor.seen(1);
        assertEquals(List.of(), chat.signals(), "the visitor's own message counts as seen upstream already");

        Instant answered = harness.clock.now().minusSeconds(3);
        chat.listener.received(new ChatEvent.Message(answered, Author.AGENT, "Hi Kim"));
        visitor.seen(99); // a tab claiming more than there is: up to what there is
        assertEquals(List.of(answered), seenMarks(chat), "up to the agent's message, in the upstream's time");

        harness.advance(Duration.ofSeconds(3));
        visitor.seen(2);
        visitor.seen(1);
        visitor.send("m2", "Thanks");
        visitor.seen(3);
        harness.advance(Duration.ofSeconds(3));
        assertEquals(List.of(answered), seenMarks(chat), "never again nor backwards, and not for the visitor's own");
    }

    @Test
    void theAgentTypingReachesEveryTabAndATabThatAttachesButNotOnceItIsOld() {
        harness.open(tab);
        RecordingTab other = new RecordingTab();
        harness.hello(other, tab.token(), 0);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        long lastSeq = tab.events().get(tab.events().size() - 1).seq();

        chat.listener.received(new ChatEvent.Typing(null, true));
        assertEquals(new TabMessage.Typing(true), tab.last(TabMessage.Typing.class));
        assertEquals(new TabMessage.Typing(true), other.last(TabMessage.Typing.class));
        assertEquals(lastSeq, tab.events().get(tab.events().size() - 1).seq(), "not an event: nothing numbered");

        RecordingTab late = new RecordingTab();
        harness.hello(late, tab.token(), lastSeq);
        assertTrue(late.received.get(0) instanceof TabMessage.Welcome, "the welcome first");
        assertEquals(new TabMessage.Typing(true), late.last(TabMessage.Typing.class), "then what goes on now");

        harness.advance(Conversation.TYPING_LASTS.plusSeconds(1));
        RecordingTab later = new RecordingTab();
        harness.hello(later, tab.token(), lastSeq);
        assertTrue(later.all(TabMessage.Typing.class).isEmpty(), "typing with no word for a while is over");

        chat.listener.received(new ChatEvent.Typing(null, true));
        chat.listener.received(new ChatEvent.Typing(null, false));
        assertEquals(new TabMessage.Typing(false), tab.last(TabMessage.Typing.class));
        chat.listener.received(new ChatEvent.Typing(null, true));
        chat.listener.received(new ChatEvent.Message(null, Author.AGENT, "Here it is"));
        RecordingTab afterMessage = new RecordingTab();
        harness.hello(afterMessage, tab.token(), 0);
        assertTrue(afterMessage.all(TabMessage.Typing.class).isEmpty(), "the message typed ends the typing");
    }

    @Test
    void theAgentsSeenMarkNamesTheVisitorsLastMessageAtOrBeforeItAndIsToldToTabsThatAttach() {
        TabHandle visitor = harness.open(tab);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        Instant firstSent = harness.clock.now();
        harness.advance(Duration.ofSeconds(5));
        visitor.send("m2", "Second");
        Instant secondSent = harness.clock.now();

        chat.listener.received(new ChatEvent.Seen(null, firstSent.plusSeconds(1)));
        assertEquals(new TabMessage.Seen(1), tab.last(TabMessage.Seen.class));
        chat.listener.received(new ChatEvent.Seen(null, secondSent.plusMillis(300)));
        assertEquals(new TabMessage.Seen(2), tab.last(TabMessage.Seen.class));
        chat.listener.received(new ChatEvent.Seen(null, firstSent));
        assertEquals(2, tab.all(TabMessage.Seen.class).size(), "an older mark changes nothing");

        RecordingTab late = new RecordingTab();
        harness.hello(late, tab.token(), 2);
        assertEquals(new TabMessage.Seen(2), late.last(TabMessage.Seen.class));
    }

    @Test
    void theQueuePlaceIsToldLiveAndToTabsThatAttachAndEndsWhenAnAgentJoins() {
        harness.open(tab);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        chat.listener.received(new ChatEvent.QueuePosition(null, 3, 120));
        chat.listener.received(new ChatEvent.QueuePosition(null, 3, 120));
        assertEquals(List.of(new TabMessage.Queue(3, 120)), tab.all(TabMessage.Queue.class), "said once");
        chat.listener.received(new ChatEvent.QueuePosition(null, 2, 60));
        assertEquals(new TabMessage.Queue(2, 60), tab.last(TabMessage.Queue.class));

        RecordingTab late = new RecordingTab();
        harness.hello(late, tab.token(), 0);
        assertEquals(List.of(new TabMessage.Queue(2, 60)), late.all(TabMessage.Queue.class));

        chat.listener.received(new ChatEvent.AgentJoined(null, ADA));
        assertEquals(new TabMessage.Queue(0, 0), tab.last(TabMessage.Queue.class), "out of the queue");
        chat.listener.received(new ChatEvent.QueuePosition(null, 1, 10));
        assertEquals(new TabMessage.Queue(0, 0), tab.last(TabMessage.Queue.class), "a late place changes nothing");
        RecordingTab after = new RecordingTab();
        harness.hello(after, tab.token(), 0);
        assertTrue(after.all(TabMessage.Queue.class).isEmpty());

        chat.listener.ended(ClosedBy.AGENT, Instant.EPOCH);
        chat.listener.received(new ChatEvent.Typing(null, true));
        assertTrue(after.all(TabMessage.Typing.class).stream().noneMatch(TabMessage.Typing::typing),
                "no typing in a closed chat");
    }

    private static List<String> drafts(FakeUpstream.FakeChat chat) {
        return chat.signals().stream().map(FakeUpstream.Signal::draft).filter(draft -> draft != null).toList();
    }

    private static List<Instant> seenMarks(FakeUpstream.FakeChat chat) {
        return chat.signals().stream().map(FakeUpstream.Signal::seenUpTo).filter(upTo -> upTo != null).toList();
    }
}
