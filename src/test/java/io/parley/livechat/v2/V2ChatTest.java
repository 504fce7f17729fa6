package io.parley.livechat.v2;

import io.parley.upstream.HeardLines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import io.parley.tasks.ManualScheduler;
import io.parley.upstream.ChatStart;
import io.parley.upstream.Outgoing;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The v2 adapter on its own, in-process: every call waits for the test to answer it, the clock
 * moves only when told, and what the adapter reports is recorded. Each outcome a v2 upstream can
 * give (banned, refused, failing, ambiguous, gone, unreadable, out of order) and a restart.
 */
class V2ChatTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final UpstreamSession SESSION = new UpstreamSession("p-visitor", "s-1");

    private final ManualScheduler clock = new ManualScheduler();
    private final ScriptedClient client = new ScriptedClient();
    private final Settings settings = Settings.load(SettingSource.of(Map.of("poll-fast-interval", "1s",
            "poll-interval", "8s", "poll-idle-interval", "8s")));
    private final LiveChatV2 upstream = new LiveChatV2(new ObservedUpstreamClient(client), clock, settings,
            new Random(1), UpstreamPoller.Listener.NONE);
    private final HeardLines heard = new HeardLines(clock::now);
    private final UpstreamChat chat = upstream.chat("c1", null, heard);

    private static UpstreamEvent agent(long id, String text) {
        return new UpstreamEvent.Message(id, T, UserType.AGENT, text);
    }

    private static UpstreamEvent visitor(long id, String text) {
        return new UpstreamEvent.Message(id, T, UserType.VISITOR, text);
    }

    private static PollResult.Polled polled(UpstreamEvent... events) {
        return new PollResult.Polled(List.of(events));
    }

    /** Starts the chat with {@code m1} and lets it land. */
    private void open() {
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m1", "Hello", false));
        client.next("start").answer(new StartResult.Started(SESSION));
        client.next("send").answer(new SendResult.Sent());
        assertEquals(List.of("started", "delivered m1"), heard.take());
    }

    /** Lets time pass until the next poll goes (within {@code within}), and answers it. */
    private ScriptedClient.Call poll(Duration within, PollResult answer) {
        clock.advance(Duration.ZERO);
        for (Duration waited = Duration.ZERO; client.idle() && waited.compareTo(within) < 0;
                waited = waited.plusMillis(100)) {
            clock.advance(Duration.ofMillis(100));
        }
        ScriptedClient.Call poll = client.next("poll");
        poll.answer(answer);
        return poll;
    }

    @Test
    void aStartLandsThenItsFirstMessageThenPollsKeepTheChat() {
        open();
        ScriptedClient.Call first = poll(Duration.ofSeconds(2), polled(visitor(1, "Hello"), agent(2, "Hi, I'm Ada")));
        assertEquals(0, first.after(), "the first poll reads the whole chat");
        assertEquals(List.of("agent: Hi, I'm Ada"), heard.take(), "the visitor's own message is not shown twice");
        ScriptedClient.Call second = poll(Duration.ofSeconds(2), polled());
        assertEquals(2, second.after(), "the cursor moved");
    }

    @Test
    void aQuietPollAsksForNoWriteAndOneWithNewsForOne() {
        open();
        poll(Duration.ofSeconds(2), polled(visitor(1, "Hello")));
        int afterNews = heard.changes;
        poll(Duration.ofSeconds(2), polled());
        poll(Duration.ofSeconds(2), polled(visitor(1, "Hello")));
        assertEquals(afterNews, heard.changes, "nothing new: nothing to write, however many chats are polled");
        poll(Duration.ofSeconds(2), polled(agent(2, "News")));
        assertEquals(afterNews + 1, heard.changes);
    }

    @Test
    void aStartIsRetriedWhileTheUpstreamFailsAndTheVisitorIsToldItIsUnreachable() {
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m1", "Hello", false));
        client.next("start").answer(new UpstreamFailure.ServerError(503, "down"));
        assertEquals(List.of("reachable false"), heard.take());
        clock.advance(Duration.ofMillis(499));
        assertTrue(client.idle(), "it backs off");
        clock.advance(Duration.ofMillis(1));
        client.next("start").answer(new StartResult.Started(SESSION));
        assertEquals(List.of("reachable true", "started"), heard.take());
        assertEquals("Hello", client.next("send").text());
    }

    @Test
    void aBannedVisitorGetsNoChatAndTheirMessageIsNotSent() {
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m1", "Hello", false));
        client.next("start").answer(new StartResult.Banned());
        assertEquals(List.of("refused BANNED"), heard.take());
        assertTrue(client.idle());
    }

    @Test
    void aStartRefusedForGoodIsNotRetried() {
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m1", "Hello", false));
        client.next("start").answer(new UpstreamFailure.Rejected(400, "bad group"));
        assertEquals(List.of("refused FAILED"), heard.take());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(1, client.count("start"));
    }

    @Test
    void aSendThatMayHaveLandedIsSettledByItsEchoAndNotSentAgain() {
        open();
        chat.send(new Outgoing("m2", "Did this arrive?", false));
        client.next("send").answer(new UpstreamFailure.TimedOut(Duration.ofSeconds(5)));
        assertEquals(List.of(), heard.take(), "neither delivered nor lost yet");
        poll(Duration.ZERO, polled(visitor(1, "Hello"), visitor(2, "Did this arrive?")));
        assertEquals(List.of("delivered m2"), heard.take(), "its echo settles it, and is not shown");
        chat.send(new Outgoing("m3", "Next", false));
        assertEquals("Next", client.next("send").text(), "the next goes, and the settled one never again");
        assertEquals(2, client.count("send") - 1);
    }

    @Test
    void aSendThatMayHaveLandedButIsNotInTheTranscriptGoesAgainOnce() {
        open();
        chat.send(new Outgoing("m2", "Lost?", false));
        Instant failedAt = clock.now();
        client.next("send").answer(new UpstreamFailure.ConnectionFailed("reset"));
        assertTrue(client.idle(), "not sent again before the transcript is read");
        for (int polls = 0; client.idle(); polls++) {
            assertTrue(polls < 100, "sent again once the failed call can no longer land");
            poll(Duration.ofSeconds(10), polled(visitor(1, "Hello")));
            clock.advance(Duration.ZERO);
        }
        assertFalse(clock.now().isBefore(failedAt.plus(UpstreamChat.IN_DOUBT)),
                "not sent again while the failed call could still land, whatever the polls showed");
        ScriptedClient.Call again = client.next("send");
        assertEquals("Lost?", again.text());
        again.answer(new SendResult.Sent());
        assertEquals(List.of("delivered m2"), heard.take());
        poll(Duration.ofSeconds(2), polled(visitor(2, "Lost?")));
        assertEquals(List.of(), heard.take(), "the echo of the copy that landed is not shown");
    }

    @Test
    void aSendThatSurelyDidNotLeaveGoesAgainOnceThePollShowsTheChatIsThere() {
        open();
        chat.send(new Outgoing("m2", "Persistent", false));
        client.next("send").answer(new UpstreamFailure.NotSent("no connection"));
        assertTrue(client.idle(), "not at once");
        poll(Duration.ZERO, polled()); // asked at once: the chat may be gone
        client.next("send").answer(new SendResult.Sent());
        assertEquals(List.of("delivered m2"), heard.take());
    }

    @Test
    void aMessageTheUpstreamRefusesIsReportedAndTheNextGoes() {
        open();
        chat.send(new Outgoing("m2", "Refused", false));
        chat.send(new Outgoing("m3", "Next", false));
        client.next("send").answer(new UpstreamFailure.Rejected(422, "too long"));
        assertEquals(List.of("not delivered m2 REFUSED"), heard.take());
        assertEquals("Next", client.next("send").text());
    }

    @Test
    void whenTheAgentEndsTheChatWhatWasNotSentIsReportedAndASendOnItsWaySettlesByItsAnswer() {
        open();
        chat.send(new Outgoing("m2", "On its way", false));
        chat.send(new Outgoing("m3", "Queued", false));
        ScriptedClient.Call inFlight = client.next("send");
        poll(Duration.ofSeconds(2), polled(new UpstreamEvent.ChatClosed(1, T, UserType.AGENT)));
        assertEquals(List.of("ended AGENT", "not delivered m3 CHAT_ENDED"), heard.take());
        inFlight.answer(new UpstreamFailure.TimedOut(Duration.ofSeconds(5)));
        assertEquals(List.of("not delivered m2 MAYBE_BEFORE_END"), heard.take());
        clock.advance(Duration.ofMinutes(1));
        assertTrue(client.idle(), "no more polls");
    }

    @Test
    void aMessageGivenAsTheChatEndsIsNotDeliveredNorKeptForTheNextChat() {
        open();
        poll(Duration.ofSeconds(2), polled(new UpstreamEvent.ChatClosed(1, T, UserType.AGENT)));
        assertEquals(List.of("ended AGENT"), heard.take());
        chat.send(new Outgoing("m2", "Too late", false)); // handed over before the end reached the relay
        assertEquals(List.of("not delivered m2 CHAT_ENDED"), heard.take());
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m3", "A new chat", false));
        client.next("start").answer(new StartResult.Started(SESSION));
        assertEquals("A new chat", client.next("send").text(), "nothing of the old chat goes first");
    }

    @Test
    void aStartGivenUpAfterARestartLeavesNothingForTheNextStart() {
        HeardLines after = new HeardLines(clock::now);
        UpstreamChat restored = upstream.chat("c4", new V2Snapshot("p-4", null, List.of(),
                List.of(new V2Snapshot.Send("m1", "Stale", 0)), List.of(), List.of()).toJson(), after);
        restored.start(ChatStart.withWelcome("Welcome"), new Outgoing("m5", "Fresh", false));
        client.next("start").answer(new StartResult.Started(SESSION));
        assertEquals("Fresh", client.next("send").text());
        assertTrue(client.idle(), "the stale message is not sent");
    }

    @Test
    void aChatTheUpstreamForgotEndsByTimeoutAndOneForgottenWhileAwayEndsByTheUpstream() {
        open();
        poll(Duration.ofSeconds(2), new UpstreamFailure.SessionGone(404, "no chat"));
        assertEquals(List.of("ended TIMEOUT"), heard.take());

        HeardLines restoredHeard = new HeardLines(clock::now);
        UpstreamChat restored = upstream.chat("c2", new V2Snapshot("p-2", "s-2", List.of(), List.of(), List.of(),
                List.of()).toJson(), restoredHeard);
        restored.resume();
        poll(Duration.ZERO, new UpstreamFailure.SessionGone(404, "no chat"));
        assertEquals(List.of("ended UPSTREAM"), restoredHeard.take(), "nothing says the visitor was inactive");
    }

    @Test
    void malformedAnswersAreNeitherSuccessNorRefusal() {
        open();
        chat.send(new Outgoing("m2", "Odd answer", false));
        client.next("send").answer(new UpstreamFailure.MalformedAnswer(200, "no success field"));
        assertEquals(List.of(), heard.take(), "it may have landed: neither delivered nor refused yet");
        poll(Duration.ZERO, new UpstreamFailure.MalformedAnswer(200, "not JSON"));
        poll(Duration.ofSeconds(5), new UpstreamFailure.MalformedAnswer(200, "not JSON"));
        assertEquals(List.of("reachable false"), heard.take(), "unreadable polls are failures, not an end");
        poll(Duration.ofSeconds(20), polled(visitor(1, "Hello"), visitor(2, "Odd answer")));
        assertEquals(List.of("reachable true", "delivered m2"), heard.take(), "settled by its echo, shown once");
        assertEquals(2, client.count("send"), "and not sent again");
    }

    @Test
    void failingPollsMakeTheChatUnreachableUntilOneIsAnswered() {
        open();
        poll(Duration.ofSeconds(2), new UpstreamFailure.ServerError(503, "down"));
        assertEquals(List.of(), heard.take(), "one failure is not an outage");
        poll(Duration.ofSeconds(5), new UpstreamFailure.ServerError(503, "down"));
        assertEquals(List.of("reachable false"), heard.take());
        poll(Duration.ofSeconds(20), polled());
        assertEquals(List.of("reachable true"), heard.take());
    }

    @Test
    void eventsRepeatedOrOutOfOrderAreReportedOnceInOrderAndUnknownOnesAsNotices() {
        open();
        poll(Duration.ofSeconds(2), polled(agent(3, "third"), agent(2, "second"),
                new UpstreamEvent.Other(4, T, "rating", UserType.AGENT, Map.of())));
        poll(Duration.ofSeconds(2), polled(agent(2, "second"), agent(5, "fifth")));
        assertEquals(List.of("agent: second", "agent: third", "notice rating", "agent: fifth"), heard.take());
    }

    @Test
    void theVisitorClosingWhileTheStartIsOnItsWayClosesTheChatOnceItIsMade() {
        chat.start(ChatStart.withWelcome("Welcome"), new Outgoing("m1", "Hello", false));
        ScriptedClient.Call start = client.next("start");
        chat.close();
        assertEquals(List.of("not delivered m1 CHAT_ENDED"), heard.take());
        start.answer(new StartResult.Started(SESSION));
        assertEquals(List.of(), heard.take(), "not reported started");
        assertEquals(SESSION, client.next("close").session());
    }

    @Test
    void afterARestartAMessageThatMayHaveGoneIsSettledFromTheTranscriptBeforeItGoesAgain() {
        open();
        chat.send(new Outgoing("m2", "Before the crash", false));
        client.next("send"); // never answered: the node stopped
        String snapshot = chat.snapshot();
        assertTrue(snapshot.contains("\"s-1\""), "the open chat's session is kept");

        HeardLines after = new HeardLines(clock::now);
        ScriptedClient fresh = client;
        UpstreamChat restored = upstream.chat("c1", snapshot, after);
        restored.send(new Outgoing("m2", "Before the crash", true)); // given back by the relay
        restored.resume();
        assertEquals(2, fresh.count("send"), "not sent again before the transcript is read");
        poll(Duration.ZERO, polled(visitor(1, "Hello"), visitor(2, "Before the crash")));
        assertEquals(List.of("delivered m2"), after.take());
        restored.send(new Outgoing("m2", "Before the crash", true)); // given again: known to have landed
        assertEquals(List.of("delivered m2"), after.take());
        assertTrue(client.idle());
    }

    @Test
    void v2OffersFilesAndNothingElseBeyondMessages() {
        assertEquals(java.util.Set.of(io.parley.upstream.Capability.FILES), upstream.capabilities());
    }

    @Test
    void aSnapshotThatCannotBeReadIsRefused() {
        try {
            upstream.chat("c3", "{not json", new HeardLines(clock::now));
        } catch (IllegalArgumentException expected) {
            return;
        }
        throw new AssertionError("an unreadable snapshot was taken");
    }
}
