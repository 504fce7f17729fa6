package io.parley.livechat.v3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.tasks.ManualScheduler;
import io.parley.upstream.ChatStart;
import io.parley.upstream.HeardLines;
import io.parley.upstream.Outgoing;
import io.parley.upstream.Rating;
import io.parley.upstream.VisitorPage;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The v3 adapter against scripted transports: every answer, push and failure is the test's, so
 * each case runs the same way every time, with no server and no waiting.
 */
class V3ChatTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final ScriptedLiveChat livechat = new ScriptedLiveChat();
    private final List<String> rotated = new ArrayList<>();
    private final LiveChatV3 upstream = new LiveChatV3(new LiveChatV3.Transports(livechat, livechat, livechat),
            new RefreshTokenStore() {
                @Override
                public String current() {
                    return rotated.isEmpty() ? "configured" : rotated.get(rotated.size() - 1);
                }

                @Override
                public void rotated(String refreshToken) {
                    rotated.add(refreshToken);
                }
            }, scheduler, new Random(1));
    private final HeardLines heard = new HeardLines(() -> null);

    @Test
    void aStartMintsACustomerStartsTheChatWithTheFirstMessageAndLogsInOverRtm() {
        UpstreamChat chat = startedChat();

        assertEquals(List.of("new"), livechat.customerTokensFor);
        assertEquals(List.of("started", "delivered m1"), heard.take());
        ScriptedLiveChat.Socket socket = livechat.socket();
        assertEquals("token-1", socket.token);
        String snapshot = chat.snapshot();
        assertTrue(snapshot.contains("customer-1") && snapshot.contains("C1") && snapshot.contains("T1"), snapshot);
    }

    @Test
    void theStartCarriesTheMessageAsCustomIdAndTheGroup() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(new ChatStart("Hi", null, null, OptionalInt.of(7)), new Outgoing("m1", "Hello", false));

        ScriptedLiveChat.Call start = livechat.next("start_chat");
        assertEquals("{chat={access={group_ids=[7]}, thread={events=[{type=message, text=Hello, recipients=all, "
                + "custom_id=m1}]}}, continuous=false}", start.payload().toString());
    }

    @Test
    void agentEventsArePushedOnceInOrderAndTheVisitorsOwnEchoIsLeftOut() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        socket.push("user_added_to_chat", Map.of("chat_id", "C1", "thread_id", "T1", "user",
                Map.of("id", "a1", "type", "agent", "name", "Ann", "avatar", "cdn.example.com/ann.png")));
        socket.push("incoming_event", eventPush(agentMessage("E2", "Hi, I am Ann")));
        socket.push("incoming_event", eventPush(agentMessage("E2", "Hi, I am Ann")));
        socket.push("incoming_event", eventPush(visitorMessage("E1", "m1", "Hello")));
        socket.push("incoming_typing_indicator", Map.of("chat_id", "C1", "thread_id", "T1",
                "typing_indicator", Map.of("author_id", "a1", "is_typing", true)));
        socket.push("user_removed_from_chat", Map.of("chat_id", "C1", "thread_id", "T1", "user_id", "a1"));

        assertEquals(List.of("joined Ann", "agent: Hi, I am Ann", "typing true", "left Ann"), heard.take());
        chat.release();
    }

    @Test
    void whatWasPushedWhileNoSocketWasLoggedInIsReadAfterTheLoginBeforeTheNewPushes() {
        startedChat();
        ScriptedLiveChat.Socket first = loggedIn();
        first.push("incoming_event", eventPush(agentMessage("E2", "one")));
        heard.take();

        first.drop("connection lost", true);
        scheduler.advance(Duration.ofMinutes(1));
        ScriptedLiveChat.Socket second = livechat.socket();
        assertFalse(first == second, "a new socket is opened");
        second.loginSucceeds();
        ScriptedLiveChat.Call read = second.request();
        assertEquals("get_chat", read.action());
        second.push("incoming_event", eventPush(agentMessage("E4", "three")));
        assertEquals(List.of(), heard.take(), "a push is held until the missed events are merged");
        read.ok(chat("C1", "T1", true, agentMessage("E2", "one"), agentMessage("E3", "two"), agentMessage("E4", "three")));

        assertEquals(List.of("agent: two", "agent: three"), heard.take());
    }

    @Test
    void aSendThatMayHaveLandedIsFoundInTheThreadAndNotSentAgain() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.SERVER, "internal", true);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"),
                visitorMessage("E5", "m2", "Second")));

        assertEquals(List.of("delivered m2"), heard.take());
        assertTrue(livechat.calls.isEmpty(), "not sent again: " + livechat.calls);
    }

    @Test
    void aSendThatMayHaveLandedButDidNotIsSentAgainOnce() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.TIMEOUT, null, true);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello")));
        ScriptedLiveChat.Call again = livechat.next("send_event");
        assertEquals("m2", ((Map<?, ?>) again.payload().get("event")).get("custom_id"));
        again.ok(Map.of("event_id", "E6"));

        assertEquals(List.of("delivered m2"), heard.take());
        assertTrue(livechat.calls.isEmpty());
    }

    @Test
    void aSendInDoubtIsNotSettledByAReadMadeWhileItCouldStillLand() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.TIMEOUT, null, true);
        // The timed-out call waits in a queue upstream: a read now would not hold it, and it
        // would be sent again, and land twice.
        scheduler.advance(V3Chat.IN_DOUBT.minusSeconds(1));
        assertTrue(livechat.calls.isEmpty(), "nothing read or sent while the send may still land: " + livechat.calls);

        scheduler.advance(Duration.ofSeconds(2));
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"),
                visitorMessage("E5", "m2", "Second")));

        assertEquals(List.of("delivered m2"), heard.take());
        assertTrue(livechat.calls.isEmpty(), "not sent again: " + livechat.calls);
    }

    @Test
    void aSendInDoubtIsSettledByItsEchoWithoutWaiting() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.TIMEOUT, null, true);
        socket.push("incoming_event", eventPush(visitorMessage("E5", "m2", "Second")));
        chat.send(new Outgoing("m3", "Third", false));

        assertEquals(List.of("delivered m2"), heard.take());
        ScriptedLiveChat.Call next = livechat.next("send_event");
        assertEquals("m3", ((Map<?, ?>) next.payload().get("event")).get("custom_id"), "the next goes at once");
    }

    @Test
    void aStartThatMayHaveLandedIsFoundAmongTheCustomersChats() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").fail(V3Failure.Kind.NETWORK, null, true);
        livechat.next("list_chats").ok(Map.of("chats_summary", List.of(Map.of("id", "C1"))));
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello")));

        assertEquals(List.of("started", "delivered m1"), heard.take());
        assertTrue(livechat.calls.isEmpty(), "no second start: " + livechat.calls);
    }

    @Test
    void anOfflineGroupIsAClearRefusalNotAnEndlessWait() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").fail(V3Failure.Kind.GROUPS_OFFLINE, "groups_offline", false);

        assertEquals(List.of("refused OFFLINE"), heard.take());
        scheduler.advance(Duration.ofMinutes(5));
        assertTrue(livechat.calls.isEmpty(), "not retried");
    }

    @Test
    void anExpiredTokenIsMintedAgainForTheSameCustomerAndTheSocketLogsInAgain() {
        startedChat();
        ScriptedLiveChat.Socket first = loggedIn();
        heard.take();

        first.drop("access_token_expired", true);
        scheduler.advance(Duration.ZERO);
        assertEquals(List.of("new", "customer-1"), livechat.customerTokensFor);
        ScriptedLiveChat.Socket second = livechat.socket();
        assertEquals("token-2", second.token);
        second.loginSucceeds();
        second.request().ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello")));
        assertEquals(List.of(), heard.take(), "the visitor notices nothing");
    }

    @Test
    void aRefusedTokenOnASendIsMintedAgainAndTheMessageSentOnce() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.AUTHENTICATION, "authentication", false);
        scheduler.advance(Duration.ZERO);
        ScriptedLiveChat.Call again = livechat.next("send_event");
        assertEquals("token-2", again.token());
        again.ok(Map.of("event_id", "E6"));
        assertEquals(List.of("delivered m2"), heard.take());
    }

    @Test
    void aDeactivatedChatEndsAndWhatWasNotSentIsReported() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();
        chat.send(new Outgoing("m2", "Second", false));
        chat.send(new Outgoing("m3", "Third", false));

        socket.push("chat_deactivated", Map.of("chat_id", "C1", "thread_id", "T1", "user_id", "a1"));
        livechat.next("send_event").fail(V3Failure.Kind.CHAT_INACTIVE, "chat_inactive", false);

        assertEquals(List.of("ended AGENT", "not delivered m3 CHAT_ENDED", "not delivered m2 CHAT_ENDED"), heard.take());
    }

    @Test
    void aReturningVisitorResumesTheirChatSoTheAgentSeesTheHistory() {
        UpstreamChat chat = startedChat();
        loggedIn();
        chat.close();
        livechat.next("deactivate_chat").ok(Map.of());
        heard.take();

        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m9", "Back again", false));
        ScriptedLiveChat.Call resume = livechat.next("resume_chat");
        assertEquals("C1", ((Map<?, ?>) resume.payload().get("chat")).get("id"));
        resume.ok(Map.of("thread_id", "T2", "event_ids", List.of("E9")));

        assertEquals(List.of("started", "delivered m9"), heard.take());
        assertEquals(1, livechat.sockets.size(), "the customer stayed logged in between the chats");
    }

    @Test
    void afterARestartTheChatGoesOnWithAFreshTokenAndMessagesOnTheirWayAreSettledFromTheThread() {
        UpstreamChat before = startedChat();
        loggedIn();
        String snapshot = before.snapshot();

        HeardLines after = new HeardLines(() -> null);
        UpstreamChat restored = upstream.chat("c1", snapshot, after);
        restored.send(new Outgoing("m2", "Sent before the stop", true));
        restored.send(new Outgoing("m3", "Not sent before the stop", true));
        restored.resume();
        assertEquals("customer-1", livechat.customerTokensFor.get(livechat.customerTokensFor.size() - 1));
        ScriptedLiveChat.Socket socket = livechat.socket();
        socket.loginSucceeds();
        socket.request().ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"),
                visitorMessage("E2", "m2", "Sent before the stop"), agentMessage("E3", "Welcome back")));
        ScriptedLiveChat.Call send = livechat.next("send_event");
        assertEquals("m3", ((Map<?, ?>) send.payload().get("event")).get("custom_id"));
        send.ok(Map.of("event_id", "E4"));

        assertEquals(List.of("delivered m2", "agent: Welcome back", "delivered m3"), after.take());
        assertTrue(livechat.calls.isEmpty(), "neither started nor sent twice: " + livechat.calls);
    }

    @Test
    void withoutRtmTheChatIsReadThroughTheWebApi() {
        UpstreamChat chat = startedChat();
        heard.take();
        livechat.socket().drop("connection refused", true);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.socket().drop("connection refused", true);

        assertEquals(1, upstream.chatsPolling());
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"), agentMessage("E2", "Hi")));
        assertEquals(List.of("agent: Hi"), heard.take());

        scheduler.advance(Duration.ofMinutes(1));
        livechat.socket().loginSucceeds();
        assertEquals(0, upstream.chatsPolling());
        chat.release();
    }

    @Test
    void aRotatedRefreshTokenIsKept() {
        livechat.rotateTo = "rotated-1";
        startedChat();
        assertEquals(List.of("configured"), livechat.refreshes);
        assertEquals(List.of("rotated-1"), rotated);
    }

    @Test
    void aRefusedTokenIsMintedAgainAtOnceOnlyOnceThenWithBackoffNotInAStorm() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").fail(V3Failure.Kind.AUTHENTICATION, "authentication", false);
        scheduler.advance(Duration.ZERO);
        livechat.next("start_chat").fail(V3Failure.Kind.AUTHENTICATION, "authentication", false);
        scheduler.advance(Duration.ZERO);
        assertTrue(livechat.calls.isEmpty(), "the second refusal waits: " + livechat.calls);
        scheduler.advance(Duration.ofSeconds(2));
        livechat.next("start_chat").ok(Map.of("chat_id", "C1", "thread_id", "T1", "event_ids", List.of("T1_1")));
        assertEquals(List.of("reachable false", "started", "reachable true", "delivered m1").stream().sorted().toList(),
                heard.take().stream().sorted().toList());
    }

    @Test
    void aReturningVisitorsNewThreadIsReadOverTheSocketSoWhatCameBeforeTheAnswerIsShown() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        socket.push("chat_deactivated", Map.of("chat_id", "C1", "thread_id", "T1", "user_id", "a1"));
        heard.take();

        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m9", "Back again", false));
        ScriptedLiveChat.Call resume = livechat.next("resume_chat");
        socket.push("incoming_event", Map.of("chat_id", "C1", "thread_id", "T2", "event",
                agentMessage("T2_2", "Welcome back, said before the answer")));
        resume.ok(Map.of("thread_id", "T2", "event_ids", List.of("T2_1")));
        ScriptedLiveChat.Call read = socket.request();
        assertEquals(Map.of("chat_id", "C1", "thread_id", "T2"), read.payload());
        read.ok(chat("C1", "T2", true, visitorMessage("T2_1", "m9", "Back again"),
                agentMessage("T2_2", "Welcome back, said before the answer")));

        assertEquals(List.of("started", "delivered m9", "agent: Welcome back, said before the answer"), heard.take());
    }

    @Test
    void aStartMadeWhileTheClosedOnesAnswerWasAwaitedIsMadeOnceItComes() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        ScriptedLiveChat.Call first = livechat.next("start_chat");
        chat.close();
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m2", "Hello again", false));
        assertTrue(livechat.calls.isEmpty(), "one start at a time");

        first.ok(Map.of("chat_id", "C1", "thread_id", "T1", "event_ids", List.of("T1_1")));
        livechat.next("deactivate_chat").ok(Map.of());
        scheduler.advance(Duration.ZERO);
        ScriptedLiveChat.Call second = livechat.next("start_chat");
        second.ok(Map.of("chat_id", "C2", "thread_id", "T9", "event_ids", List.of("T9_1")));
        assertTrue(heard.take().containsAll(List.of("started", "delivered m2")));
    }

    @Test
    void aStartGivenBackAfterARestartIsLookedForBeforeItIsMadeAgain() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", true));
        livechat.next("list_chats").ok(Map.of("chats_summary", List.of(Map.of("id", "C1"))));
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("T1_1", "m1", "Hello")));

        assertEquals(List.of("started", "delivered m1"), heard.take());
        assertTrue(livechat.calls.stream().noneMatch(call -> call.action().equals("start_chat")), "not started twice");
    }

    @Test
    void aResumeRefusedBecauseTheChatIsStillActiveTakesItsThreadUpAndSendsTheMessageThere() {
        UpstreamChat chat = startedChat();
        loggedIn();
        chat.close();
        livechat.next("deactivate_chat").fail(V3Failure.Kind.VALIDATION, "validation", false);
        heard.take();

        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m9", "Back again", false));
        livechat.next("resume_chat").fail(V3Failure.Kind.VALIDATION, "validation", false);
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("T1_1", "m1", "Hello")));
        ScriptedLiveChat.Call send = livechat.next("send_event");
        assertEquals("m9", ((Map<?, ?>) send.payload().get("event")).get("custom_id"));
        send.ok(Map.of("event_id", "T1_2"));

        assertEquals(List.of("started", "delivered m9"), heard.take());
    }

    @Test
    void aMessageWhoseEchoCameBeforeItsFailedAnswerIsNotSaidUndelivered() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        ScriptedLiveChat.Call send = livechat.next("send_event");
        socket.push("incoming_event", eventPush(visitorMessage("T1_2", "m2", "Second")));
        send.fail(V3Failure.Kind.TIMEOUT, null, true);
        scheduler.advance(Duration.ofMinutes(1));

        assertEquals(List.of("delivered m2"), heard.take());
        assertTrue(livechat.calls.isEmpty(), "not sent again: " + livechat.calls);
    }

    @Test
    void aLostPushIsReadAndShownBeforeTheOneAfterIt() {
        startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        socket.push("incoming_event", eventPush(agentMessage("T1_2", "one")));
        heard.take();

        socket.push("incoming_event", eventPush(agentMessage("T1_4", "three"))); // T1_3 was lost
        socket.push("incoming_event", eventPush(agentMessage("T1_5", "four")));
        assertEquals(List.of(), heard.take(), "held until what was missed is read");
        socket.request().ok(chat("C1", "T1", true, visitorMessage("T1_1", "m1", "Hello"), agentMessage("T1_2", "one"),
                agentMessage("T1_3", "two"), agentMessage("T1_4", "three")));

        assertEquals(List.of("agent: two", "agent: three", "agent: four"), heard.take());
    }

    @Test
    void aValidationErrorOnAReadDoesNotEndTheChat() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();
        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").fail(V3Failure.Kind.SERVER, "internal", true);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.next("get_chat").fail(V3Failure.Kind.VALIDATION, "validation", false);

        assertFalse(heard.take().stream().anyMatch(line -> line.startsWith("ended")));
    }

    @Test
    void theAgentsInTheChatAreNotSaidToJoinAgainAfterARestart() {
        UpstreamChat before = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        socket.push("user_added_to_chat", Map.of("chat_id", "C1", "thread_id", "T1", "user",
                Map.of("id", "a1", "type", "agent", "name", "Ann", "present", true)));
        String snapshot = before.snapshot();

        HeardLines after = new HeardLines(() -> null);
        UpstreamChat restored = upstream.chat("c1", snapshot, after);
        restored.resume();
        ScriptedLiveChat.Socket again = livechat.socket();
        again.loginSucceeds();
        Map<String, Object> read = new LinkedHashMap<>(chat("C1", "T1", true, visitorMessage("T1_1", "m1", "Hello")));
        read.put("users", List.of(Map.of("id", "a1", "type", "agent", "name", "Ann", "present", true)));
        again.request().ok(read);

        assertEquals(List.of(), after.take());
    }

    @Test
    void aBannedCustomerIsDisconnectedTheChatEndsAndNoSocketComesBack() {
        startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();
        socket.drop("customer_banned", false);
        scheduler.advance(Duration.ofHours(1));

        assertEquals(List.of("ended AGENT"), heard.take());
        assertEquals(1, livechat.sockets.size(), "no login again");
    }

    @Test
    void aChatTheRelayHoldsOpenWithNoOpenThreadHereEndsAtTheRestart() {
        UpstreamChat restored = upstream.chat("c1", null, heard); // e.g. a record the v2 adapter wrote
        restored.resume();
        assertEquals(List.of("ended UPSTREAM"), heard.take());
        assertTrue(livechat.calls.isEmpty() && livechat.sockets.isEmpty());
    }

    @Test
    void aSnapshotOfTheV2AdapterIsNotReadAsOneOfThisAdapter() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> upstream.chat("c1",
                "{\"visitorId\":\"p-1\",\"securedSessionId\":\"S1\",\"seenIds\":[1]}", heard));
    }

    @Test
    void anAgentsPushLostBeforeTheVisitorsOwnMessageIsReadNotPassedOverByItsNumber() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        socket.push("incoming_event", eventPush(visitorMessage("T1_1", "m1", "Hello"))); // the numbers begin
        heard.take();

        chat.send(new Outgoing("m2", "Second", false));
        livechat.next("send_event").ok(Map.of("event_id", "T1_3")); // T1_2, the agent's, was not pushed
        ScriptedLiveChat.Call read = socket.request();
        socket.push("incoming_event", eventPush(agentMessage("T1_4", "after")));
        read.ok(chat("C1", "T1", true, visitorMessage("T1_1", "m1", "Hello"), agentMessage("T1_2", "before"),
                visitorMessage("T1_3", "m2", "Second")));

        assertEquals(List.of("delivered m2", "agent: before", "agent: after"), heard.take());
    }

    @Test
    void aFileIsUploadedThenSharedAsAFileEventWithItsClientIdAsCustomId() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("f1", "photo.png", false, photo()));
        ScriptedLiveChat.Call upload = livechat.next("upload_file");
        assertEquals("photo.png", upload.payload().get("name"));
        assertTrue(livechat.calls.isEmpty(), "nothing is shared before the upload answers");
        upload.ok(Map.of("url", "https://cdn.livechat-files.com/api/file/lc/att/1/abc/photo.png"));
        ScriptedLiveChat.Call share = livechat.next("send_event");
        assertEquals("{type=file, url=https://cdn.livechat-files.com/api/file/lc/att/1/abc/photo.png, recipients=all, "
                + "custom_id=f1}", share.payload().get("event").toString());
        share.ok(Map.of("event_id", "T1_2"));

        assertEquals(List.of("file delivered f1 at https://cdn.livechat-files.com/api/file/lc/att/1/abc/photo.png"),
                heard.take());
        chat.release();
    }

    @Test
    void anUploadThatFailsIsMadeAgainAndAShareThatMayHaveLandedIsSettledByItsCustomId() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("f1", "photo.png", false, photo()));
        livechat.next("upload_file").fail(V3Failure.Kind.SERVER, "internal", true);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.next("upload_file").ok(Map.of("url", "https://cdn.livechat-files.com/f/photo.png"));
        livechat.next("send_event").fail(V3Failure.Kind.TIMEOUT, null, true);
        scheduler.advance(Duration.ofMinutes(1));
        Map<String, Object> echo = Map.of("id", "T1_2", "type", "file", "author_id", "customer-1", "custom_id", "f1",
                "url", "https://cdn.livechat-files.com/f/photo.png", "created_at", "2026-11-29T10:00:02.000000Z");
        livechat.next("get_chat").ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"), echo));

        assertEquals(List.of("file delivered f1 at https://cdn.livechat-files.com/f/photo.png"), heard.take());
        assertTrue(livechat.calls.isEmpty(), "not shared again: " + livechat.calls);
        chat.release();
    }

    @Test
    void aFileTheUpstreamRefusesIsNotDeliveredAndTheNextMessageGoes() {
        UpstreamChat chat = startedChat();
        loggedIn();
        heard.take();

        chat.send(new Outgoing("f1", "huge.pdf", false, photo()));
        chat.send(new Outgoing("m2", "Next", false));
        livechat.next("upload_file").fail(V3Failure.Kind.VALIDATION, "validation", false);
        livechat.next("send_event").ok(Map.of("event_id", "T1_2"));

        assertEquals(List.of("not delivered f1 REFUSED", "delivered m2"), heard.take());
        chat.release();
    }

    @Test
    void aRichMessageIsReportedWithItsTemplateElementsAndAReferenceAPostbackSendsBack() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        Map<String, Object> card = Map.of("id", "T1_7", "type", "rich_message", "author_id", "a1",
                "template_id", "cards", "created_at", "2026-11-29T10:00:01.000000Z",
                "elements", List.of(Map.of("title", "Pick one", "image", Map.of("url", "javascript:alert(1)"),
                        "buttons", List.of(Map.of("text", "Yes", "type", "message", "postback_id", "action_yes",
                                "user_ids", List.of()), Map.of("text", "", "postback_id", "blank")))));
        socket.push("incoming_event", eventPush(card));
        assertEquals(List.of("rich cards [T1 T1_7] [Pick one:[Yes=action_yes]]"), heard.take());

        chat.postback("T1 T1_7", "action_yes", true);
        ScriptedLiveChat.Call postback = livechat.next("send_rich_message_postback");
        assertEquals("C1", postback.payload().get("chat_id"));
        assertEquals("T1", postback.payload().get("thread_id"));
        assertEquals("T1_7", postback.payload().get("event_id"));
        assertEquals(Map.of("id", "action_yes", "toggled", true), postback.payload().get("postback"));
        postback.ok(Map.of());
        chat.release();
    }

    @Test
    void aRichMessageWithNothingToShowIsLeftOut() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        socket.push("incoming_event", eventPush(Map.of("id", "T1_8", "type", "rich_message", "author_id", "a1",
                "template_id", "cards", "elements", List.of(Map.of("title", " ")))));
        socket.push("incoming_event", eventPush(agentMessage("T1_9", "after")));

        assertEquals(List.of("agent: after"), heard.take());
        chat.release();
    }

    // --- helpers ---

    @Test
    void theVisitorsDraftAndSeenMarkGoOverTheSocketWhileOneIsLoggedInAndThroughTheWebApiWithout() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        chat.typing("Hello, I wou");
        ScriptedLiveChat.Call peek = socket.request();
        assertEquals("send_sneak_peek", peek.action());
        assertEquals(Map.of("chat_id", "C1", "sneak_peek_text", "Hello, I wou"), peek.payload());
        peek.ok(Map.of());
        chat.markSeen(Instant.parse("2026-11-29T10:00:01.250000Z"));
        ScriptedLiveChat.Call seen = socket.request();
        assertEquals("mark_events_as_seen", seen.action());
        assertEquals(Map.of("chat_id", "C1", "seen_up_to", "2026-11-29T10:00:01.250Z"), seen.payload(),
                "an RFC 3339 date-time");
        seen.fail(V3Failure.Kind.SERVER, "internal", false);
        scheduler.advance(Duration.ofMinutes(1));
        assertTrue(livechat.calls.isEmpty(), "none through the Web API while a socket holds: " + livechat.calls);
        assertTrue(socket.requests.isEmpty(), "a signal that failed is not tried again: the next replaces it");
        assertEquals(List.of(), heard.take(), "and changes nothing in the chat");

        socket.drop("connection lost", true);
        chat.typing("Hello, I would like");
        ScriptedLiveChat.Call web = livechat.next("send_sneak_peek");
        assertEquals(Map.of("chat_id", "C1", "sneak_peek_text", "Hello, I would like"), web.payload());
        chat.release();
    }

    @Test
    void noSignalGoesForAChatThatIsNotOpen() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.typing("A draft before any chat");
        chat.markSeen(Instant.EPOCH);
        assertTrue(livechat.calls.isEmpty(), "nothing to send it to: " + livechat.calls);

        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").ok(Map.of("chat_id", "C1", "thread_id", "T1", "event_ids", List.of("E1")));
        ScriptedLiveChat.Socket socket = loggedIn();
        chat.close();
        livechat.next("deactivate_chat").ok(Map.of());
        chat.typing("After the end");
        assertTrue(livechat.calls.isEmpty() && socket.requests.isEmpty(), "nothing after the end");
    }

    @Test
    void thePageTheVisitorIsOnGoesWithTheLoginAndOverTheSocketOnEachChangeAndNeverThroughTheWebApi() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.visitorPage(new VisitorPage("https://shop.example/cart", "Your cart"));
        assertTrue(livechat.calls.isEmpty(), "no customer logged in, no call: " + livechat.calls);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").ok(Map.of("chat_id", "C1", "thread_id", "T1", "event_ids", List.of("E1")));
        ScriptedLiveChat.Socket socket = loggedIn();
        assertEquals(Map.of("url", "https://shop.example/cart", "title", "Your cart"), socket.customerPage,
                "the login's customer_page");

        chat.visitorPage(new VisitorPage("https://shop.example/checkout", null));
        ScriptedLiveChat.Call update = socket.request();
        assertEquals("update_customer_page", update.action());
        assertEquals(Map.of("url", "https://shop.example/checkout"), update.payload());
        update.fail(V3Failure.Kind.SERVER, "internal", false);
        socket.drop("connection lost", true);
        chat.visitorPage(new VisitorPage("https://shop.example/thanks", "Thanks"));
        assertTrue(livechat.calls.isEmpty(), "RTM's only: no Web API call for it");
        scheduler.advance(Duration.ofMinutes(1));
        ScriptedLiveChat.Socket again = livechat.socket();
        assertEquals(Map.of("url", "https://shop.example/thanks", "title", "Thanks"), again.customerPage,
                "the next login carries the page of now");
        chat.release();
    }

    private static Map<String, Object> greetingPush(String uniqueId, String text) {
        return Map.of("id", 7, "unique_id", uniqueId, "displayed_first_time", true, "subtype", "announcement",
                "is_exit_intent", false,
                "event", Map.of("id", uniqueId + "_1", "type", "message", "text", text, "author_id", "a1",
                        "created_at", "2026-11-29T10:00:00.000000Z", "visibility", "all"),
                "agent", Map.of("name", "Ada", "id", "a1", "avatar", "https://x.example/a.png", "job_title", "Support",
                        "is_bot", false));
    }

    @Test
    void aGreetingOnTheSocketKeptAfterAChatIsReportedUnderAnIdOfItsOwnAndAnsweredWithLiveChatsIds() {
        UpstreamChat chat = startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        socket.push("chat_deactivated", Map.of("chat_id", "C1", "thread_id", "T1", "user_id", "a1"));
        heard.take();

        socket.push("incoming_greeting", greetingPush("Q10O0N5B5D", "Can I help?"));
        assertEquals(List.of("greeting Ada: Can I help?"), heard.take());
        String accepted = heard.lastGreetingId;
        assertFalse(accepted.contains("Q10O0N5B5D"), "LiveChat's ids stay in the adapter: " + accepted);
        chat.answerGreeting(accepted, true);
        ScriptedLiveChat.Call accept = socket.request();
        assertEquals("accept_greeting", accept.action());
        assertEquals(Map.of("greeting_id", 7, "unique_id", "Q10O0N5B5D"), accept.payload());
        accept.ok(Map.of());
        chat.answerGreeting(accepted, false);
        assertTrue(socket.requests.isEmpty() && livechat.calls.isEmpty(), "answered once");

        socket.push("incoming_greeting", greetingPush("Q20P1M6C6E", "Still there?"));
        chat.answerGreeting(heard.lastGreetingId, false);
        ScriptedLiveChat.Call cancel = socket.request();
        assertEquals("cancel_greeting", cancel.action());
        assertEquals(Map.of("unique_id", "Q20P1M6C6E"), cancel.payload());

        socket.push("incoming_greeting", Map.of("id", 8, "unique_id", "Q3", "event", Map.of("type", "file")));
        socket.push("incoming_greeting", Map.of("unique_id", "Q4", "event", Map.of("type", "message", "text", "No id")));
        assertEquals(List.of("greeting Ada: Still there?"), heard.take(), "one without a text or ids is not shown");
        chat.answerGreeting("unknown", true);
        assertTrue(socket.requests.isEmpty() && livechat.calls.isEmpty(), "an id it never gave goes nowhere");
        chat.release();
    }

    @Test
    void theRatingGoesToTheThreadThatEndedAsThePropertiesOfTheSdksRateChatAndIsTakenBackByDeletingThem() {
        UpstreamChat chat = startedChat();
        loggedIn();
        chat.close();
        livechat.next("deactivate_chat").ok(Map.of());
        heard.take();

        chat.rate(new Rating(Rating.Score.GOOD, "Quick and kind"));
        ScriptedLiveChat.Call rated = livechat.next("update_thread_properties");
        assertEquals(Map.of("chat_id", "C1", "thread_id", "T1",
                "properties", Map.of("rating", Map.of("score", 1, "comment", "Quick and kind"))), rated.payload());
        chat.rate(new Rating(Rating.Score.BAD, null));
        assertTrue(livechat.calls.isEmpty(), "one at a time, in the order given: " + livechat.calls);
        rated.ok(Map.of());
        ScriptedLiveChat.Call changed = livechat.next("update_thread_properties");
        assertEquals(Map.of("chat_id", "C1", "thread_id", "T1",
                "properties", Map.of("rating", Map.of("score", 0, "comment", ""))), changed.payload(),
                "the comment given before does not stay");
        changed.fail(V3Failure.Kind.SERVER, "internal", false);
        scheduler.advance(Duration.ofMinutes(1));
        livechat.next("update_thread_properties").ok(Map.of());

        chat.rate(new Rating(null, null));
        ScriptedLiveChat.Call taken = livechat.next("delete_thread_properties");
        assertEquals(Map.of("chat_id", "C1", "thread_id", "T1",
                "properties", Map.of("rating", List.of("score", "comment"))), taken.payload());
        taken.ok(Map.of());
        assertEquals(List.of(), heard.take(), "a rating changes nothing in the chat");
        chat.release();
    }

    @SuppressWarnings("unchecked")
    @Test
    void theQueuePlaceComesFromTheThreadReadAndFromPushesAndTheAgentsSeenMarkToo() {
        startedChat();
        ScriptedLiveChat.Socket socket = livechat.socket();
        socket.loginSucceeds();
        Map<String, Object> read = chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello"));
        ((Map<String, Object>) read.get("thread")).put("queue",
                Map.of("position", 4, "wait_time", 300, "queued_at", "2026-11-29T10:00:00.000000Z"));
        socket.request().ok(read);
        assertEquals(List.of("started", "delivered m1", "queue 4 300"), heard.take());

        socket.push("queue_position_updated", Map.of("chat_id", "C1", "thread_id", "T1",
                "queue", Map.of("position", 3, "wait_time", 120)));
        socket.push("queue_position_updated", Map.of("chat_id", "C9", "thread_id", "T9",
                "queue", Map.of("position", 1, "wait_time", 5)));
        socket.push("events_marked_as_seen", Map.of("user_id", "customer-1", "chat_id", "C1",
                "seen_up_to", "2026-11-29T10:00:02.000000Z"));
        socket.push("events_marked_as_seen", Map.of("user_id", "a1", "chat_id", "C1",
                "seen_up_to", "2026-11-29T10:00:03.000000Z"));
        assertEquals(List.of("queue 3 120", "seen 2026-11-29T10:00:03Z"), heard.take(),
                "another chat's queue and the customer's own seen mark are not this chat's news");
    }

    private static io.parley.upstream.Attachment photo() {
        return new io.parley.upstream.Attachment("photo.png", "image/png", 1234, java.nio.file.Path.of("spooled.bin"));
    }

    private UpstreamChat startedChat() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.start(ChatStart.withWelcome("Hi"), new Outgoing("m1", "Hello", false));
        livechat.next("start_chat").ok(Map.of("chat_id", "C1", "thread_id", "T1", "event_ids", List.of("E1")));
        return chat;
    }

    private ScriptedLiveChat.Socket loggedIn() {
        ScriptedLiveChat.Socket socket = livechat.socket();
        socket.loginSucceeds();
        socket.request().ok(chat("C1", "T1", true, visitorMessage("E1", "m1", "Hello")));
        return socket;
    }

    @SafeVarargs
    private static Map<String, Object> chat(String chatId, String threadId, boolean active, Map<String, Object>... events) {
        Map<String, Object> thread = new LinkedHashMap<>();
        thread.put("id", threadId);
        thread.put("active", active);
        thread.put("events", List.of(events));
        return Map.of("id", chatId, "thread", thread, "users", List.of(Map.of("id", "customer-1", "type", "customer")));
    }

    private static Map<String, Object> eventPush(Map<String, Object> event) {
        return Map.of("chat_id", "C1", "thread_id", "T1", "event", event);
    }

    private static Map<String, Object> agentMessage(String id, String text) {
        return Map.of("id", id, "type", "message", "author_id", "a1", "text", text,
                "created_at", "2026-11-29T10:00:01.000000Z");
    }

    private static Map<String, Object> visitorMessage(String id, String clientId, String text) {
        return Map.of("id", id, "type", "message", "author_id", "customer-1", "text", text, "custom_id", clientId,
                "created_at", "2026-11-29T10:00:00.000000Z");
    }

    // --- availability, and messages left for later ---

    @Test
    void aMessageLeftForLaterIsAContinuousChatWithTheVisitorsAddressGivenFirst() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.leaveMessage(new io.parley.upstream.OfflineMessage("o1", "Kim", "kim@example.com", "Call me back",
                OptionalInt.of(3)));

        ScriptedLiveChat.Call customer = livechat.next("update_customer");
        assertEquals("{name=Kim, email=kim@example.com}", customer.payload().toString());
        customer.ok(Map.of());
        ScriptedLiveChat.Call start = livechat.next("start_chat");
        assertEquals("{chat={access={group_ids=[3]}, thread={events=[{type=message, text=Call me back, "
                + "recipients=all, custom_id=o1}]}}, continuous=true}", start.payload().toString());
        assertEquals(List.of(), heard.take(), "not before the upstream answered");
        start.ok(Map.of("chat_id", "C1", "thread_id", "T1"));

        assertEquals(List.of("left o1"), heard.take());
        assertTrue(chat.snapshot().contains("C1"), "a later chat is a thread of this one");
        assertTrue(livechat.sockets.isEmpty(), "no socket is held for a message left for later");
    }

    @Test
    void aSecondMessageLeftWhileTheFirstsThreadIsOpenJoinsIt() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.leaveMessage(new io.parley.upstream.OfflineMessage("o1", null, "kim@example.com", "One", OptionalInt.empty()));
        livechat.next("update_customer").ok(Map.of());
        livechat.next("start_chat").ok(Map.of("chat_id", "C1", "thread_id", "T1"));
        heard.take();

        chat.leaveMessage(new io.parley.upstream.OfflineMessage("o2", null, "kim@example.com", "Two", OptionalInt.empty()));
        livechat.next("update_customer").ok(Map.of());
        livechat.next("resume_chat").fail(V3Failure.Kind.VALIDATION, "validation", false);
        ScriptedLiveChat.Call send = livechat.next("send_event");
        assertEquals("C1", send.payload().get("chat_id"));
        send.ok(Map.of("event_id", "T1_2"));

        assertEquals(List.of("left o2"), heard.take());
    }

    @Test
    void aMessageLeftIsTriedAgainWhileTheUpstreamFailsThenReportedNotLeft() {
        UpstreamChat chat = upstream.chat("c1", null, heard);
        chat.leaveMessage(new io.parley.upstream.OfflineMessage("o1", null, "kim@example.com", "Hi", OptionalInt.empty()));
        livechat.next("update_customer").ok(Map.of());
        for (int attempt = 1; attempt < V3Chat.LEAVE_ATTEMPTS; attempt++) {
            livechat.next("start_chat").fail(V3Failure.Kind.SERVER, "internal", false);
            assertEquals(List.of(), heard.take());
            scheduler.advance(Duration.ofMinutes(1));
        }
        livechat.next("start_chat").fail(V3Failure.Kind.SERVER, "internal", false);

        assertEquals(List.of("not left o1"), heard.take());
    }

    @Test
    void theGroupsStatusesAreReadOnceForTheNodeWhileTabsAskAndNotAfter() {
        List<String> told = new ArrayList<>();
        upstream.onAvailabilityChange(() -> told.add("changed"));

        assertEquals(java.util.Optional.empty(), upstream.online(OptionalInt.empty()), "not known before the first read");
        ScriptedLiveChat.Call read = livechat.next("list_group_statuses");
        assertEquals("{all=true}", read.payload().toString());
        assertEquals(java.util.Optional.empty(), upstream.online(OptionalInt.of(2)), "one read at a time");
        assertTrue(livechat.calls.isEmpty());
        read.ok(Map.of("groups_status", Map.of("0", "offline", "2", "online_for_queue")));

        assertEquals(List.of("changed"), told);
        assertEquals(java.util.Optional.of(false), upstream.online(OptionalInt.empty()));
        assertEquals(java.util.Optional.of(true), upstream.online(OptionalInt.of(2)), "a queue takes chats too");
        assertEquals(java.util.Optional.empty(), upstream.online(OptionalInt.of(5)), "a group the account lacks");

        scheduler.advance(Duration.ofSeconds(30));
        livechat.next("list_group_statuses").ok(Map.of("groups_status", Map.of("0", "online", "2", "online_for_queue")));
        assertEquals(List.of("changed", "changed"), told);
        assertEquals(java.util.Optional.of(true), upstream.online(OptionalInt.empty()));
        assertEquals(List.of("new"), livechat.customerTokensFor, "one customer of the node's own, whatever the visitors");

        // asked last at 30 s: read on for two intervals (60 s, 90 s), then no more
        scheduler.advance(Duration.ofSeconds(30));
        livechat.next("list_group_statuses").ok(Map.of("groups_status", Map.of("0", "online")));
        scheduler.advance(Duration.ofSeconds(30));
        livechat.next("list_group_statuses").ok(Map.of("groups_status", Map.of("0", "online")));
        scheduler.advance(Duration.ofMinutes(5));
        assertTrue(livechat.calls.isEmpty(), "nobody asked for a minute: no more reads " + livechat.calls);
        assertEquals(java.util.Optional.empty(), upstream.online(OptionalInt.empty()),
                "a view from before the quiet spell is not told as the truth");
        int toldBefore = told.size();
        livechat.next("list_group_statuses").ok(Map.of("groups_status", Map.of("0", "online")));
        assertEquals(toldBefore + 1, told.size(),
                "the tabs told 'not known' hear it is known, even as it was before the quiet spell");
        assertEquals(java.util.Optional.of(true), upstream.online(OptionalInt.empty()));
    }

    @Test
    void aGroupsStatusPushOfAVisitorsSocketUpdatesTheNodesView() {
        upstream.online(OptionalInt.empty());
        livechat.next("list_group_statuses").ok(Map.of("groups_status", Map.of("0", "online")));
        startedChat();
        ScriptedLiveChat.Socket socket = loggedIn();
        heard.take();

        socket.push("groups_status_updated", Map.of("groups", List.of(Map.of("id", 0, "status", "offline"))));

        assertEquals(List.of("online false"), heard.take());
        assertEquals(java.util.Optional.of(false), upstream.online(OptionalInt.empty()));
    }
}
