package io.parley.relay.ws;

import java.util.ArrayDeque;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tab forwarded to the node that drives its conversation: frames go through unread both ways,
 * in order. The tab's frames wait while the connection is being made; when the other node closes
 * it (it stops, or lets the conversation go), the tab is disconnected and resumes wherever it
 * connects next. Public, as Jetty requires of a socket's listener.
 */
public final class ForwardedConnection implements Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardedConnection.class);

    /** Frames of the tab's held while connecting: a tab says hello and waits, so a few at most. */
    private static final int MAX_WAITING = 64;

    private final WebSocketTab tab;
    private final String token;
    private final java.net.URI driver;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private Session open; // guarded by this
    private boolean ended; // guarded by this

    ForwardedConnection(WebSocketTab tab, String hello, String token, java.net.URI driver) {
        this.tab = tab;
        this.token = token;
        this.driver = driver;
        waiting.add(hello);
    }

    String token() {
        return token;
    }

    java.net.URI driver() {
        return driver;
    }

    synchronized boolean ended() {
        return ended;
    }

    /** Another node drives the conversation now: the tab comes back at once, and is sent there. */
    void moved() {
        end();
        tab.closeAs(1012, "moved");
    }

    /** A frame of the tab's, for the node that drives its conversation. */
    void send(String frame) {
        boolean overflow = false;
        synchronized (this) {
            if (ended) {
                return;
            }
            if (open == null) {
                overflow = waiting.size() >= MAX_WAITING;
                if (!overflow) {
                    waiting.add(frame);
                }
            } else {
                open.sendText(frame, Callback.NOOP); // sent in the order given: this lock orders the calls
            }
        }
        if (overflow) {
            end();
        }
    }

    @Override
    public void onWebSocketOpen(Session session) {
        synchronized (this) {
            if (ended) {
                session.close(1000, "", Callback.NOOP);
                return;
            }
            open = session;
            while (!waiting.isEmpty()) {
                session.sendText(waiting.poll(), Callback.NOOP);
            }
        }
    }

    @Override
    public void onWebSocketText(String text) {
        tab.forward(text);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        synchronized (this) {
            ended = true;
            open = null;
        }
        tab.closeAs(statusCode, reason); // the same close, so the tab knows to come back or not
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        failed(cause);
    }

    /** The node could not be reached, or the connection broke: the tab comes back later, and resumes. */
    void failed(Throwable cause) {
        LOG.info("A forwarded tab's connection failed: {}", cause.toString());
        end();
        tab.closeAs(1012, "try again"); // at once: another node may drive the conversation now
    }

    /** The tab has gone: so does its connection. */
    void end() {
        Session session;
        synchronized (this) {
            ended = true;
            session = open;
            open = null;
            waiting.clear();
        }
        if (session != null) {
            session.close(1000, "", Callback.NOOP);
        }
    }
}
