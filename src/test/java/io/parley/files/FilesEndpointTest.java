package io.parley.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.emulator.SampleFiles;
import io.parley.testing.AgentApi;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files through a whole Parley and its emulator (v3): a visitor's upload checked and relayed
 * once, hostile uploads refused with a clear code, every file served from Parley's origin with
 * headers that keep it from running there, agents' files proxied, and a rich message's choice
 * reaching the agent as a postback.
 */
class FilesEndpointTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private static TestServer server;
    private static AgentApi agent;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("demo-upstream", "v3", "emulator-demo-agent", "false"));
        agent = new AgentApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void anImageIsTakenShownAsParleysOwnUrlSharedUpstreamOnceAndServedAsAnImage() throws Exception {
        try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Uma", "m1", "Here is a photo")) {
            byte[] png = SampleFiles.image();
            HttpResponse<String> upload = upload(tab.token(), "f1", "photo.png", png);
            assertEquals(200, upload.statusCode(), upload.body());
            Map<String, Object> event = tab.await(frame -> "file".equals(frame.get("kind")));
            assertEquals("f1", event.get("id"));
            assertEquals("image/png", event.get("content_type"));
            assertEquals("photo.png", event.get("name"));
            String url = (String) event.get("url");
            assertTrue(url.matches("files/[A-Za-z0-9_-]{22}"), url);

            int number = agent.awaitChatNumberOf("Uma");
            Map<String, Object> chat = agent.awaitChat(number, Duration.ofSeconds(30), c -> files(c).size() == 1);
            assertEquals("f1", files(chat).get(0).get("custom_id"));

            HttpResponse<byte[]> served = get(url);
            assertEquals(200, served.statusCode());
            assertArrayEquals(png, served.body());
            assertEquals("image/png", served.headers().firstValue("Content-Type").orElse(""));
            assertEquals("inline", served.headers().firstValue("Content-Disposition").orElse(""));
            assertEquals("nosniff", served.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertTrue(served.headers().firstValue("Content-Security-Policy").orElse("").contains("sandbox"));

            // the same id again is acknowledged as the same event: taken once, shared once
            HttpResponse<String> again = upload(tab.token(), "f1", "photo.png", png);
            assertEquals(upload.body(), again.body());
        }
    }

    @Test
    void aDocumentIsServedAsAnAttachment() throws Exception {
        try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Dora", "m1", "A document")) {
            byte[] pdf = "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
            assertEquals(200, upload(tab.token(), "d1", "invoice \"march\".pdf", pdf).statusCode());
            Map<String, Object> event = tab.await(frame -> "file".equals(frame.get("kind")));
            HttpResponse<byte[]> served = get((String) event.get("url"));
            assertEquals("application/pdf", served.headers().firstValue("Content-Type").orElse(""));
            String disposition = served.headers().firstValue("Content-Disposition").orElse("");
            assertTrue(disposition.startsWith("attachment; filename=\"invoice _march_.pdf\""), disposition);
        }
    }

    @Test
    void hostileUploadsAreRefusedWithAClearCodeAndNothingReachesTheChat() throws Exception {
        try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Hal", "m1", "Trying things")) {
            String token = tab.token();
            assertRefused(send(token, "h1", "cat.png", "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8)),
                    415, "file_type_refused");
            assertRefused(send(token, "h2", "setup.exe", new byte[] {'M', 'Z', 0, 0, 1, 2, 3}), 415, "file_type_refused");
            assertRefused(send(token, "h3", "note.txt", new byte[0]), 415, "file_type_refused");
            assertRefused(declaringTooMuch(token), 413, "file_too_large");
            byte[] tooBig = new byte[(int) UploadServlet.MAX_BYTES + 1];
            tooBig[0] = (byte) 0x89;
            assertRefused(sendChunked(token, "h4", "big.png", tooBig), 413, "file_too_large");
            assertRefused(send(null, "h5", "photo.png", SampleFiles.image()), 400, "bad_frame");
            assertRefused(send("AAAAAAAAAAAAAAAAAAAAAA", "h6", "photo.png", SampleFiles.image()), 403, "upload_refused");
            assertRefused(send(token, "h7", "photo.png", SampleFiles.image(), "Origin", "https://evil.example"), 403,
                    "origin_refused");
            // the token was issued through a handshake without an Origin: a page of this server's own is another
            assertRefused(send(token, "h8", "photo.png", SampleFiles.image(), "Origin", server.uri().toString()
                    .replaceAll("/$", "")), 403, "upload_refused");

            tab.send("type", "send", "id", "m2", "text", "still here");
            tab.ack("m2");
            assertFalse(tab.events().stream().anyMatch(frame -> "file".equals(frame.get("kind"))), tab.events().toString());
        }
    }

    @Test
    void aVisitorWithoutAnOpenChatCannotSendAFile() throws Exception {
        try (TestTab tab = TestTab.open(server.webSocketUri())) {
            assertRefused(send(tab.token(), "n1", "photo.png", SampleFiles.image()), 409, "no_chat");
        }
    }

    @Test
    void anAgentsFileIsServedThroughParleyAndARichMessagesChoiceReachesTheAgentAsAPostback() throws Exception {
        try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Rosa", "m1", "Show me")) {
            int number = agent.awaitChatNumberOf("Rosa");
            assertEquals(200, agent.shareImage(number).status());
            Map<String, Object> file = tab.await(frame -> "file".equals(frame.get("kind")));
            assertEquals("agent", file.get("from"));
            String url = (String) file.get("url");
            assertTrue(url.startsWith("files/") && !url.contains("emulator"), url);
            HttpResponse<byte[]> served = get(url);
            assertEquals(200, served.statusCode());
            assertArrayEquals(SampleFiles.image(), served.body());

            assertEquals(200, agent.rich(number, "title", "Pick one", "buttons", "Yes,No",
                    "url", "javascript:alert(1)").status());
            Map<String, Object> rich = tab.await(frame -> "rich".equals(frame.get("kind")));
            assertEquals("cards", rich.get("template"));
            String shown = rich.toString();
            assertFalse(shown.contains("button_") || shown.contains("javascript"), shown);
            tab.send("type", "postback", "seq", TestTab.number(rich.get("seq")), "element", 0, "button", 1);

            Map<String, Object> chat = agent.awaitChat(number, Duration.ofSeconds(30),
                    c -> !((List<?>) c.get("postbacks")).isEmpty());
            assertEquals("button_2", ((Map<?, ?>) ((List<?>) chat.get("postbacks")).get(0)).get("postback_id"));

            tab.send("type", "postback", "seq", TestTab.number(rich.get("seq")), "element", 0, "button", 7);
            assertEquals("bad_frame", tab.next("error").get("code"));
        }
    }

    // --- helpers ---

    private static List<Map<String, Object>> files(Map<String, Object> chat) {
        List<Map<String, Object>> files = new ArrayList<>();
        for (Object event : (List<?>) chat.get("events")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> shown = (Map<String, Object>) event;
            if ("file".equals(shown.get("type"))) {
                files.add(shown);
            }
        }
        return files;
    }

    private static HttpResponse<String> upload(String token, String id, String name, byte[] bytes) throws Exception {
        return send(token, id, name, bytes);
    }

    private static HttpResponse<String> send(String token, String id, String name, byte[] bytes, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri("/upload")).timeout(Duration.ofSeconds(60))
                .header("X-Parley-Id", id).header("X-Parley-Name", java.net.URLEncoder.encode(name, StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (token != null) {
            request.header("X-Parley-Token", token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A body without Content-Length, so that only counting the bytes as they come can refuse it. */
    private static HttpResponse<String> sendChunked(String token, String id, String name, byte[] bytes) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/upload")).timeout(Duration.ofSeconds(60))
                .header("X-Parley-Id", id).header("X-Parley-Name", name).header("X-Parley-Token", token)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Only the head of a request whose Content-Length is over the limit: the server refuses it
     * unread. Sent by hand, because a client still sending the body could see the connection
     * closed before the answer, and the JDK's client never gives up waiting for 100-continue.
     */
    private static Answer declaringTooMuch(String token) throws Exception {
        URI uri = server.uri("/upload");
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            String head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nConnection: close\r\nX-Parley-Id: h9\r\nX-Parley-Name: big.png\r\nX-Parley-Token: " + token
                    + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + (UploadServlet.MAX_BYTES + 1)
                    + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(answer.split(" ", 3)[1]);
            // the body is one JSON object, whether sent with a length or in chunks
            String body = answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
            return new Answer(status, body);
        }
    }

    private static HttpResponse<byte[]> get(String relative) throws Exception {
        URI uri = server.uri("/" + relative);
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private record Answer(int statusCode, String body) {
    }

    private static void assertRefused(HttpResponse<String> answer, int status, String code) {
        assertRefused(new Answer(answer.statusCode(), answer.body()), status, code);
    }

    private static void assertRefused(Answer answer, int status, String code) {
        assertEquals(status, answer.statusCode(), answer.body());
        Map<?, ?> json = JsonbBuilder.create().fromJson(answer.body(), Map.class);
        assertEquals(code, json.get("code"), answer.body());
    }
}
