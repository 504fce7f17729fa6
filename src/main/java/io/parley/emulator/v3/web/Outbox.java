package io.parley.emulator.v3.web;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames of one socket, sent one at a time and in order without blocking whoever queues them
 * (pushes are queued under a chat's lock). A client that lets too many pile up is dropped.
 */
final class Outbox {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final int MAX_QUEUED = 1000;

    private final Session session;
    private final Deque<String> queue = new ArrayDeque<>();
    private boolean sending;
    private CloseReason closeWhenSent;
    private boolean closed;

    Outbox(Session session) {
        this.session = session;
    }

    synchronized void send(String frame) {
        if (closed || closeWhenSent != null) {
            return;
        }
        if (queue.size() >= MAX_QUEUED) {
            closeNow(new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too many frames queued"));
            return;
        }
        queue.add(frame);
        if (!sending) {
            next();
        }
    }

    /** Closes once every frame queued so far is sent. */
    synchronized void closeAfterSent(CloseReason reason) {
        if (closed || closeWhenSent != null) {
            return;
        }
        closeWhenSent = reason;
        if (!sending) {
            next();
        }
    }

    /** Closes at once; what is queued is never sent. */
    synchronized void closeNow(CloseReason reason) {
        if (closed) {
            return;
        }
        closed = true;
        queue.clear();
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing an RTM socket failed: {}", e.toString());
        }
    }

    private void next() {
        String frame = queue.poll();
        if (frame == null) {
            sending = false;
            if (closeWhenSent != null) {
                closeNow(closeWhenSent);
            }
            return;
        }
        sending = true;
        try {
            session.getAsyncRemote().sendText(frame, result -> {
                synchronized (Outbox.this) {
                    if (!result.isOK()) {
                        closed = true;
                        queue.clear();
                        sending = false;
                        return;
                    }
                    next();
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("An RTM frame was not sent: {}", e.toString());
            closed = true;
            queue.clear();
            sending = false;
        }
    }
}
