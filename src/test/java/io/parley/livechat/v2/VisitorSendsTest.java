package io.parley.livechat.v2;

import io.parley.upstream.UpstreamChat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VisitorSendsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final VisitorSends sends = new VisitorSends();

    private void enqueue(String clientId, String text, long seq) {
        sends.enqueue(clientId, text);
    }

    @Test
    void aMessageGivenAgainIsKnownWhetherQueuedOrLanded() {
        enqueue("a", "first", 1);
        assertTrue(sends.knows("a"));
        sends.sent(sends.takeNext().orElseThrow());
        assertTrue(sends.hasLanded("a"));
        assertEquals(List.of("a"), sends.drainLanded());
        assertEquals(List.of(), sends.drainLanded(), "each landing is reported once");
        assertFalse(sends.knows("b"));
    }

    @Test
    void oneSendInFlightAtATimeInOrder() {
        enqueue("a", "first", 1);
        enqueue("b", "second", 2);
        VisitorSends.Send first = sends.takeNext().orElseThrow();
        assertEquals("a", first.clientId);
        assertEquals(Optional.empty(), sends.takeNext(), "the second waits for the first");
        sends.sent(first);
        assertEquals("b", sends.takeNext().orElseThrow().clientId);
    }

    @Test
    void anEchoIsRecognisedOnceWhateverTheWhitespace() {
        enqueue("a", "Hello  there\n", 1);
        sends.sent(sends.takeNext().orElseThrow());
        assertTrue(sends.matchEcho(" Hello there"));
        assertFalse(sends.matchEcho("Hello there"), "a second identical message is the visitor's, not an echo");
    }

    @Test
    void anAmbiguousSendWhoseEchoCameIsSettledAsSent() {
        enqueue("a", "maybe", 1);
        enqueue("b", "next", 2);
        VisitorSends.Send send = sends.takeNext().orElseThrow();
        sends.ambiguous(send, T0, false);
        assertEquals(Optional.empty(), sends.takeNext(), "nothing goes out until it is settled");
        assertTrue(sends.matchEcho("maybe"));
        assertEquals("b", sends.takeNext().orElseThrow().clientId, "settled: the next one goes");
    }

    @Test
    void anAmbiguousSendWithoutEchoIsSentAgainAfterAPollThatStartedLater() {
        enqueue("a", "lost", 1);
        VisitorSends.Send send = sends.takeNext().orElseThrow();
        sends.ambiguous(send, T0, false);
        sends.settleAfterPoll(T0.minusMillis(1));
        assertEquals(Optional.empty(), sends.takeNext(), "a poll that began before the failure proves nothing");
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT).minusMillis(1));
        assertEquals(Optional.empty(), sends.takeNext(), "nor one that began while the call could still land");
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT));
        assertEquals("a", sends.takeNext().orElseThrow().clientId);
    }

    @Test
    void anAmbiguousSendThatWasAnsweredIsSettledByAnyPollThatStartedAfterTheAnswer() {
        enqueue("a", "failed", 1);
        sends.ambiguous(sends.takeNext().orElseThrow(), T0, true); // a 500: the call is over upstream
        sends.settleAfterPoll(T0.plusMillis(1));
        assertEquals("a", sends.takeNext().orElseThrow().clientId, "no need to wait for it to land late");
    }

    @Test
    void anEchoArrivingWhileTheSendIsInFlightIsNotShownAndTheSendNotRepeated() {
        enqueue("a", "quick", 1);
        VisitorSends.Send send = sends.takeNext().orElseThrow();
        assertTrue(sends.matchEcho("quick"));
        sends.ambiguous(send, T0, false); // the call then timed out: it landed all the same
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT));
        assertEquals(Optional.empty(), sends.takeNext());
        assertEquals(0, sends.abandon().size());
    }

    @Test
    void whenTheChatEndsOnlySendsThatDidNotGoOrMayNotHaveLandedAreReported() {
        enqueue("flying", "on its way", 1);
        enqueue("waiting", "not sent yet", 2);
        sends.takeNext().orElseThrow();
        assertEquals(List.of("waiting"), sends.abandon().stream().map(send -> send.clientId).toList());

        enqueue("unsure", "timed out", 3);
        sends.ambiguous(sends.takeNext().orElseThrow(), T0, false);
        assertEquals(List.of("unsure"), sends.abandon().stream().map(send -> send.clientId).toList());
    }

    @Test
    void idempotencyRemembersABoundedNumberOfIds() {
        for (int i = 0; i <= VisitorSends.REMEMBERED_IDS; i++) {
            enqueue("id" + i, "t", i + 1);
            sends.sent(sends.takeNext().orElseThrow());
        }
        assertFalse(sends.hasLanded("id0"));
        assertTrue(sends.hasLanded("id" + VisitorSends.REMEMBERED_IDS));
    }

    @Test
    void aMessageThatLandedTwiceBecauseTheTranscriptLaggedIsRecognisedInBothCopies() {
        enqueue("a", "ok", 1);
        sends.ambiguous(sends.takeNext().orElseThrow(), T0, false); // a 500 after it landed
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT)); // the transcript did not show it yet
        sends.sent(sends.takeNext().orElseThrow()); // so it went again, and landed again
        assertTrue(sends.matchEcho("ok"), "the first copy");
        assertTrue(sends.matchEcho("ok"), "the second copy");
        assertFalse(sends.matchEcho("ok"), "a third is not ours");
    }

    @Test
    void twoMessagesOfTheSameTextAreTwoEvenWhenTheFirstMayHaveLandedTwice() {
        enqueue("a", "yes", 1);
        sends.ambiguous(sends.takeNext().orElseThrow(), T0, false);
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT));
        VisitorSends.Send again = sends.takeNext().orElseThrow();
        assertEquals("a", again.clientId, "sent again, as the transcript showed nothing");
        sends.sent(again);
        enqueue("b", "yes", 2);
        VisitorSends.Send second = sends.takeNext().orElseThrow();
        sends.ambiguous(second, T0.plusSeconds(1), false);
        // The transcript shows two copies: the first message landed once, the second once.
        assertTrue(sends.matchEcho("yes"));
        assertTrue(sends.matchEcho("yes"));
        sends.settleAfterPoll(T0.plusSeconds(1).plus(UpstreamChat.IN_DOUBT));
        assertEquals(Optional.empty(), sends.takeNext(),
                "the second message is taken as landed, not sent again: a copy without an echo yet is matched first");
        assertEquals(0, sends.abandon().size());
    }

    @Test
    void anEchoComingAfterTheSendWasQueuedAgainStopsItFromGoingTwice() {
        enqueue("a", "late", 1);
        sends.ambiguous(sends.takeNext().orElseThrow(), T0, false);
        enqueue("b", "next", 2);
        sends.settleAfterPoll(T0.plus(UpstreamChat.IN_DOUBT)); // no echo yet: queued again
        assertTrue(sends.matchEcho("late"), "the lagging transcript shows it landed");
        assertEquals("b", sends.takeNext().orElseThrow().clientId, "so the next goes, and the first not again");
    }
}
