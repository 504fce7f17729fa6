package io.parley.livechat.v3.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v3.Rtm;
import io.parley.livechat.v3.V3Failure;
import io.parley.tasks.ExecutorTaskScheduler;
import io.parley.testing.Eventually;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RTM client against a scripted LiveChat over a real WebSocket. */
class RtmClientTest {

    private static final String TOKEN = "dal:customer-token";

    private static FakeLiveChat fake;
    private static ExecutorTaskScheduler scheduler;
    /** Pings far apart, so that only the ping test sees any. */
    private static RtmClient rtm;

    @BeforeAll
    static void start() throws Exception {
        fake = new FakeLiveChat();
        scheduler = new ExecutorTaskScheduler(Clock.systemUTC(), "rtm-test");
        rtm = new RtmClient(fake::uri, "org-1", "3.6", Duration.ofSeconds(20), Duration.ofHours(1), scheduler);
    }

    @AfterAll
    static void stop() throws Exception {
        rtm.close();
        scheduler.close();
        fake.close();
    }

    /** What a socket's handler heard, in order; fails a test if two calls ever overlap. */
    static final class Heard implements Rtm.Socket.Handler {
        final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        final AtomicInteger closedCount = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        private final AtomicBoolean inside = new AtomicBoolean();

        @Override
        public void loggedIn(Rtm.Socket socket) {
            enter();
            events.add("loggedIn");
            leave();
        }

        @Override
        public void push(String action, Map<String, Object> payload) {
            enter();
            events.add(new Push(action, payload));
            leave();
        }

        @Override
        public void closed(Rtm.Closed why) {
            enter();
            closedCount.incrementAndGet();
            events.add(why);
            leave();
        }

        private void enter() {
            if (!inside.compareAndSet(false, true)) {
                overlapped.set(true);
            }
        }

        private void leave() {
            inside.set(false);
        }

        Object next() throws InterruptedException {
            Object event = events.poll(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("the handler heard nothing");
            }
            return event;
        }

        Rtm.Closed nextClosed() throws InterruptedException {
            return assertInstanceOf(Rtm.Closed.class, next());
        }
    }

    record Push(String action, Map<String, Object> payload) {
    }

    /** A socket logged in: the open, the login checked and accepted. */
    private record LoggedIn(Rtm.Socket socket, FakeLiveChat.Peer peer, Heard heard) {
    }

    private static LoggedIn loggedIn() throws Exception {
        Heard heard = new Heard();
        Rtm.Socket socket = rtm.open(TOKEN, null, heard);
        FakeLiveChat.Peer peer = fake.nextPeer();
        Map<String, Object> login = peer.nextMessage();
        assertEquals("login", login.get("action"));
        peer.respond(login, "{\"customer\":{\"id\":\"c\"},\"has_active_thread\":false,\"chats\":[]}");
        assertEquals("loggedIn", heard.next());
        return new LoggedIn(socket, peer, heard);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(FakeLiveChat.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static V3Failure failure(CompletableFuture<?> future) throws Exception {
        try {
            await(future);
        } catch (ExecutionException e) {
            return assertInstanceOf(V3Failure.class, e.getCause());
        }
        throw new AssertionError("it succeeded");
    }

    /** Closed once, and only once, even after the connection is gone for good. */
    private static void assertClosedOnce(Heard heard) throws Exception {
        Eventually.await("the socket is gone", () -> rtm.openSessions() == 0);
        assertEquals(1, heard.closedCount.get());
        assertFalse(heard.overlapped.get(), "the handler was never called twice at once");
    }

    @Test
    void theLoginCarriesTheTokenAndThePageAndTheSocketTheOrganization() throws Exception {
        Heard heard = new Heard();
        Rtm.Socket socket = rtm.open(TOKEN, Map.of("url", "https://shop.example/p?q=1", "title", "Shop"), heard);
        FakeLiveChat.Peer peer = fake.nextPeer();
        assertEquals("organization_id=org-1", peer.query);
        assertEquals("", peer.region);
        Map<String, Object> login = peer.nextMessage();
        assertEquals("login", login.get("action"));
        assertInstanceOf(String.class, login.get("request_id"));
        Map<?, ?> payload = (Map<?, ?>) login.get("payload");
        assertEquals("Bearer " + TOKEN, payload.get("token"));
        assertEquals(Map.of("url", "https://shop.example/p?q=1", "title", "Shop"), payload.get("customer_page"));

        peer.push("incoming_greeting", "{\"id\":1}"); // before the login's answer: heard after it
        peer.respond(login, "{}");
        assertEquals("loggedIn", heard.next());
        assertEquals("incoming_greeting", assertInstanceOf(Push.class, heard.next()).action());

        socket.close();
        Rtm.Closed closed = heard.nextClosed();
        assertTrue(closed.reconnect());
        assertNull(closed.loginFailure());
        assertTrue(peer.awaitClosed());
        assertClosedOnce(heard);
    }

    @Test
    void aFraTokenSaysItsRegionAndAPageOfNullIsLeftOut() throws Exception {
        Heard heard = new Heard();
        Rtm.Socket socket = rtm.open("fra:customer-token", null, heard);
        FakeLiveChat.Peer peer = fake.nextPeer();
        assertEquals("fra", peer.region);
        Map<?, ?> payload = (Map<?, ?>) peer.nextMessage().get("payload");
        assertFalse(payload.containsKey("customer_page"));
        socket.close();
        Rtm.Closed closed = heard.nextClosed();
        assertInstanceOf(V3Failure.class, closed.loginFailure(), "closed before the login: no login");
        assertClosedOnce(heard);
    }

    @Test
    void aRefusedLoginClosesTheSocketWithTheFailure() throws Exception {
        Heard heard = new Heard();
        rtm.open(TOKEN, null, heard);
        FakeLiveChat.Peer peer = fake.nextPeer();
        peer.refuse(peer.nextMessage(), "authentication");
        Rtm.Closed closed = heard.nextClosed();
        assertEquals(V3Failure.Kind.AUTHENTICATION, closed.loginFailure().kind());
        assertEquals("authentication", closed.loginFailure().type());
        assertTrue(closed.reconnect(), "a new token may do");
        assertTrue(peer.awaitClosed());
        assertClosedOnce(heard);
        assertTrue(heard.events.isEmpty(), "no loggedIn, nothing after closed");
    }

    @Test
    void aSocketThatCannotConnectIsALoginFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        try (RtmClient refused = new RtmClient(() -> nowhere, "org", "3.6", Duration.ofSeconds(20), scheduler)) {
            Heard heard = new Heard();
            refused.open(TOKEN, null, heard);
            Rtm.Closed closed = heard.nextClosed();
            assertEquals(V3Failure.Kind.NETWORK, closed.loginFailure().kind());
            assertTrue(closed.reconnect());
            assertFalse(closed.reason().contains(TOKEN));
        }
        Heard unknown = new Heard();
        try (RtmClient notYet = new RtmClient(() -> null, "org", "3.6", Duration.ofSeconds(20), scheduler)) {
            notYet.open(TOKEN, null, unknown);
            assertEquals(V3Failure.Kind.NETWORK, unknown.nextClosed().loginFailure().kind());
        }
    }

    @Test
    void responsesAreMatchedByRequestIdWhilePushesComeBetween() throws Exception {
        LoggedIn in = loggedIn();
        CompletableFuture<Map<String, Object>> first = in.socket().request("get_chat", Map.of("chat_id", "C1"));
        CompletableFuture<Map<String, Object>> second = in.socket().request("send_event",
                Map.of("chat_id", "C1", "event", Map.of("type", "message", "text", "Hi", "custom_id", "m-1")));
        Map<String, Object> getChat = in.peer().nextMessage();
        Map<String, Object> sendEvent = in.peer().nextMessage();
        assertEquals("get_chat", getChat.get("action"));
        assertEquals(Map.of("chat_id", "C1"), getChat.get("payload"));
        assertEquals("send_event", sendEvent.get("action"));
        assertFalse(getChat.get("request_id").equals(sendEvent.get("request_id")));

        in.peer().push("incoming_event", "{\"chat_id\":\"C1\",\"event\":{\"id\":\"E1\",\"custom_id\":\"m-1\"}}");
        // A push may carry the requester's request_id: it is still a push, not the response.
        in.peer().send("{\"action\":\"incoming_event\",\"type\":\"push\",\"request_id\":\"" + sendEvent.get("request_id")
                + "\",\"payload\":{\"chat_id\":\"C1\",\"event\":{\"id\":\"E2\"}}}");
        in.peer().respond(sendEvent, "{\"event_id\":\"E1\"}");
        in.peer().push("incoming_typing_indicator", "{\"chat_id\":\"C1\"}");
        in.peer().refuse(getChat, "chat_inactive");

        assertEquals(Map.of("event_id", "E1"), await(second));
        V3Failure refused = failure(first);
        assertEquals(V3Failure.Kind.CHAT_INACTIVE, refused.kind());
        assertFalse(refused.ambiguous());
        Push pushed = assertInstanceOf(Push.class, in.heard().next());
        assertEquals("incoming_event", pushed.action());
        assertEquals("E1", ((Map<?, ?>) pushed.payload().get("event")).get("id"));
        assertEquals("E2", ((Map<?, ?>) assertInstanceOf(Push.class, in.heard().next()).payload().get("event")).get("id"));
        assertEquals("incoming_typing_indicator", assertInstanceOf(Push.class, in.heard().next()).action());
        in.socket().close();
        in.heard().nextClosed();
        assertClosedOnce(in.heard());
    }

    @Test
    void pushesReachTheHandlerInOrderOneAtATime() throws Exception {
        LoggedIn in = loggedIn();
        int count = 200;
        for (int i = 0; i < count; i++) {
            in.peer().push("incoming_event", "{\"n\":" + i + "}");
        }
        for (int i = 0; i < count; i++) {
            Push push = assertInstanceOf(Push.class, in.heard().next());
            assertEquals(new BigDecimal(i), push.payload().get("n"));
        }
        in.peer().send("not json");
        in.peer().send("{\"type\":\"response\",\"request_id\":\"999\",\"success\":true}");
        in.peer().push("incoming_event", "{\"n\":\"after\"}");
        assertEquals("after", assertInstanceOf(Push.class, in.heard().next()).payload().get("n"), "nonsense is skipped");
        assertFalse(in.heard().overlapped.get());
        in.socket().close();
        in.heard().nextClosed();
    }

    @Test
    void anExpiredTokenClosesTheSocketAllowingAReconnect() throws Exception {
        LoggedIn in = loggedIn();
        CompletableFuture<Map<String, Object>> waiting = in.socket().request("get_customer", Map.of());
        in.peer().nextMessage();
        in.peer().push("customer_disconnected", "{\"reason\":\"access_token_expired\"}");
        V3Failure failed = failure(waiting);
        assertTrue(failed.ambiguous(), "sent and never answered: it may have landed");
        Rtm.Closed closed = in.heard().nextClosed();
        assertEquals(new Rtm.Closed("access_token_expired", true, null), closed);
        assertTrue(in.peer().awaitClosed(), "the client closes its end");
        assertClosedOnce(in.heard());
        V3Failure afterwards = failure(in.socket().request("get_customer", Map.of()));
        assertFalse(afterwards.ambiguous(), "never sent");
    }

    @Test
    void aReasonNotToReconnectSaysSo() throws Exception {
        LoggedIn in = loggedIn();
        in.peer().push("customer_disconnected", "{\"reason\":\"too_many_connections\"}");
        assertEquals(new Rtm.Closed("too_many_connections", false, null), in.heard().nextClosed());
        assertClosedOnce(in.heard());
    }

    @Test
    void atMostTenRequestsWaitAndTheRestAreRefusedHere() throws Exception {
        LoggedIn in = loggedIn();
        List<CompletableFuture<Map<String, Object>>> waiting = new ArrayList<>();
        for (int i = 0; i < RtmClient.MAX_PENDING; i++) {
            waiting.add(in.socket().request("get_customer", Map.of()));
        }
        List<Map<String, Object>> sent = new ArrayList<>();
        for (int i = 0; i < RtmClient.MAX_PENDING; i++) {
            sent.add(in.peer().nextMessage());
        }
        V3Failure eleventh = failure(in.socket().request("get_customer", Map.of()));
        assertEquals(V3Failure.Kind.TOO_MANY_REQUESTS, eleventh.kind());
        assertFalse(eleventh.ambiguous());

        in.peer().respond(sent.get(0), "{\"id\":\"c\"}");
        assertEquals(Map.of("id", "c"), await(waiting.get(0)));
        CompletableFuture<Map<String, Object>> another = in.socket().request("get_customer", Map.of());
        assertEquals("get_customer", in.peer().nextMessage().get("action"), "a slot came free");

        in.socket().close();
        for (CompletableFuture<Map<String, Object>> request : waiting.subList(1, waiting.size())) {
            V3Failure failed = failure(request);
            assertEquals(V3Failure.Kind.NETWORK, failed.kind());
            assertTrue(failed.ambiguous());
        }
        assertTrue(failure(another).ambiguous());
        in.heard().nextClosed();
        assertClosedOnce(in.heard());
    }

    @Test
    void theServerGoingAwayFailsWhatWaitsAndIsReportedOnce() throws Exception {
        LoggedIn in = loggedIn();
        CompletableFuture<Map<String, Object>> waiting = in.socket().request("list_threads", Map.of("chat_id", "C1"));
        in.peer().nextMessage();
        in.peer().close();
        Rtm.Closed closed = in.heard().nextClosed();
        assertTrue(closed.reconnect());
        assertNull(closed.loginFailure());
        V3Failure failed = failure(waiting);
        assertEquals(V3Failure.Kind.NETWORK, failed.kind());
        assertTrue(failed.ambiguous());
        in.socket().close(); // and once more from our side: nothing new
        assertClosedOnce(in.heard());
    }

    @Test
    void aLoggedInSocketPingsAndAnUnansweredRequestTimesOut() throws Exception {
        try (RtmClient pinging = new RtmClient(fake::uri, "org-1", "3.6", Duration.ofSeconds(2), Duration.ofMillis(100),
                scheduler)) {
            Heard heard = new Heard();
            Rtm.Socket socket = pinging.open(TOKEN, null, heard);
            FakeLiveChat.Peer peer = fake.nextPeer();
            peer.respond(peer.nextMessage(), "{}");
            assertEquals("loggedIn", heard.next());
            for (int i = 0; i < 2; i++) {
                Map<String, Object> ping = peer.nextMessage();
                assertEquals("ping", ping.get("action"));
                assertEquals(Map.of(), ping.get("payload"));
                assertInstanceOf(String.class, ping.get("request_id"));
                peer.respond(ping, "{}");
            }
            CompletableFuture<Map<String, Object>> unanswered = socket.request("get_customer", Map.of());
            V3Failure timedOut = failure(unanswered);
            assertEquals(V3Failure.Kind.TIMEOUT, timedOut.kind());
            assertTrue(timedOut.ambiguous());
            // An unanswered ping means a dead connection: the socket ends itself.
            Rtm.Closed closed = heard.nextClosed();
            assertEquals("no answer to a ping", closed.reason());
            assertTrue(closed.reconnect());
        }
    }
}
