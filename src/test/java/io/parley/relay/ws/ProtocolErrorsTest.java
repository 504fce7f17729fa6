package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.RelaySettings;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Never trust the client: each bad frame gets an error with a code, and the connection stays usable. */
class ProtocolErrorsTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(RelaySettings.fast("max-message-length", "20"));

    private static void assertError(TestTab tab, String code) throws Exception {
        Map<String, Object> error = tab.next("error");
        assertEquals(code, error.get("code"), error.toString());
        assertEquals(true, error.get("message") instanceof String text && !text.isBlank());
        tab.send("type", "ping");
        tab.next("pong");
    }

    @Test
    void beforeHello() throws Exception {
        try (TestTab tab = TestTab.connect(PARLEY.server().webSocketUri())) {
            tab.send("type", "send", "id", "x", "text", "hi");
            assertError(tab, "not_ready");
            tab.send("type", "hello", "token", "<script>");
            assertError(tab, "bad_frame");
            tab.send("type", "hello", "last_seq", -1);
            assertError(tab, "bad_frame");
            tab.send("type", "hello");
            assertEquals("welcome", tab.next("welcome").get("type"));
            tab.send("type", "hello");
            assertError(tab, "not_ready");
        }
    }

    @Test
    void malformedFrames() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.sendRaw("{not json");
            assertError(tab, "bad_json");
            tab.sendRaw("[1,2]");
            assertError(tab, "bad_frame");
            tab.sendRaw("{\"type\":42}");
            assertError(tab, "bad_frame");
            tab.sendRaw("{\"text\":\"no type\"}");
            assertError(tab, "bad_frame");
            tab.send("type", "dance");
            assertError(tab, "unknown_type");
        }
    }

    @Test
    void aHugeFrameClosesTheConnectionWithMessageTooBig() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            // Over the 20 * 4 + 4096 byte limit, yet small enough to be written whole before the server reacts.
            tab.sendRaw("{\"type\":\"send\",\"id\":\"big\",\"text\":\"" + "x".repeat(6000) + "\"}");
            assertEquals(1009, tab.awaitClose());
        }
    }

    @Test
    void badFieldsOfStartAndSend() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "send", "id", "m1", "text", "no chat yet");
            assertError(tab, "no_chat");
            tab.send("type", "close");
            assertError(tab, "no_chat");
            tab.send("type", "start", "text", "no id");
            assertError(tab, "bad_frame");
            tab.send("type", "start", "id", "bad id with spaces", "text", "hi");
            assertError(tab, "bad_frame");
            tab.send("type", "start", "id", "m2", "text", "   ");
            assertError(tab, "bad_frame");
            tab.send("type", "start", "id", "m3", "text", 42);
            assertError(tab, "bad_frame");
            tab.send("type", "start", "id", "m4", "text", "x".repeat(21));
            assertError(tab, "too_long");
            tab.send("type", "start", "id", "m5", "text", "hi", "email", "not-an-address");
            Map<String, Object> badEmail = tab.next("error");
            assertEquals("bad_email", badEmail.get("code"));
            assertEquals("m5", badEmail.get("id"), "the page knows which start to give back to the visitor");
            tab.send("type", "start", "id", "m6", "text", "hi", "group", "sales");
            assertError(tab, "bad_frame");
            tab.send("type", "start", "id", "m7", "text", "hi", "name", "n".repeat(101));
            assertError(tab, "bad_frame");

            tab.send("type", "start", "id", "ok", "text", "😀".repeat(20), "name", "Emoji");
            assertEquals("ok", tab.next("ack").get("id"), "the limit counts characters, not UTF-16 units");
        }
    }

    @Test
    void badFieldsOfTypingAndSeenAndGoodOnesThatNeedNoAnswer() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "typing");
            assertError(tab, "bad_frame");
            tab.send("type", "typing", "text", 42);
            assertError(tab, "bad_frame");
            tab.send("type", "typing", "text", "x".repeat(21));
            assertError(tab, "too_long");
            tab.send("type", "seen");
            assertError(tab, "bad_frame");
            tab.send("type", "seen", "seq", -1);
            assertError(tab, "bad_frame");
            tab.send("type", "seen", "seq", 1.5);
            assertError(tab, "bad_frame");
            tab.send("type", "seen", "seq", "7");
            assertError(tab, "bad_frame");

            // Without a chat they are dropped: a tab racing with the chat's end is not at fault.
            tab.send("type", "typing", "text", "😀".repeat(20));
            tab.send("type", "typing", "text", "");
            tab.send("type", "seen", "seq", 12);
            tab.send("type", "ping");
            tab.next("pong");
            assertEquals(List.of(), tab.received().stream().filter(frame -> "error".equals(frame.get("type"))
                    && !List.of("bad_frame", "too_long").contains(frame.get("code"))).toList());
        }
    }

    @Test
    void badFieldsOfLeaveMessage() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "leave_message", "id", "o1", "text", "call me");
            Map<String, Object> noEmail = tab.next("error");
            assertEquals("bad_email", noEmail.get("code"), "an address is needed to answer");
            assertEquals("o1", noEmail.get("id"));
            tab.send("type", "leave_message", "id", "o2", "text", "call me", "email", "nowhere");
            assertEquals("bad_email", tab.next("error").get("code"));
            tab.send("type", "leave_message", "id", "o3", "text", "x".repeat(21), "email", "kim@example.com");
            assertError(tab, "too_long");
            tab.send("type", "leave_message", "id", "o4", "text", "hi", "email", "kim@example.com", "group", -1);
            assertError(tab, "bad_frame");
            tab.send("type", "leave_message", "text", "hi", "email", "kim@example.com");
            assertError(tab, "bad_frame");
        }
    }

    @Test
    void badFieldsOfRate() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "rate", "rating", "excellent");
            assertError(tab, "bad_frame");
            tab.send("type", "rate", "rating", 1);
            assertError(tab, "bad_frame");
            tab.send("type", "rate", "rating", "good", "comment", 5);
            assertError(tab, "bad_frame");
            tab.send("type", "rate", "rating", "good", "comment", "x".repeat(1001));
            assertError(tab, "too_long");
            tab.send("type", "rate", "rating", "good", "comment", "Fine");
            Map<String, Object> refused = tab.next("error");
            // well formed, but refused: no chat ended to rate, or (an upstream without ratings) none is taken
            assertEquals(true, List.of("no_chat", "unknown_type").contains(refused.get("code")), refused.toString());
        }
    }

    @Test
    void badFieldsOfGreeting() throws Exception {
        try (TestTab tab = TestTab.open(PARLEY.server().webSocketUri())) {
            tab.send("type", "greeting", "answer", "accept");
            assertError(tab, "bad_frame");
            tab.send("type", "greeting", "id", "g1", "answer", "maybe");
            assertError(tab, "bad_frame");
            tab.send("type", "greeting", "id", "<g1>", "answer", "dismiss");
            assertError(tab, "bad_frame");
            tab.send("type", "greeting", "id", "g1", "answer", "dismiss"); // no such greeting: ignored
            tab.send("type", "ping");
            tab.next("pong");
            assertEquals(List.of(), tab.received().stream().filter(frame -> "error".equals(frame.get("type"))
                    && !"bad_frame".equals(frame.get("code"))).toList());
        }
    }

    @Test
    void badFieldsOfPage() throws Exception {
        String site = PARLEY.server().uri().toString().replaceAll("/$", "");
        // the chat page on its own: the tab's site is the handshake's Origin, this server's
        try (TestTab tab = TestTab.connect(PARLEY.server().webSocketUri(), "Origin", site)) {
            tab.send("type", "hello");
            tab.next("welcome");
            tab.send("type", "page", "url", "ftp://example.com/x");
            assertError(tab, "bad_frame");
            tab.send("type", "page", "url", "https://elsewhere.example/x", "title", "Elsewhere");
            assertError(tab, "bad_frame"); // not the tab's own site
            tab.send("type", "page", "url", site + "/" + "x".repeat(2048));
            assertError(tab, "bad_frame");
            tab.send("type", "page", "url", site + "/shop", "title", "t".repeat(201));
            assertError(tab, "bad_frame");
            tab.send("type", "page", "url", site + "/shop", "title", 5);
            assertError(tab, "bad_frame");
            tab.send("type", "page", "url", "not a url at all");
            assertError(tab, "bad_frame");
            tab.send("type", "page", "url", site + "/shop#top", "title", "The <b>shop</b>\u0007");
            tab.send("type", "ping");
            tab.next("pong");
            assertEquals(List.of(), tab.received().stream().filter(frame -> "error".equals(frame.get("type"))
                    && !"bad_frame".equals(frame.get("code"))).toList(), "a good one is taken without an answer");
            assertEquals(6, tab.received().stream().filter(frame -> "error".equals(frame.get("type"))).count());
        }
    }
}
