package io.parley.testing;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * A stand-in for the Visitors Chat API that answers exactly what a test tells it to, however
 * hostile: starts always succeed, each poll is answered by {@link #answerPolls} given the
 * {@code last_message_id} asked for, and sends and closes say success. It keeps the messages the
 * visitor sent.
 */
public final class HostileUpstream implements AutoCloseable {

    private final Loopback loopback = new Loopback();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong starts = new AtomicLong();
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private volatile LongFunction<String> pollAnswers = after -> "{\"events\":[]}";

    public HostileUpstream() throws Exception {
        loopback.server().setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = Request.getPathInContext(request);
                String body;
                if (path.endsWith("/chat/start")) {
                    starts.incrementAndGet();
                    body = "{\"secured_session_id\":\"CS1.hostile" + starts.get() + "\",\"banned\":false}";
                } else if (path.endsWith("/chat/get_pending_messages")) {
                    polls.incrementAndGet();
                    String after = Request.extractQueryParameters(request).getValue("last_message_id");
                    body = pollAnswers.apply(after == null ? 0 : Long.parseLong(after));
                } else if (path.endsWith("/chat/send_message")) {
                    Fields form = Request.getParameters(request);
                    sent.add(form.getValue("message"));
                    body = "{\"success\":true}";
                } else {
                    body = "{\"success\":true}";
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        loopback.server().start();
    }

    /** Answers each poll with what the function makes of the {@code last_message_id} it asked for. */
    public void answerPolls(LongFunction<String> answers) {
        pollAnswers = answers;
    }

    /** The API's base URL, for Parley's {@code api-url}. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + loopback.port());
    }

    public long polls() {
        return polls.get();
    }

    public long starts() {
        return starts.get();
    }

    /** The visitor's messages, in the order they were sent. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    /** An agent message event as the API lists it. */
    public static String agentMessage(long id, String text) {
        return "{\"message_id\":" + id + ",\"timestamp\":1764081000,\"type\":\"message\",\"user_type\":\"agent\",\"text\":\""
                + text + "\"}";
    }

    @Override
    public void close() throws Exception {
        loopback.server().stop();
    }
}
