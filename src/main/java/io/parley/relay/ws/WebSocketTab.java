package io.parley.relay.ws;

import io.parley.limits.Refusals;
import io.parley.relay.ErrorCode;
import io.parley.relay.Tab;
import io.parley.relay.TabMessage;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tab behind a WebSocket. Frames are queued and written one at a time with the asynchronous
 * API, so the relay never waits on a socket and every tab gets its frames in order. A tab that
 * falls too far behind is disconnected; it resumes from the last sequence it saw.
 */
final class WebSocketTab implements Tab {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketTab.class);

    /** Frames a tab may have waiting before it counts as too slow. */
    static final int MAX_QUEUED = 256;

    private final Session session;
    private final Refusals refusals;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean slow;
    private CloseReason closeAfterQueue;

    WebSocketTab(Session session, Refusals refusals) {
        this.session = session;
        this.refusals = refusals;
    }

    @Override
    public void deliver(TabMessage message) {
        enqueue(FrameWriter.write(message));
    }

    @Override
    public void end(TabMessage.Error reason) {
        CloseReason.CloseCode code = reason.code() == ErrorCode.BUSY || reason.code() == ErrorCode.RATE_LIMITED
                || reason.code() == ErrorCode.TOO_MANY_CONNECTIONS
                ? CloseReason.CloseCodes.TRY_AGAIN_LATER : CloseReason.CloseCodes.VIOLATED_POLICY;
        synchronized (this) {
            closeAfterQueue = new CloseReason(code, reason.code().code());
        }
        enqueue(FrameWriter.write(reason));
    }

    @Override
    public void disconnect() {
        synchronized (this) {
            closeAfterQueue = new CloseReason(CloseReason.CloseCodes.SERVICE_RESTART, "restarting");
        }
        close(); // now, without waiting for the queue: the tab resumes from its last sequence
    }

    /** A frame from the node this tab is forwarded to, passed on as it came. */
    void forward(String frame) {
        enqueue(frame);
    }

    /** Closes with the code and reason the node this tab is forwarded to closed with, once what came before is sent. */
    void closeAs(int code, String reason) {
        boolean closeNow;
        synchronized (this) {
            if (closeAfterQueue == null) {
                closeAfterQueue = new CloseReason(CloseReason.CloseCodes.getCloseCode(code == 1006 || code == 1005
                        ? CloseReason.CloseCodes.SERVICE_RESTART.getCode() : code), reason == null ? "" : reason);
            }
            closeNow = !writing;
        }
        if (closeNow) {
            close();
        }
    }

    private void enqueue(String frame) {
        boolean startWriting = false;
        boolean tooSlow = false;
        synchronized (this) {
            if (slow) {
                return;
            }
            if (queue.size() >= MAX_QUEUED) {
                slow = tooSlow = true;
                queue.clear();
                closeAfterQueue = new CloseReason(CloseReason.CloseCodes.TRY_AGAIN_LATER, "too slow");
            } else {
                queue.addLast(frame);
                startWriting = !writing;
                writing = true;
            }
        }
        if (tooSlow) {
            refusals.refused(Refusals.Reason.TOO_SLOW);
            close(); // outside the lock: closing may call back into the relay
        } else if (startWriting) {
            writeNext();
        }
    }

    private void writeNext() {
        String next;
        boolean closeNow;
        synchronized (this) {
            next = queue.pollFirst();
            if (next == null) {
                writing = false;
            }
            closeNow = next == null && closeAfterQueue != null;
        }
        if (next == null) {
            if (closeNow) {
                close();
            }
            return;
        }
        try {
            session.getAsyncRemote().sendText(next, result -> {
                if (result.isOK()) {
                    writeNext();
                } else {
                    synchronized (this) {
                        queue.clear();
                        writing = false;
                    }
                }
            });
        } catch (RuntimeException e) {
            // The socket closed under us; the relay detaches the tab when the close arrives.
            synchronized (this) {
                queue.clear();
                writing = false;
            }
        }
    }

    private void close() {
        try {
            session.close(closeAfterQueue);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Closing a tab failed: {}", e.toString());
        }
    }
}
