package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.RunningParley;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every HTTP endpoint, given bad parameters, methods, paths or bodies, answers with a short
 * message: 4xx where the request cannot be served, the page where a cosmetic parameter is
 * simply ignored, and never a 500 or a stack trace. Requests go over a plain socket so that
 * even what no HTTP client would send reaches the server.
 */
class BadRequestsCorpusTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private static final String VISITOR = "/emulator/visitors/";

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        // The chat page ignores cosmetic parameters it cannot use and renders anyway.
        "GET | /chat?lang=%ZZ | 400",
        "GET | /chat?lang=%C3%28 | 400",
        "GET | /chat?lang=../../WEB-INF/web | 200",
        "GET | /chat?color=%3Cscript%3E | 200",
        "GET | /chat?origin=javascript:alert(1) | 200",
        "GET | /chat?group=-1&group=99999999999999 | 200",
        "GET | /chat?title=%00%01%02 | 200",
        "PUT | /chat | 405",
        "DELETE | / | 405",
        "GET | /assets/../WEB-INF/web.xml | 404",
        "GET | /WEB-INF/web.xml | 404",
        "GET | /assets/%2e%2e/WEB-INF/web.xml | 400",
        "GET | /no/such/page | 404",
        "GET | /ws | 404",
        // The emulated upstream, as strict as the real one.
        "GET | " + VISITOR + "v1/chat/start | 405",
        "POST | " + VISITOR + "v1/chat/start | 400",
        "POST | " + VISITOR + "v1/chat/start?licence_id=abc | 400",
        "POST | " + VISITOR + "v1/chat/send_message?licence_id=1 | 400",
        "GET | " + VISITOR + "v1/chat/get_pending_messages?licence_id=1&secured_session_id=x&last_message_id=-5 | 400",
        "GET | " + VISITOR + "v1/chat/get_pending_messages?licence_id=1&secured_session_id=x&last_message_id=1e99 | 400",
        "POST | " + VISITOR + "v1/chat/dance?licence_id=1 | 404",
        "POST | /emulator/agent/api/chats/abc/messages | 400",
        "POST | /emulator/agent/api/chats/99999999999999999999/messages | 400",
        "POST | /emulator/agent/api/chats/424242/messages?text=hi | 404",
        "POST | /emulator/agent/api/faults?error_rate=abc | 400",
        "POST | /emulator/agent/api/faults?error_rate=2 | 400",
        "POST | /emulator/agent/api/faults?latency_ms=-5 | 400",
        "POST | /emulator/agent/api/faults?calls=format_disk | 400",
        "PATCH | /emulator/agent/api/chats | 404",
        "GET | /emulator/agent/chats/abc | 404",
    })
    void aBadRequestGetsAShortAnswerAndNeverAServerError(String method, String target, int expected) throws Exception {
        String answer = raw(method, target);
        String statusLine = answer.lines().findFirst().orElse("");
        assertTrue(statusLine.startsWith("HTTP/1.1 " + expected), () -> method + " " + target + " answered " + statusLine);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertFalse(body.matches("(?s).*(Exception|\\bat (io|org|java|jakarta)\\.).*"), "no stack trace: " + body);
    }

    private static String raw(String method, String target) throws Exception {
        URI base = PARLEY.server().uri();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            out.write((method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nX-API-Version: 2\r\nConnection: close\r\n"
                    + (body ? "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 0\r\n" : "")
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
