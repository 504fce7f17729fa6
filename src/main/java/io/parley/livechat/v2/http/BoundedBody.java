package io.parley.livechat.v2.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.Response;

/**
 * Collects an answer's body up to a size, and knows whether its request ever left. An answer that goes on past it is aborted, and what
 * came before is kept: a poll's events can still be read from the beginning of an answer too
 * large to take whole.
 */
abstract class BoundedBody implements Response.Listener {

    private final int maxBytes;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private volatile boolean cut;
    private volatile boolean begun;

    BoundedBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
        if (cut) {
            return;
        }
        int room = maxBytes - bytes.size();
        int length = content.remaining();
        if (length > room) {
            cut = true;
            write(content, room);
            response.abort(new IllegalStateException("answer larger than " + maxBytes + " bytes"));
        } else {
            write(content, length);
        }
    }

    private void write(ByteBuffer content, int length) {
        if (content.hasArray()) {
            bytes.write(content.array(), content.arrayOffset() + content.position(), length);
            content.position(content.position() + length);
        } else {
            byte[] chunk = new byte[length];
            content.get(chunk);
            bytes.write(chunk, 0, length);
        }
    }

    /** The request has begun to be sent: from now on it may reach the upstream. */
    void begun() {
        begun = true;
    }

    /** Whether the request began to be sent: if not, it cannot have taken effect. */
    boolean mayHaveLeft() {
        return begun;
    }

    /** Whether the answer was larger than the limit, so that only its beginning is here. */
    boolean cut() {
        return cut;
    }

    /** The body as text, UTF-8 as the API's answers are. */
    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
