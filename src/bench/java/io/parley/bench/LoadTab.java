package io.parley.bench;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One simulated browser tab: a WebSocket to {@code /ws} that says hello (resuming with the last
 * sequence it saw after a drop), and checks every event it gets: numbered without gaps or
 * repeats, the benchmark's agent messages in order, each with its latency recorded.
 */
public final class LoadTab implements Session.Listener.AutoDemanding {

    private static final Jsonb JSONB = JsonbBuilder.create();
    /** The first few faults found are described, so that a run says what went wrong, not only how often. */
    private static final java.util.concurrent.atomic.AtomicInteger DESCRIBED = new java.util.concurrent.atomic.AtomicInteger();

    final int visitor;
    final Tally tally;
    volatile String token;
    final CompletableFuture<LoadTab> welcomed = new CompletableFuture<>();
    private volatile Session session;
    private long lastSeq;
    private long lastAgentMessage;
    private long lastVisitorEcho;
    /**
     * The agent messages ever delivered here, so that a snapshot's copies are not counted twice,
     * and a message that comes late (after a newer one: counted as reordered) still counts as
     * delivered, not lost.
     */
    private java.util.BitSet agentDelivered = new java.util.BitSet();
    /** A snapshot replaced the transcript: the next messages of each side are checked from where it begins. */
    private boolean rebaseAgent;
    private boolean rebaseVisitor;
    private volatile String lastFrames = "";
    /** Whether this connection's hello was answered: as on the chat page, messages go only then. */
    private boolean welcomedHere;
    /** Messages sent but not yet acknowledged, by client id: sent again after a resume, as the chat page does. */
    private final LinkedHashMap<String, String> unacknowledged = new LinkedHashMap<>();

    LoadTab(int visitor, String token, Tally tally) {
        this.visitor = visitor;
        this.token = token;
        this.tally = tally;
    }

    /** A tab of the same visitor, resuming where this one is. */
    synchronized LoadTab resumed() {
        LoadTab next = new LoadTab(visitor, token, tally);
        next.lastSeq = lastSeq;
        next.lastAgentMessage = lastAgentMessage;
        next.lastVisitorEcho = lastVisitorEcho;
        next.agentDelivered = (java.util.BitSet) agentDelivered.clone();
        next.unacknowledged.putAll(unacknowledged);
        return next;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        String hello = token == null ? "{\"type\":\"hello\"}"
                : "{\"type\":\"hello\",\"token\":\"" + token + "\",\"last_seq\":" + lastSeqNow() + "}";
        send(hello);
    }

    synchronized long agentMessagesSeen() {
        return agentDelivered.cardinality();
    }

    String lastFrames() {
        return lastFrames + (isOpen() ? " (open)" : " (closed)");
    }

    synchronized long lastSeqSeen() {
        return lastSeq;
    }

    private synchronized long lastSeqNow() {
        return lastSeq;
    }

    void send(String frame) {
        Session open = session;
        if (open != null && open.isOpen()) {
            open.sendText(frame, Callback.NOOP);
        }
    }

    /** The visitor's draft, as the chat page sends it while they type: only on a welcomed connection. */
    synchronized void typing(String draft) {
        if (welcomedHere) {
            send("{\"type\":\"typing\",\"text\":\"" + draft + "\"}");
        }
    }

    /**
     * Sends a visitor's message, and again after every resume until it is acknowledged. Before
     * the welcome it waits, as on the chat page: sent then, it would go before the older ones the
     * welcome sends again, out of order.
     */
    synchronized void sendMessage(String clientId, String frame) {
        unacknowledged.put(clientId, frame);
        if (welcomedHere) {
            send(frame);
        }
    }

    /** Drops the connection without a close handshake, as a sleeping phone would. */
    void drop() {
        Session open = session;
        if (open != null) {
            open.disconnect();
        }
    }

    void close() {
        Session open = session;
        if (open != null && open.isOpen()) {
            open.close();
        }
    }

    boolean isOpen() {
        Session open = session;
        return open != null && open.isOpen();
    }

    @Override
    @SuppressWarnings("unchecked")
    public void onWebSocketText(String text) {
        long now = System.currentTimeMillis();
        Map<String, Object> frame = (Map<String, Object>) JSONB.fromJson(text, Object.class);
        String kept = lastFrames + " | " + (text.length() > 120 ? text.substring(0, 120) : text);
        lastFrames = kept.length() > 800 ? kept.substring(kept.length() - 800) : kept;
        switch (String.valueOf(frame.get("type"))) {
            case "welcome":
                synchronized (this) {
                    token = (String) frame.get("token");
                    if (Boolean.TRUE.equals(frame.get("snapshot")) && lastSeq > 0) {
                        // As the chat page does: the snapshot replaces the transcript and its numbering.
                        tally.snapshots.increment();
                        lastSeq = 0;
                        rebaseAgent = true;
                        rebaseVisitor = true;
                    }
                    for (Map<String, Object> event : (List<Map<String, Object>>) frame.get("events")) {
                        event(event, now, false);
                    }
                    unacknowledged.values().forEach(this::send);
                    welcomedHere = true;
                }
                welcomed.complete(this);
                break;
            case "event":
                synchronized (this) {
                    event(frame, now, true);
                }
                break;
            case "ack":
                synchronized (this) {
                    unacknowledged.remove(String.valueOf(frame.get("id")));
                }
                break;
            case "error":
                tally.errors.increment();
                break;
            default:
                break;
        }
    }

    private void event(Map<String, Object> event, long now, boolean live) {
        long seq = ((BigDecimal) event.get("seq")).longValue();
        if (seq <= lastSeq) {
            tally.found(tally.duplicated, 1, "duplicated: tab seq");
            return;
        }
        if (seq != lastSeq + 1) {
            tally.found(tally.lost, seq - lastSeq - 1, "lost: tab seq gap");
        }
        lastSeq = seq;
        if (!"message".equals(event.get("kind"))) {
            return;
        }
        String[] parts = String.valueOf(event.get("text")).split(" ");
        if (parts.length != 4) {
            return;
        }
        long n = Long.parseLong(parts[2]);
        // A snapshot holds the newest events only: its first message of each side sets where checking resumes.
        if (rebaseAgent && parts[0].equals("agent")) {
            lastAgentMessage = n - 1;
            rebaseAgent = false;
        }
        if (rebaseVisitor && parts[0].equals("visitor")) {
            lastVisitorEcho = n - 1;
            rebaseVisitor = false;
        }
        if (parts[0].equals("agent")) {
            if (n != lastAgentMessage + 1 && DESCRIBED.incrementAndGet() <= 5) {
                System.out.println("Out of order: visitor " + visitor + " agent message " + n + " after " + lastAgentMessage
                        + (live ? " (live)" : " (in a welcome)") + "; last frames " + lastFrames);
            }
            if (n != lastAgentMessage + 1) {
                if (agentDelivered.get((int) n)) {
                    tally.found(tally.duplicated, 1, "duplicated: tab agent message");
                } else {
                    tally.found(tally.reordered, 1, n < lastAgentMessage ? "reordered: tab agent message came late"
                            : "reordered: tab agent message skipped ahead");
                }
            }
            lastAgentMessage = n;
            if (!agentDelivered.get((int) n)) {
                if (live) {
                    tally.agentLatency(Long.parseLong(parts[3]), now, parts[1].equals("fast"));
                    // As an open chat page does: what the visitor has seen, for the agent's "Seen".
                    if (tally.signals) {
                        send("{\"type\":\"seen\",\"seq\":" + seq + "}");
                    }
                }
                tally.agentDelivered.increment();
                agentDelivered.set((int) n);
            }
        } else if (parts[0].equals("visitor")) {
            if (n <= lastVisitorEcho) {
                tally.found(tally.duplicated, 1, "duplicated: tab visitor echo");
            }
            lastVisitorEcho = Math.max(lastVisitorEcho, n);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        welcomed.completeExceptionally(cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        welcomed.completeExceptionally(new IllegalStateException("closed " + statusCode));
    }
}
