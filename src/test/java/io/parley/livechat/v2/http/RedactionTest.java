package io.parley.livechat.v2.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.parley.livechat.v2.UpstreamFailure;
import io.parley.livechat.v2.UpstreamSession;
import io.parley.upstream.ChatStart;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.LifeCycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An upstream that quotes the ids back in its errors: they must not reach a failure's text. */
class RedactionTest {

    private static final String VISITOR_ID = "visitor-5863759023";
    private static final String SESSION_ID = "CS1432649054.444adb0d90";

    private Server upstream;
    private HttpUpstreamClient client;
    private volatile int status;

    @BeforeEach
    void start() throws Exception {
        upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        upstream.addConnector(connector);
        upstream.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String body = "{\"error\":\"No session " + SESSION_ID + " for visitor " + VISITOR_ID
                        + " at " + request.getHttpURI() + "\"}";
                response.setStatus(status);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        upstream.start();
        client = new HttpUpstreamClient(() -> URI.create("http://127.0.0.1:" + connector.getLocalPort()), "123",
                Duration.ofSeconds(2), 2, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        client.close();
        LifeCycle.stop(upstream);
    }

    private static String describe(Object result) {
        UpstreamFailure failure = assertInstanceOf(UpstreamFailure.class, result);
        return failure.describe() + " " + failure;
    }

    @Test
    void idsQuotedByTheUpstreamAreRedacted() throws Exception {
        UpstreamSession session = new UpstreamSession(VISITOR_ID, SESSION_ID);
        for (int answer : List.of(400, 404, 500, 200)) {
            status = answer;
            for (Object result : List.of(
                    client.poll(session, 3).get(30, TimeUnit.SECONDS),
                    client.send(session, "hi").get(30, TimeUnit.SECONDS),
                    client.close(session).get(30, TimeUnit.SECONDS))) {
                String text = describe(result);
                assertFalse(text.contains(SESSION_ID), text);
                assertFalse(text.contains(VISITOR_ID), text);
            }
            // A start knows no session yet: only the visitor id it chose is a secret then.
            String text = describe(client.start(VISITOR_ID, ChatStart.withWelcome("Hi")).get(30, TimeUnit.SECONDS));
            assertFalse(text.contains(VISITOR_ID), text);
        }
        status = 400;
        UpstreamFailure.Rejected rejected = (UpstreamFailure.Rejected) client.send(session, "hi").get(30, TimeUnit.SECONDS);
        assertEquals("No session [redacted] for visitor [redacted] at http://127.0.0.1:"
                + upstream.getURI().getPort() + "/visitors/[redacted]/chat/send_message", rejected.message());
    }
}
