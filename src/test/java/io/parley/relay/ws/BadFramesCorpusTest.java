package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.testing.RawWebSocket;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Everything a broken or hostile client can put on {@code /ws}: each bad frame gets an error
 * frame with a code (and the connection stays usable) or a proper close code; no stack trace
 * reaches the client; other tabs of the same visitor and other visitors carry on unaffected.
 */
class BadFramesCorpusTest {

    private static final int MAX_MESSAGE_LENGTH = 100;

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "emulator-demo-agent", "false", "max-message-length", String.valueOf(MAX_MESSAGE_LENGTH), "messages-per-visitor", "20/1m"));

    /** Frames sent one after another on one connection before hello, and the code each must get. */
    private static final List<List<String>> BEFORE_HELLO = List.of(
            List.of("{\"type\":\"send\",\"id\":\"a\",\"text\":\"hi\"}", "not_ready"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\"}", "not_ready"),
            List.of("{\"type\":\"close\"}", "not_ready"),
            List.of("{\"type\":\"hello\",\"last_seq\":-1}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"last_seq\":\"7\"}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"last_seq\":1.5}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"last_seq\":1e400}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"token\":{\"a\":1}}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"token\":\"../../etc/passwd\"}", "bad_frame"),
            List.of("{\"type\":\"hello\",\"origin\":42}", "bad_frame"));

    /** The same after hello, in an idle conversation. */
    private static final List<List<String>> AFTER_HELLO = List.of(
            List.of("not json", "bad_json"),
            List.of("{\"type\":\"send\"", "bad_json"),
            List.of("", "bad_json"),
            List.of("\u0000\u0001\u0002", "bad_json"),
            List.of("[1,2,3]", "bad_frame"),
            List.of("\"hello\"", "bad_frame"),
            List.of("null", "bad_frame"),
            List.of("{}", "bad_frame"),
            List.of("{\"type\":42}", "bad_frame"),
            List.of("{\"type\":null}", "bad_frame"),
            List.of("{\"type\":[\"send\"]}", "bad_frame"),
            List.of("{\"type\":\"dance\"}", "unknown_type"),
            List.of("{\"type\":\"SEND\",\"id\":\"a\",\"text\":\"hi\"}", "unknown_type"),
            List.of("{\"type\":\"hello\"}", "not_ready"),
            List.of("{\"type\":\"send\",\"id\":\"a\",\"text\":\"no chat yet\"}", "no_chat"),
            List.of("{\"type\":\"close\"}", "no_chat"),
            List.of("{\"type\":\"send\",\"text\":\"no id\"}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":5,\"text\":\"hi\"}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"with space\",\"text\":\"hi\"}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"" + "x".repeat(65) + "\",\"text\":\"hi\"}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"a\"}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"a\",\"text\":[\"hi\"]}", "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"a\",\"text\":\"   \"}", "bad_frame"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"" + "y".repeat(101) + "\"}", "too_long"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"email\":\"not an address\"}", "bad_email"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"name\":{\"first\":\"x\"}}", "bad_frame"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"name\":\"" + "n".repeat(101) + "\"}", "bad_frame"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"group\":-1}", "bad_frame"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"group\":1.5}", "bad_frame"),
            List.of("{\"type\":\"start\",\"id\":\"a\",\"text\":\"hi\",\"group\":99999999999}", "bad_frame"),
            List.of("[".repeat(4000), "bad_frame"),
            List.of("{\"type\":\"send\",\"id\":\"a\",\"text\":\"[[[[[[[[[[[[\"}", "no_chat"),
            List.of("{\"a\":".repeat(500) + "1" + "}".repeat(500), "bad_frame"));

    private static URI ws() {
        return PARLEY.server().webSocketUri();
    }

    @Test
    void eachBadFrameGetsItsErrorCodeAndTheConnectionStaysUsable() throws Exception {
        try (TestTab tab = TestTab.connect(ws())) {
            for (List<String> bad : BEFORE_HELLO) {
                tab.sendRaw(bad.get(0));
                assertError(tab.next("error"), bad);
            }
            tab.send("type", "hello");
            tab.next("welcome");
            for (List<String> bad : AFTER_HELLO) {
                tab.sendRaw(bad.get(0));
                assertError(tab.next("error"), bad);
            }
            tab.send("type", "start", "id", "ok", "text", "Still working", "name", "Corpus");
            assertEquals(List.of(), tab.received().stream().filter(f -> "error".equals(f.get("type")))
                    .filter(f -> ((String) f.get("message")).matches("(?s).*(Exception|\\bat [a-z]+\\.).*")).toList(),
                    "no error message carries a stack trace or exception");
            tab.ack("ok");
            tab.send("type", "start", "id", "again", "text", "Second start");
            assertEquals("already_started", tab.next("error").get("code"));
        }
    }

    private static void assertError(Map<String, Object> error, List<String> bad) {
        String frame = bad.get(0);
        assertEquals(bad.get(1), error.get("code"), () -> "for " + (frame.length() > 60 ? frame.substring(0, 60) + "…" : frame));
        assertFalse(((String) error.get("message")).isBlank());
    }

    @Test
    void framesBeyondTheProtocolAreClosedWithTheirCodesAndHurtNobodyElse() throws Exception {
        try (TestTab visitor = TestTab.chatting(ws(), "Bystander", "b1", "I am fine");
             TestTab other = TestTab.chatting(ws(), "Other Visitor", "o1", "Me too")) {
            try (RawWebSocket huge = RawWebSocket.connect(ws())) {
                // One byte over the limit, so the server has read every byte when it closes: a close
                // with unread input would reset the connection and could lose the close frame.
                huge.send(1, "z".repeat(RelayEndpoints.maxFrameBytes(MAX_MESSAGE_LENGTH) + 1).getBytes(StandardCharsets.UTF_8));
                assertEquals(1009, huge.awaitCloseCode(), "message too big");
            }
            try (TestTab binary = TestTab.resume(ws(), visitor.token(), visitor.lastSeq())) {
                binary.sendBinary("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
                assertEquals(1003, binary.awaitClose(), "binary frames are not accepted");
            }
            try (RawWebSocket raw = RawWebSocket.connect(ws())) {
                raw.send(1, new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'});
                assertEquals(1007, raw.awaitCloseCode(), "text that is not UTF-8");
            }
            try (TestTab flood = TestTab.resume(ws(), visitor.token(), visitor.lastSeq())) {
                for (int i = 0; i < 60; i++) {
                    flood.send("type", "send", "id", "f" + i, "text", "flood " + i);
                }
                flood.await(f -> "error".equals(f.get("type")) && "rate_limited".equals(f.get("code")));
                flood.send("type", "ping");
                flood.next("pong");
            }
            PARLEY.agent().say(PARLEY.agent().chatNumberOf("Bystander"), "Are you still there?");
            visitor.awaitText("Are you still there?");
            other.send("type", "send", "id", "o2", "text", "Unaffected");
            other.ack("o2");
            int otherChat = PARLEY.agent().chatNumberOf("Other Visitor");
            PARLEY.agent().awaitChat(otherChat, Eventually.DEADLINE, c -> c.toString().contains("Unaffected"));
            assertTrue(visitor.received().stream().noneMatch(f -> "error".equals(f.get("type"))),
                    "the visitor's own tab saw no error from its other tabs' frames");
        }
    }
}
