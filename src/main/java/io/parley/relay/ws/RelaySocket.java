package io.parley.relay.ws;

import io.parley.limits.AbuseLimits;
import io.parley.limits.Refusals;
import io.parley.logs.ConversationLog;
import io.parley.origins.AllowedOrigins;
import io.parley.relay.ErrorCode;
import io.parley.relay.Relay;
import io.parley.relay.TabHandle;
import io.parley.relay.TabMessage;
import io.parley.upstream.OfflineMessage;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tab's WebSocket at {@code /ws}. The first frame must be {@code hello}; then {@code start},
 * {@code send}, {@code typing}, {@code seen}, {@code rate}, {@code close} and {@code ping}. Every frame is validated; a bad one is answered
 * with an error frame and the connection stays usable.
 *
 * <pre>
 * → {"type":"hello"}
 * ← {"type":"welcome","token":"Zk3…","state":"idle","reachable":true,"last_seq":0,"snapshot":false,"events":[],"capabilities":["files"]}
 * → {"type":"start","id":"m1","text":"Hi, I need help","name":"Maria"}
 * ← {"type":"state","state":"starting","reachable":true}
 * ← {"type":"event","seq":1,"time":1764081000000,"kind":"message","from":"visitor","text":"Hi, I need help","id":"m1"}
 * ← {"type":"ack","id":"m1","seq":1}
 * </pre>
 */
public final class RelaySocket extends Endpoint implements ConnectionDeadlines.Watched {

    private static final Logger LOG = LoggerFactory.getLogger(RelaySocket.class);

    /** When a client crowded out by {@code tabs-per-ip} may try again. */
    private static final Duration RETRY_WHEN_CROWDED = Duration.ofSeconds(30);

    private final Relay relay;
    private final AbuseLimits limits;
    private final int maxMessageLength;
    private final AllowedOrigins origins;
    private final ConnectionDeadlines deadlines;
    private final LongSupplier clock;
    /** Null for a node alone. */
    private final Forwarder forwarder;
    private volatile Session session;
    private volatile String clientAddress;
    private volatile String socketOrigin;
    /** The origin of the site the tab is on: the hello's, or for the chat page on its own the handshake's. */
    private volatile String siteOrigin;
    /** Whether this connection counts against {@code tabs-per-ip}, to be given back on close. */
    private volatile boolean counted;
    private volatile WebSocketTab tab;
    private volatile long openedAt;
    private volatile long lastFrameAt;
    private volatile boolean helloSaid;
    /** Set by hello. Frames of one session arrive one at a time, so only onClose races with it. */
    private volatile TabHandle conversation;
    /** Whether this connection is a tab another node forwarded here. */
    private volatile boolean forwardedHere;
    /** Set by hello when another node drives the tab's conversation: every frame goes there. */
    private volatile ForwardedConnection forwarded;

    RelaySocket(Relay relay, AbuseLimits limits, int maxMessageLength, AllowedOrigins origins,
            ConnectionDeadlines deadlines, LongSupplier clock, Forwarder forwarder) {
        this.forwarder = forwarder;
        this.relay = relay;
        this.limits = limits;
        this.maxMessageLength = maxMessageLength;
        this.origins = origins;
        this.deadlines = deadlines;
        this.clock = clock;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        this.session = session;
        openedAt = lastFrameAt = clock.getAsLong();
        tab = new WebSocketTab(session, limits.refusals());
        Object address = config.getUserProperties().get(RelayEndpoints.CLIENT_ADDRESS);
        clientAddress = address instanceof String text ? text : "unknown";
        Object origin = config.getUserProperties().get(RelayEndpoints.SOCKET_ORIGIN);
        socketOrigin = origin instanceof String text ? text : "";
        if (Boolean.TRUE.equals(config.getUserProperties().get(RelayEndpoints.FORWARDED))) {
            // A tab forwarded by another node, which counted its connection against its address.
            forwardedHere = true;
            deadlines.opened(this);
            session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onFrame);
            session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onBinary);
            return;
        }
        Optional<Duration> wait = limits.connection(clientAddress);
        if (wait.isPresent()) {
            tab.end(new TabMessage.Error(ErrorCode.RATE_LIMITED, "Too many connections. Please try again later.",
                    null, wait.get()));
            return;
        }
        if (!limits.openConnection(clientAddress)) {
            tab.end(new TabMessage.Error(ErrorCode.TOO_MANY_CONNECTIONS,
                    "Too many chat windows are open from your network. Please close one and try again.", null,
                    RETRY_WHEN_CROWDED));
            return;
        }
        counted = true;
        deadlines.opened(this);
        session.addMessageHandler(String.class, (MessageHandler.Whole<String>) this::onFrame);
        session.addMessageHandler(ByteBuffer.class, (MessageHandler.Whole<ByteBuffer>) this::onBinary);
    }

    @Override
    public long openedAt() {
        return openedAt;
    }

    @Override
    public long lastFrameAt() {
        return lastFrameAt;
    }

    @Override
    public boolean helloSaid() {
        return helloSaid;
    }

    @Override
    public void cut(Refusals.Reason why) {
        limits.refusals().refused(why);
        CloseReason reason = why == Refusals.Reason.HELLO_TIMEOUT
                ? new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "no hello")
                : new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "idle");
        try {
            session.close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cutting a connection failed: {}", e.toString());
        }
    }

    /** The protocol is JSON text; a binary frame is a client that speaks something else. */
    private void onBinary(ByteBuffer ignored) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT, "text frames only"));
        } catch (IOException e) {
            LOG.debug("Closing after a binary frame failed: {}", e.toString());
        }
    }

    @Override
    public void onClose(Session closed, CloseReason reason) {
        deadlines.closed(this);
        if (counted) {
            counted = false;
            limits.connectionClosed(clientAddress);
        }
        ForwardedConnection through = forwarded;
        if (through != null) {
            through.end();
        }
        // No lock here: a tab may be closed while the relay holds a conversation's lock.
        TabHandle attached = conversation;
        conversation = null;
        if (attached != null) {
            attached.leave();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        LOG.debug("WebSocket error: {}", failure.toString());
    }

    @SuppressWarnings("try") // the conversation named in the log lines is the point: nothing reads it
    private void onFrame(String text) {
        lastFrameAt = clock.getAsLong();
        ForwardedConnection through = forwarded;
        if (through != null) {
            through.send(text); // the node that drives the conversation reads it
            return;
        }
        try (ConversationLog named = conversation == null ? null : ConversationLog.of(conversation.logId())) {
            ClientFrame frame = ClientFrame.parse(text);
            if (frame.type().equals("ping")) {
                tab.deliver(new TabMessage.Pong());
            } else if (frame.type().equals("hello")) {
                hello(frame, text);
            } else if (conversation == null) {
                throw new BadFrameException(ErrorCode.NOT_READY, "Say hello first.");
            } else {
                act(frame);
            }
        } catch (BadFrameException e) {
            tab.deliver(new TabMessage.Error(e.code(), e.getMessage(), e.clientId()));
        } catch (RuntimeException e) {
            LOG.error("A frame could not be handled", e);
            tab.deliver(new TabMessage.Error(ErrorCode.BAD_FRAME, "The frame could not be handled."));
        }
    }

    private void hello(ClientFrame frame, String text) throws BadFrameException {
        if (conversation != null) {
            throw new BadFrameException(ErrorCode.NOT_READY, "This connection has said hello already.");
        }

        String token = frame.token();
        long lastSeq = frame.lastSeq();
        String origin = frame.optionalText("origin", 200);
        if (origin != null && !origins.allows(origin)) {
            tab.end(new TabMessage.Error(ErrorCode.ORIGIN_REFUSED, "This site may not use this chat."));
            return;
        }
        if (forwarder != null && token != null) {
            if (forward(token, text)) {
                return;
            }
            if (!forwarder.forwarding().prepare(token)) {
                tab.closeAs(CloseReason.CloseCodes.SERVICE_RESTART.getCode(), "moving"); // taken over here in a moment
                return;
            }
        }
        siteOrigin = origin != null ? origin.toLowerCase(Locale.ROOT) : socketOrigin.toLowerCase(Locale.ROOT);
        Optional<TabHandle> attached = relay.hello(tab, token, lastSeq,
                origin == null ? null : origin.toLowerCase(Locale.ROOT), socketOrigin, frame.group());
        conversation = attached.orElse(null);
        helloSaid = conversation != null;
        if (attached.isPresent() && !session.isOpen()) {
            attached.get().leave(); // closed while attaching: onClose found nothing to detach
        }
    }

    /** Forwards the tab to the node that drives its conversation, if another does; false if this one serves it. */
    private boolean forward(String token, String hello) {
        Optional<java.net.URI> driver = forwarder.forwarding().driverOf(token);
        if (driver.isPresent() && forwardedHere) {
            // Forwarded here, yet driven elsewhere (the nodes' views differ for a moment): never
            // forwarded again, which could go round; the tab comes back once they agree.
            tab.closeAs(CloseReason.CloseCodes.SERVICE_RESTART.getCode(), "moving");
            return true;
        }
        if (driver.isEmpty()) {
            if (forwarder.forwarding().drivenElsewhereUnknown(token)) {
                tab.closeAs(CloseReason.CloseCodes.SERVICE_RESTART.getCode(), "moving"); // back soon, with backoff
                return true;
            }
            return false;
        }
        helloSaid = true;
        forwarded = forwarder.open(driver.get(), token, tab, clientAddress, socketOrigin, hello);
        if (!session.isOpen()) {
            forwarded.end(); // closed meanwhile: onClose found nothing to end
        }
        return true;
    }

    private void act(ClientFrame frame) throws BadFrameException {
        switch (frame.type()) {
            case "start": {
                String clientId = frame.clientId();
                String text = frame.text(maxMessageLength, clientId);
                conversation.start(clientId, text, frame.optionalText("name", ClientFrame.MAX_NAME),
                        frame.email(clientId), frame.group(), clientAddress);
                break;
            }
            case "send": {
                String clientId = frame.clientId();
                conversation.send(clientId, frame.text(maxMessageLength, clientId));
                break;
            }
            case "close":
                conversation.close();
                break;
            case "typing":
                conversation.typing(frame.draft(maxMessageLength));
                break;
            case "seen":
                conversation.seen(frame.seenSeq());
                break;
            case "leave_message": {
                String clientId = frame.clientId();
                String text = frame.text(maxMessageLength, clientId);
                conversation.leaveMessage(new OfflineMessage(clientId, frame.optionalText("name", ClientFrame.MAX_NAME),
                        frame.requiredEmail(clientId), text, frame.group()), clientAddress);
                break;
            }
            case "postback":
                conversation.postback(frame.number("seq", Long.MAX_VALUE), (int) frame.number("element", 99),
                        (int) frame.number("button", 99));
                break;
            case "rate":
                conversation.rate(frame.rating());
                break;
            case "greeting":
                conversation.answerGreeting(frame.greetingId(), frame.greetingAccepted());
                break;
            case "page": {
                String url = frame.pageUrl(siteOrigin);
                conversation.visitorPage(url, frame.pageTitle());
                break;
            }
            default:
                throw new BadFrameException(ErrorCode.UNKNOWN_TYPE,
                        "Unknown frame type; the types are hello, start, send, leave_message, typing, seen, postback, rate, greeting, page, close and ping.");
        }
    }
}
