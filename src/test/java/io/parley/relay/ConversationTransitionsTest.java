package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.upstream.AgentCard;
import io.parley.upstream.Author;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ClosedBy;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Every transition of a conversation and every outcome the upstream can report, in-process: the
 * upstream is a fake the test answers for, the clock moves only when told, nothing is stored.
 */
class ConversationTransitionsTest {

    private static final AgentCard ADA = new AgentCard("Ada", "Support", null);

    private final RelayHarness harness = new RelayHarness("max-tabs-per-visitor", "2", "max-conversations", "2",
            "grace-period", "10s");
    private final RecordingTab tab = new RecordingTab();

    @Test
    void aNewVisitorIsWelcomedIdleAndCostsNoUpstreamChat() {
        harness.hello(tab);
        TabMessage.Welcome welcome = tab.last(TabMessage.Welcome.class);
        assertEquals(ConversationState.IDLE, welcome.status().state());
        assertFalse(welcome.token().isBlank());
        assertEquals(List.of("files", "typing"), welcome.capabilities(), "what the upstream can do, for the page");
        assertTrue(harness.upstream.chats.isEmpty(), "no upstream chat before a start");
        assertEquals(0, harness.relay.conversations());
        assertEquals(1, harness.relay.visitorsWithoutChat());
    }

    @Test
    void aStartShowsTheMessageAcknowledgesItAndGoesUpstreamWithIt() {
        TabHandle visitor = harness.hello(tab);
        visitor.start("m1", "Hello", "Kim", "kim@example.com", OptionalInt.of(2), "127.0.0.1");

        assertEquals(ConversationState.STARTING, tab.state());
        RelayEvent.Said said = assertInstanceOf(RelayEvent.Said.class, tab.events().get(0));
        assertEquals("visitor", said.from());
        assertEquals("m1", said.clientId());
        assertEquals(new TabMessage.Ack("m1", 1), tab.last(TabMessage.Ack.class));
        FakeUpstream.FakeChat chat = harness.upstream.only();
        assertEquals(List.of("start m1"), chat.calls());
        assertEquals("Kim", chat.started.name());
        assertEquals(OptionalInt.of(2), chat.started.group());
        assertEquals(1, harness.relay.conversations());
        assertEquals(0, harness.relay.visitorsWithoutChat());

        chat.listener.started();
        assertEquals(ConversationState.WAITING, tab.state());
        chat.listener.received(new ChatEvent.AgentJoined(Instant.EPOCH, ADA));
        assertEquals(ConversationState.CHATTING, tab.state());
        assertEquals(ADA, tab.status().agent());
        chat.listener.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Hi Kim"));
        RelayEvent.Said answer = assertInstanceOf(RelayEvent.Said.class, tab.events().get(tab.events().size() - 1));
        assertEquals("agent", answer.from());
        assertEquals("Hi Kim", answer.text());
        assertEquals(List.of(1L, 2L, 3L), tab.events().stream().map(RelayEvent::seq).toList(), "gapless");
    }

    @Test
    void messagesSentWhileStartingFollowTheStartInOrder() {
        TabHandle visitor = harness.hello(tab);
        visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
        visitor.send("m2", "Are you there?");
        visitor.send("m3", "Anyone?");
        assertEquals(List.of("start m1", "send m2", "send m3"), harness.upstream.only().calls());
    }

    @Test
    void aMessageSentAgainWithItsIdIsAcknowledgedAgainAndNotTakenTwice() {
        TabHandle visitor = harness.open(tab);
        visitor.send("m2", "Once");
        visitor.send("m2", "Once");
        assertEquals(2, tab.all(TabMessage.Ack.class).stream().filter(ack -> ack.clientId().equals("m2")).count());
        assertEquals(1, tab.events().stream().filter(e -> e instanceof RelayEvent.Said s && "m2".equals(s.clientId()))
                .count(), "shown once");
        assertEquals(List.of("start m1", "send m2"), harness.upstream.only().calls());
    }

    @Test
    void aBannedVisitorIsToldOnceAndCannotStartAgain() {
        TabHandle visitor = harness.hello(tab);
        visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
        harness.upstream.only().listener.refused(UpstreamChat.Refusal.BANNED);
        assertEquals(ConversationState.BANNED, tab.state());
        assertTrue(tab.all(TabMessage.Error.class).isEmpty(), "the state says it: no error per message");

        visitor.start("m2", "Let me in", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(ErrorCode.BANNED, tab.last(TabMessage.Error.class).code());
        assertEquals(List.of("start m1"), harness.upstream.only().calls());
    }

    @Test
    void aStartRefusedForGoodGivesTheFormBackAndSaysWhichMessagesWereNotSent() {
        TabHandle visitor = harness.hello(tab);
        visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
        visitor.send("m2", "More");
        harness.upstream.only().listener.refused(UpstreamChat.Refusal.FAILED);
        assertEquals(ConversationState.IDLE, tab.state());
        assertEquals(List.of("m1", "m2"), tab.all(TabMessage.Error.class).stream()
                .filter(e -> e.code() == ErrorCode.START_FAILED).map(TabMessage.Error::clientId).toList());

        visitor.start("m3", "Again", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(ConversationState.STARTING, tab.state(), "a new start may be made");
    }

    @Test
    void anUnreachableUpstreamIsShownAndItsReturnToo() {
        harness.open(tab);
        UpstreamChat.Listener upstream = harness.upstream.only().listener;
        upstream.reachable(false);
        assertFalse(tab.status().reachable());
        assertEquals(1, harness.relay.unreachableChats());
        upstream.reachable(true);
        assertTrue(tab.status().reachable());
        assertEquals(0, harness.relay.unreachableChats());
    }

    @Test
    void aMessageTheUpstreamRefusesIsReportedToEveryTab() {
        TabHandle visitor = harness.open(tab);
        RecordingTab second = new RecordingTab();
        harness.hello(second, tab.token(), 0);
        visitor.send("m2", "Refused");
        harness.upstream.only().listener.notDelivered("m2", UpstreamChat.Undelivered.REFUSED);
        for (RecordingTab each : List.of(tab, second)) {
            TabMessage.Error error = each.last(TabMessage.Error.class);
            assertEquals(ErrorCode.SEND_FAILED, error.code());
            assertEquals("m2", error.clientId());
        }
    }

    @Test
    void anAgentEndingTheChatClosesItAndNothingMoreCanBeSent() {
        TabHandle visitor = harness.open(tab);
        harness.upstream.only().listener.ended(ClosedBy.AGENT, Instant.EPOCH);
        assertEquals(ConversationState.CLOSED, tab.state());
        assertEquals(ClosedBy.AGENT, tab.status().closedBy());
        assertInstanceOf(RelayEvent.Closed.class, tab.events().get(tab.events().size() - 1));

        visitor.send("m2", "Hello?");
        assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code());
        visitor.close();
        assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code());
    }

    @Test
    void theVisitorEndsTheChatAndALaterStartIsANewChatWithoutTheOldAgent() {
        TabHandle visitor = harness.open(tab);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        chat.listener.received(new ChatEvent.AgentJoined(Instant.EPOCH, ADA));
        visitor.send("m2", "Bye");
        visitor.close();
        assertEquals(ConversationState.CLOSED, tab.state());
        assertEquals(ClosedBy.VISITOR, tab.status().closedBy());
        assertEquals(List.of("start m1", "send m2", "close"), chat.calls());
        // The send was on its way when the chat ended, and failed: the visitor is told.
        chat.listener.notDelivered("m2", UpstreamChat.Undelivered.MAYBE_BEFORE_END);
        assertEquals("m2", tab.last(TabMessage.Error.class).clientId());

        visitor.start("m3", "Me again", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(ConversationState.STARTING, tab.state());
        assertNull(tab.status().agent(), "the old agent is gone");
        assertNull(tab.status().closedBy());
        assertEquals("start m3", chat.calls().get(chat.calls().size() - 1), "the same visitor's chats");
    }

    @Test
    void anAgentJoiningAsTheVisitorClosesDoesNotOpenTheChatAgain() {
        TabHandle visitor = harness.open(tab);
        visitor.close();
        harness.upstream.only().listener.received(new ChatEvent.AgentJoined(Instant.EPOCH, ADA));
        assertEquals(ConversationState.CLOSED, tab.state());
        visitor.start("m2", "A new chat", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(ConversationState.STARTING, tab.state(), "a new chat can be started");
    }

    @Test
    void aNodeThatDoesNotDriveTheConversationTakesMessagesButLeavesThemForTheNodeThatDoes() {
        TabHandle visitor = harness.open(tab);
        harness.drives.set(false);
        visitor.send("m2", "Taken here");
        assertEquals(new TabMessage.Ack("m2", 2), tab.last(TabMessage.Ack.class), "acknowledged: it is saved");
        assertEquals(List.of("start m1"), harness.upstream.only().calls(), "but not sent from here");

        harness.drives.set(true);
        visitor.send("m3", "Then this");
        assertEquals(List.of("start m1", "send m2", "send m3"), harness.upstream.only().calls(),
                "nothing lost and in order once this node drives it");
    }

    @Test
    void withoutAnOpenChatThereIsNothingToSendToOrClose() {
        TabHandle visitor = harness.hello(tab);
        visitor.send("m1", "Hello");
        assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code());
        visitor.close();
        assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code());
        visitor.start("m2", "Hi", null, null, OptionalInt.empty(), "127.0.0.1");
        visitor.start("m3", "Hi again", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(ErrorCode.ALREADY_STARTED, tab.last(TabMessage.Error.class).code());
    }

    @Test
    void aVisitorHasAtMostTheirTabsAndEachTabSeesEveryEventInOrder() {
        harness.open(tab);
        RecordingTab second = new RecordingTab();
        harness.hello(second, tab.token(), 0);
        RecordingTab third = new RecordingTab();
        assertTrue(harness.tryHello(third, tab.token(), 0).isEmpty());
        assertEquals(ErrorCode.TOO_MANY_TABS, third.endedWith.code());

        harness.upstream.only().listener.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "To both"));
        assertEquals(tab.events(), second.events());
        assertEquals(2, harness.relay.tabs());
    }

    @Test
    void aTabThatResumesGetsWhatItMissedOrEverythingIfTheServerKnowsLess() {
        harness.open(tab);
        harness.upstream.only().listener.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "Two"));
        RecordingTab back = new RecordingTab();
        harness.hello(back, tab.token(), 1).leave();
        TabMessage.Welcome diff = back.last(TabMessage.Welcome.class);
        assertFalse(diff.snapshot());
        assertEquals(List.of(2L), diff.events().stream().map(RelayEvent::seq).toList());

        RecordingTab ahead = new RecordingTab();
        harness.hello(ahead, tab.token(), 99);
        TabMessage.Welcome snapshot = ahead.last(TabMessage.Welcome.class);
        assertTrue(snapshot.snapshot(), "a tab that saw more than the server holds starts over");
        assertEquals(2, snapshot.events().size());
    }

    @Test
    void aTabTooFarBehindGetsTheNewestEventsAsASnapshot() {
        harness.open(tab);
        UpstreamChat.Listener upstream = harness.upstream.only().listener;
        for (int i = 1; i <= Conversation.LOG_CAPACITY + 5; i++) {
            upstream.received(new ChatEvent.Message(Instant.EPOCH, Author.AGENT, "a" + i));
        }
        RecordingTab behind = new RecordingTab();
        harness.hello(behind, tab.token(), 2);
        TabMessage.Welcome welcome = behind.last(TabMessage.Welcome.class);
        assertTrue(welcome.snapshot());
        assertEquals(Conversation.LOG_CAPACITY, welcome.events().size());
        assertEquals(Conversation.LOG_CAPACITY + 6, welcome.lastSeq());
        assertEquals(welcome.lastSeq(), welcome.events().get(welcome.events().size() - 1).seq());
    }

    @Test
    void anUnknownTokenStartsOverWithANewOne() {
        harness.hello(tab, "no-such-token", 7);
        TabMessage.Welcome welcome = tab.last(TabMessage.Welcome.class);
        assertNotEquals("no-such-token", welcome.token());
        assertTrue(welcome.snapshot(), "the tab's transcript is stale: it starts over");
        assertEquals(0, welcome.lastSeq());
    }

    @Test
    void aNodeAtItsLimitRefusesNewChatsAsBusyButNotTheChatsItHolds() {
        harness.open(tab);
        harness.open(new RecordingTab());
        RecordingTab third = new RecordingTab();
        harness.hello(third).start("x1", "Hello", null, null, OptionalInt.empty(), "127.0.0.2");
        assertEquals(ErrorCode.BUSY, third.endedWith.code());
        assertEquals(Duration.ofSeconds(30), third.endedWith.retryAfter());
        assertEquals(2, harness.relay.conversations());
    }

    @Test
    void aConversationWithoutTabsForTheGracePeriodIsClosedUpstreamAndForgotten() {
        TabHandle visitor = harness.open(tab);
        String token = tab.token();
        visitor.leave();
        harness.advance(Duration.ofSeconds(5));
        assertEquals(1, harness.relay.conversations(), "kept while its tabs may come back");
        harness.advance(Duration.ofSeconds(10));
        assertEquals(0, harness.relay.conversations());
        assertEquals(List.of("start m1", "close", "release"), harness.upstream.only().calls());

        RecordingTab later = new RecordingTab();
        harness.hello(later, token, 2);
        assertNotEquals(token, later.token(), "a forgotten token is unknown");
    }

    @Test
    void aTabBackWithinTheGracePeriodKeepsTheChat() {
        TabHandle visitor = harness.open(tab);
        visitor.leave();
        harness.advance(Duration.ofSeconds(8));
        RecordingTab back = new RecordingTab();
        harness.hello(back, tab.token(), 2);
        harness.advance(Duration.ofSeconds(30));
        assertEquals(1, harness.relay.conversations());
        assertEquals(ConversationState.WAITING, back.state());
    }

    @Test
    void aVisitorWhoNeverStartedIsForgottenSoonAfterTheirLastTab() {
        TabHandle visitor = harness.hello(tab);
        visitor.leave();
        RecordingTab back = new RecordingTab();
        harness.hello(back, tab.token(), 0);
        assertEquals(tab.token(), back.token(), "tabs that drop together come back to the same visitor");
        harness.advance(Duration.ofMinutes(5));
        assertEquals(1, harness.relay.visitorsWithoutChat(), "kept while a tab is there");
    }

    @Test
    void anUnstartedVisitorWithNoTabIsForgottenAfterTheLinger() {
        TabHandle visitor = harness.hello(tab);
        visitor.leave();
        harness.advance(Duration.ofSeconds(11)); // the grace period (10 s) is shorter than a minute
        assertEquals(0, harness.relay.visitorsWithoutChat());
        RecordingTab later = new RecordingTab();
        harness.hello(later, tab.token(), 0);
        assertNotEquals(tab.token(), later.token());
    }

    @Test
    void anAgentsMessageAfterTheVisitorsCountsAsActivityForTheUpstreamsPace() {
        harness.open(tab);
        UpstreamChat.Listener upstream = harness.upstream.only().listener;
        Instant before = harness.clock.now();
        harness.advance(Duration.ofSeconds(3));
        upstream.received(new ChatEvent.Message(before, Author.AGENT, "Still here"));
        UpstreamChat.Presence presence = upstream.presence();
        assertTrue(presence.tabs());
        assertEquals(harness.clock.now(), presence.lastActivity());
    }

    @Test
    void eventsTheTabsCannotShowYetAreLeftOutWithoutAGap() {
        harness.open(tab);
        UpstreamChat.Listener upstream = harness.upstream.only().listener;
        upstream.received(new ChatEvent.Typing(Instant.EPOCH, true));
        upstream.received(new ChatEvent.Notice(Instant.EPOCH, "survey"));
        RelayEvent.Notice notice = assertInstanceOf(RelayEvent.Notice.class, tab.events().get(tab.events().size() - 1));
        assertEquals("survey", notice.upstreamType());
        assertEquals(2, notice.seq());
    }

    // --- availability, and messages left for later ---

    @Test
    void aWelcomeSaysWhetherTheTabsGroupIsOnlineAndAChangeIsToldOnce() {
        FakeUpstream upstream = FakeUpstream.withAvailability();
        upstream.online.put(-1, true);
        upstream.online.put(4, false);
        try (RelayHarness relay = new RelayHarness(upstream, ConversationStore.none())) {
            RecordingTab defaultGroup = new RecordingTab();
            RecordingTab groupFour = new RecordingTab();
            RecordingTab unknownGroup = new RecordingTab();
            relay.relay.hello(defaultGroup, null, 0, null, "", OptionalInt.empty()).orElseThrow();
            relay.relay.hello(groupFour, null, 0, null, "", OptionalInt.of(4)).orElseThrow();
            relay.relay.hello(unknownGroup, null, 0, null, "", OptionalInt.of(9)).orElseThrow();

            assertEquals(Boolean.TRUE, defaultGroup.last(TabMessage.Welcome.class).online());
            assertEquals(Boolean.FALSE, groupFour.last(TabMessage.Welcome.class).online());
            assertNull(unknownGroup.last(TabMessage.Welcome.class).online(), "not known: not said");
            assertTrue(defaultGroup.last(TabMessage.Welcome.class).capabilities().contains("availability"));

            upstream.setOnline(4, true);
            upstream.setOnline(4, true);
            assertEquals(List.of(new TabMessage.Availability(true)), groupFour.all(TabMessage.Availability.class),
                    "told once, and only the tabs of that group");
            assertEquals(List.of(), defaultGroup.all(TabMessage.Availability.class));
            assertEquals(List.of(), unknownGroup.all(TabMessage.Availability.class));
        }
    }

    @Test
    void withoutTheCapabilityNothingIsSaidOfAvailability() {
        harness.upstream.online.put(-1, false);
        harness.hello(tab);
        harness.upstream.setOnline(-1, true);

        assertNull(tab.last(TabMessage.Welcome.class).online());
        assertEquals(List.of(), tab.all(TabMessage.Availability.class));
    }

    @Test
    void aMessageLeftForLaterGoesUpstreamOnceAndEveryTabHearsItWasTaken() {
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withAvailability(), ConversationStore.none(),
                "max-tabs-per-visitor", "2")) {
            TabHandle visitor = relay.hello(tab);
            RecordingTab other = new RecordingTab();
            relay.hello(other, tab.last(TabMessage.Welcome.class).token(), 0);
            io.parley.upstream.OfflineMessage message = new io.parley.upstream.OfflineMessage("o1", "Kim",
                    "kim@example.com", "Please call me back", OptionalInt.empty());

            visitor.leaveMessage(message, "127.0.0.1");
            visitor.leaveMessage(message, "127.0.0.1"); // sent again after a reconnection
            FakeUpstream.FakeChat chat = relay.upstream.only();
            assertEquals(List.of("leave o1 kim@example.com"), chat.calls());
            assertEquals(List.of(), tab.all(TabMessage.MessageLeft.class), "not before the upstream took it");
            assertEquals(ConversationState.IDLE, tab.state(), "no chat is opened for it");
            assertEquals(List.of(), tab.events(), "and the transcript does not hold it");

            chat.listener.messageLeft("o1", true);
            assertEquals(List.of(new TabMessage.MessageLeft("o1")), tab.all(TabMessage.MessageLeft.class));
            assertEquals(List.of(new TabMessage.MessageLeft("o1")), other.all(TabMessage.MessageLeft.class));

            visitor.leaveMessage(message, "127.0.0.1");
            assertEquals(1, chat.calls().size(), "taken already: told again, not sent again");
            assertEquals(2, tab.all(TabMessage.MessageLeft.class).size());
        }
    }

    @Test
    void aMessageLeftThatTheUpstreamDidNotTakeIsReportedAndMayBeTriedAgain() {
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withAvailability(), ConversationStore.none())) {
            TabHandle visitor = relay.hello(tab);
            io.parley.upstream.OfflineMessage message = new io.parley.upstream.OfflineMessage("o1", null,
                    "kim@example.com", "Hello?", OptionalInt.empty());
            visitor.leaveMessage(message, "127.0.0.1");
            relay.upstream.only().listener.messageLeft("o1", false);

            TabMessage.Error error = tab.last(TabMessage.Error.class);
            assertEquals(ErrorCode.LEAVE_FAILED, error.code());
            assertEquals("o1", error.clientId());
            visitor.leaveMessage(message, "127.0.0.1");
            assertEquals(2, relay.upstream.only().calls().size());
        }
    }

    @Test
    void noMessageIsLeftForLaterWhileAChatIsOpen() {
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withAvailability(), ConversationStore.none())) {
            TabHandle visitor = relay.open(tab);
            visitor.leaveMessage(new io.parley.upstream.OfflineMessage("o1", null, "kim@example.com", "Hello?",
                    OptionalInt.empty()), "127.0.0.1");

            assertEquals(ErrorCode.ALREADY_STARTED, tab.last(TabMessage.Error.class).code());
            assertFalse(relay.upstream.only().calls().stream().anyMatch(call -> call.startsWith("leave")));
        }
    }

    @Test
    void withoutTheCapabilityNoMessageIsLeftForLater() {
        TabHandle visitor = harness.hello(tab);
        visitor.leaveMessage(new io.parley.upstream.OfflineMessage("o1", null, "kim@example.com", "Hello?",
                OptionalInt.empty()), "127.0.0.1");

        assertEquals(ErrorCode.UNKNOWN_TYPE, tab.last(TabMessage.Error.class).code());
        assertTrue(harness.upstream.chats.isEmpty(), "nothing upstream, no conversation registered");
    }

    // --- rating the chat that ended ---

    private static io.parley.upstream.Rating rating(io.parley.upstream.Rating.Score score, String comment) {
        return new io.parley.upstream.Rating(score, comment);
    }

    @Test
    void aChatThatEndedIsRatedChangedAndTakenBackAndEveryTabIsTold() {
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withRating(), ConversationStore.none(),
                "max-tabs-per-visitor", "3")) {
            TabHandle visitor = relay.open(tab);
            RecordingTab other = new RecordingTab();
            relay.hello(other, tab.last(TabMessage.Welcome.class).token(), 0);
            assertTrue(tab.last(TabMessage.Welcome.class).capabilities().contains("rating"));
            FakeUpstream.FakeChat chat = relay.upstream.only();
            chat.listener.ended(ClosedBy.AGENT, relay.clock.now());

            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, "Quick and kind"));
            TabMessage.Rated told = new TabMessage.Rated(rating(io.parley.upstream.Rating.Score.GOOD, "Quick and kind"));
            assertEquals(told, tab.last(TabMessage.Rated.class));
            assertEquals(told, other.last(TabMessage.Rated.class), "every tab shows it");
            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, "Quick and kind"));
            assertEquals(2, tab.all(TabMessage.Rated.class).size(), "the rater is told again");
            assertEquals(1, other.all(TabMessage.Rated.class).size(), "nothing changed for the others");

            relay.advance(Duration.ofHours(23));
            visitor.rate(rating(io.parley.upstream.Rating.Score.BAD, null));
            assertEquals(new TabMessage.Rated(rating(io.parley.upstream.Rating.Score.BAD, null)),
                    other.last(TabMessage.Rated.class));
            RecordingTab later = new RecordingTab();
            relay.hello(later, tab.last(TabMessage.Welcome.class).token(), 0);
            assertEquals(new TabMessage.Rated(rating(io.parley.upstream.Rating.Score.BAD, null)),
                    later.last(TabMessage.Rated.class), "a tab that attaches is told the rating held");
            visitor.rate(rating(null, "ignored without a score"));
            assertEquals(new TabMessage.Rated(null), other.last(TabMessage.Rated.class), "taken back");

            assertEquals(List.of("start m1", "rate good Quick and kind", "rate bad", "rate none"), chat.calls(),
                    "each change once upstream, in order");
        }
    }

    @Test
    void aRatingIsTakenOnlyAfterAChatEndedForADayAndUntilTheNextStarts() {
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withRating(), ConversationStore.none())) {
            TabHandle visitor = relay.hello(tab);
            String token = tab.token();
            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, null));
            assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code(), "no chat yet");

            visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
            FakeUpstream.FakeChat chat = relay.upstream.only();
            chat.listener.started();
            tab.received.clear();
            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, null));
            assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code(), "not while it is open");

            visitor.close();
            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, null));
            visitor.start("m2", "Again", null, null, OptionalInt.empty(), "127.0.0.1");
            chat.listener.started();
            RecordingTab fresh = new RecordingTab();
            relay.hello(fresh, token, 0);
            assertEquals(List.of(), fresh.all(TabMessage.Rated.class), "a new chat settles the last rating");
            chat.listener.ended(ClosedBy.AGENT, relay.clock.now());
            assertEquals(List.of(), fresh.all(TabMessage.Rated.class), "and the next chat starts unrated");

            tab.received.clear();
            relay.advance(Duration.ofHours(24).plusSeconds(1));
            visitor.rate(rating(io.parley.upstream.Rating.Score.BAD, null));
            assertEquals(ErrorCode.NO_CHAT, tab.last(TabMessage.Error.class).code(), "a day after the end");
            assertEquals(List.of("start m1", "close", "rate good", "start m2"), chat.calls());
        }
    }

    @Test
    void withoutTheCapabilityARatingIsRefused() {
        TabHandle visitor = harness.open(tab);
        harness.upstream.only().listener.ended(ClosedBy.AGENT, harness.clock.now());
        visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, null));
        assertEquals(ErrorCode.UNKNOWN_TYPE, tab.last(TabMessage.Error.class).code());
        assertEquals(List.of("start m1"), harness.upstream.only().calls());
        assertFalse(tab.last(TabMessage.Welcome.class).capabilities().contains("rating"));
    }

    @Test
    void theRatingIsStoredWithTheConversationAndToldAfterARestart() throws Exception {
        MemoryStore store = new MemoryStore();
        String token;
        try (RelayHarness relay = new RelayHarness(FakeUpstream.withRating(), store)) {
            TabHandle visitor = relay.open(tab);
            token = tab.last(TabMessage.Welcome.class).token();
            relay.upstream.only().listener.ended(ClosedBy.AGENT, relay.clock.now());
            visitor.rate(rating(io.parley.upstream.Rating.Score.GOOD, "Thanks"));
            io.parley.testing.Eventually.await("the rating is written", () -> store.loadAll().stream()
                    .anyMatch(r -> r.rating() != null && "good".equals(r.rating().score())));
        }
        try (RelayHarness restarted = new RelayHarness(FakeUpstream.withRating(), store)) {
            RecordingTab back = new RecordingTab();
            restarted.hello(back, token, 0);
            assertEquals(new TabMessage.Rated(rating(io.parley.upstream.Rating.Score.GOOD, "Thanks")),
                    back.last(TabMessage.Rated.class));
        }
    }

    // --- greetings before a chat ---

    @Test
    void aGreetingBetweenChatsIsShownToEveryTabAndAnsweredUpstreamOnce() {
        try (RelayHarness relay = new RelayHarness(ConversationStore.none(), "max-tabs-per-visitor", "4")) {
            TabHandle visitor = relay.open(tab);
            RecordingTab other = new RecordingTab();
            TabHandle second = relay.hello(other, tab.token(), 0);
            FakeUpstream.FakeChat chat = relay.upstream.only();
            chat.listener.received(new ChatEvent.Greeting(Instant.EPOCH, "g1", ADA, "Hello during the chat"));
            assertEquals(List.of(), tab.all(TabMessage.Greeting.class), "no greeting while a chat is open");
            chat.listener.ended(ClosedBy.AGENT, relay.clock.now());

            chat.listener.received(new ChatEvent.Greeting(Instant.EPOCH, "g2", ADA, "Can I help?"));
            TabMessage.Greeting shown = new TabMessage.Greeting("g2", "Can I help?", ADA);
            assertEquals(shown, tab.last(TabMessage.Greeting.class));
            assertEquals(shown, other.last(TabMessage.Greeting.class));
            RecordingTab later = new RecordingTab();
            relay.hello(later, tab.token(), 0);
            assertEquals(shown, later.last(TabMessage.Greeting.class), "told to a tab that attaches while shown");

            second.answerGreeting("g2", true);
            visitor.answerGreeting("g2", false);
            assertEquals(new TabMessage.GreetingEnded("g2"), tab.last(TabMessage.GreetingEnded.class));
            assertEquals(1, later.all(TabMessage.GreetingEnded.class).size());
            assertEquals(List.of("start m1", "greeting g2 accepted"), chat.calls(), "answered once, by the first tab");
            RecordingTab after = new RecordingTab();
            relay.hello(after, tab.token(), 0);
            assertEquals(List.of(), after.all(TabMessage.Greeting.class), "gone once answered");
        }
    }

    @Test
    void aNewerGreetingReplacesTheOneShownAndAStartEndsIt() {
        TabHandle visitor = harness.open(tab);
        FakeUpstream.FakeChat chat = harness.upstream.only();
        chat.listener.ended(ClosedBy.AGENT, harness.clock.now());
        chat.listener.received(new ChatEvent.Greeting(Instant.EPOCH, "g1", null, "First"));
        chat.listener.received(new ChatEvent.Greeting(Instant.EPOCH, "g2", null, "Second"));
        assertEquals(new TabMessage.GreetingEnded("g1"), tab.last(TabMessage.GreetingEnded.class));
        assertEquals(new TabMessage.Greeting("g2", "Second", null), tab.last(TabMessage.Greeting.class));

        visitor.start("m2", "Yes please", null, null, OptionalInt.empty(), "127.0.0.1");
        assertEquals(new TabMessage.GreetingEnded("g2"), tab.last(TabMessage.GreetingEnded.class), "a chat began");
        visitor.answerGreeting("g2", true);
        assertEquals(List.of("start m1", "start m2"), chat.calls(), "an answer to a greeting gone goes nowhere");
    }

    // --- where the visitor is ---

    @Test
    void thePageTheVisitorIsOnGoesUpstreamOnEachChangeWithoutItsQueryByDefault() {
        TabHandle visitor = harness.open(tab);
        visitor.visitorPage("https://shop.example/cart?coupon=SECRET", "Your cart");
        visitor.visitorPage("https://shop.example/cart?coupon=OTHER", "Your cart");
        visitor.visitorPage("https://shop.example/checkout", null);
        assertEquals(List.of("start m1", "page https://shop.example/cart Your cart", "page https://shop.example/checkout"),
                harness.upstream.only().calls(), "once per change, the query left out");
    }

    @Test
    void aPageToldBeforeAnyChatGoesUpstreamWithTheStart() {
        TabHandle visitor = harness.hello(tab);
        visitor.visitorPage("https://shop.example/", "Home");
        visitor.start("m1", "Hello", null, null, OptionalInt.empty(), "127.0.0.1");
        // With the start, before its answer comes back: an adapter gives it with the customer's login.
        assertEquals(List.of("start m1", "page https://shop.example/ Home"), harness.upstream.only().calls());
    }

    @Test
    void theSiteDecidesWhetherThePageIsSharedWholeOrNotAtAll() {
        try (RelayHarness full = new RelayHarness(ConversationStore.none(), "share-visitor-page", "full")) {
            full.open(tab).visitorPage("https://shop.example/search?q=boots", "Boots");
            assertEquals(List.of("start m1", "page https://shop.example/search?q=boots Boots"), full.upstream.only().calls());
        }
        try (RelayHarness off = new RelayHarness(ConversationStore.none(), "share-visitor-page", "off")) {
            RecordingTab other = new RecordingTab();
            off.open(other).visitorPage("https://shop.example/search?q=boots", "Boots");
            assertEquals(List.of("start m1"), off.upstream.only().calls());
        }
    }
}
