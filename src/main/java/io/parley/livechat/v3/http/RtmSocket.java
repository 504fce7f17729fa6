package io.parley.livechat.v3.http;

import io.parley.livechat.v3.Rtm;
import io.parley.livechat.v3.V3Failure;
import io.parley.tasks.TaskScheduler;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTM connection: the login, requests matched to their responses by {@code request_id},
 * pushes, pings, and the one report of its end. Everything the handler hears, and every
 * request's outcome, goes through one {@link InOrder}: in the order it came from the socket.
 * Public only because Jetty calls its listener methods by reflection.
 */
public final class RtmSocket implements Rtm.Socket, Session.Listener.AutoDemanding {

    private static final Logger LOG = LoggerFactory.getLogger(RtmSocket.class);
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z_]{0,63}");
    /** Pushes that come before the login's response wait for it; more than this are not expected. */
    private static final int MAX_EARLY_PUSHES = 64;

    private enum State { CONNECTING, LOGGING_IN, OPEN, CLOSED }

    private final RtmClient client;
    private final Handler handler;
    private final InOrder inOrder = new InOrder();

    // All below guarded by this.
    private State state = State.CONNECTING;
    private String token; // until the login is sent; never kept longer than needed
    private Map<String, Object> customerPage;
    private Session session;
    private CompletableFuture<Session> connecting;
    private Map<String, Pending> pending; // by request_id; null while none
    private int lastRequestId;
    private List<Runnable> earlyPushes;
    private TaskScheduler.Cancellable loginDeadline;
    private TaskScheduler.Cancellable nextPing;

    RtmSocket(RtmClient client, String token, Map<String, Object> customerPage, Handler handler) {
        this.client = client;
        this.handler = handler;
        this.token = token;
        this.customerPage = customerPage;
        // Connecting and logging in have one deadline between them.
        this.loginDeadline = client.scheduler.schedule(() -> end("the login timed out", true,
                Failures.timeout("login", "no login within " + client.timeout.toMillis() + " ms", false), true),
                client.timeout);
    }

    void connecting(CompletableFuture<Session> future) {
        synchronized (this) {
            if (state == State.CLOSED) {
                future.cancel(true);
                return;
            }
            connecting = future;
        }
        // Outside the lock: a future that failed already runs this at once, and it tells the handler.
        future.whenComplete((opened, failure) -> {
            if (failure != null) {
                connectFailed("could not connect (" + failure.getClass().getSimpleName() + ")");
            }
        });
    }

    void connectFailed(String why) {
        end(why, true, Failures.network("login", why, false), false);
    }

    // ---- Jetty's listener ----

    @Override
    public void onWebSocketOpen(Session opened) {
        Map<String, Object> login = new LinkedHashMap<>();
        synchronized (this) {
            if (state != State.CONNECTING) {
                opened.close(1000, "", Callback.NOOP); // ended while the connection was being made
                return;
            }
            session = opened;
            state = State.LOGGING_IN;
            connecting = null;
            login.put("token", "Bearer " + token);
            if (customerPage != null) {
                login.put("customer_page", customerPage);
            }
            token = null;
            customerPage = null;
        }
        send("login", login, Pending.Kind.LOGIN);
    }

    @Override
    public void onWebSocketText(String text) {
        Map<String, Object> message;
        try {
            message = JsonText.readObject(text);
        } catch (JsonText.MalformedJsonException e) {
            // Debug only: an upstream sending garbage would write a line a message on every socket;
            // what it costs (a request unanswered, a login failed) reaches health's one warning.
            LOG.debug("An RTM message that is {} was ignored", e.getMessage());
            return;
        }
        Object type = message.get("type");
        Object action = message.get("action");
        if ("response".equals(type) && message.get("request_id") instanceof String id) {
            responded(id, action instanceof String name ? name : "request", message);
        } else if ("push".equals(type) && action instanceof String name) {
            pushed(name, message.get("payload") instanceof Map<?, ?> map ? object(map) : Map.of());
        }
        // Anything else (a response without a request_id, an unknown type) answers nothing of ours.
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        end("the connection closed (" + statusCode + ")", true, null, false);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        end("the connection failed (" + cause.getClass().getSimpleName() + ")", true, null, true);
    }

    // ---- Rtm.Socket ----

    @Override
    public CompletableFuture<Map<String, Object>> request(String action, Map<String, Object> payload) {
        if (action == null || !ACTION.matcher(action).matches()) {
            return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                    "not an action name of the API"));
        }
        return send(action, payload == null ? Map.of() : payload, Pending.Kind.REQUEST);
    }

    @Override
    public void close() {
        end("closed", true, null, true);
    }

    // ---- the protocol ----

    private CompletableFuture<Map<String, Object>> send(String action, Map<String, Object> payload, Pending.Kind kind) {
        CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
        String id;
        Session open;
        synchronized (this) {
            State needed = kind == Pending.Kind.LOGIN ? State.LOGGING_IN : State.OPEN;
            if (state != needed) {
                String why = state == State.CLOSED ? "the socket is closed" : "the socket is not logged in yet";
                return CompletableFuture.failedFuture(Failures.network(action, why, false));
            }
            if (pending != null && pending.size() >= RtmClient.MAX_PENDING) {
                return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.TOO_MANY_REQUESTS, null, false,
                        action + ": " + RtmClient.MAX_PENDING + " requests are already waiting on this socket"));
            }
            id = Integer.toString(++lastRequestId);
            if (pending == null) {
                pending = new HashMap<>(4);
            }
            String requestId = id;
            TaskScheduler.Cancellable deadline = client.scheduler.schedule(() -> timedOut(requestId), client.timeout);
            pending.put(id, new Pending(action, kind, future, deadline));
            open = session;
        }
        String text;
        try {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("action", action);
            message.put("request_id", id);
            message.put("payload", payload);
            text = JsonText.write(message);
        } catch (IllegalArgumentException e) {
            Pending unsent = take(id);
            if (unsent != null) {
                unsent.deadline.cancel();
            }
            return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                    action + ": the payload cannot be sent (" + e.getMessage() + ")"));
        }
        // A write that fails may still have put the whole frame on the wire: the call may have landed.
        open.sendText(text, Callback.from(() -> { }, failure -> fail(id, Failures.network(action,
                "the request could not be written (" + failure.getClass().getSimpleName() + ")", true))));
        return future;
    }

    private void responded(String id, String action, Map<String, Object> message) {
        Pending answered = take(id);
        if (answered == null) {
            return; // timed out already, or not ours
        }
        answered.deadline.cancel();
        Map<String, Object> payload = message.get("payload") instanceof Map<?, ?> map ? object(map) : new LinkedHashMap<>();
        boolean success = Boolean.TRUE.equals(message.get("success"));
        V3Failure failure = success ? null : Failures.refused(answered.action, Failures.errorType(payload), 0);
        switch (answered.kind) {
            case LOGIN -> {
                if (success) {
                    loggedIn();
                } else {
                    boolean reconnect = failure.kind() != V3Failure.Kind.AUTHORIZATION
                            && failure.kind() != V3Failure.Kind.VALIDATION && failure.kind() != V3Failure.Kind.NOT_FOUND;
                    end("the login was refused", reconnect, failure, true);
                }
            }
            case PING -> {
                // Alive; a refused ping says nothing worse.
            }
            case REQUEST -> inOrder.run(() -> {
                if (success) {
                    answered.future.complete(payload);
                } else {
                    answered.future.completeExceptionally(failure);
                }
            });
        }
    }

    private void loggedIn() {
        List<Runnable> early;
        synchronized (this) {
            if (state != State.LOGGING_IN) {
                return;
            }
            state = State.OPEN;
            loginDeadline.cancel();
            early = earlyPushes;
            earlyPushes = null;
            schedulePing();
        }
        inOrder.run(() -> handler.loggedIn(this));
        if (early != null) {
            early.forEach(inOrder::run);
        }
    }

    private void pushed(String action, Map<String, Object> payload) {
        if (action.equals("customer_disconnected")) {
            String reason = payload.get("reason") instanceof String text && !text.isBlank()
                    ? LogTextOf.reason(text) : "customer_disconnected";
            V3Failure loginFailure = null;
            synchronized (this) {
                if (state != State.OPEN) {
                    loginFailure = new V3Failure(reason.startsWith("access_token") ? V3Failure.Kind.AUTHENTICATION
                            : V3Failure.Kind.NETWORK, reason, false, "login: disconnected (" + reason + ")");
                }
            }
            end(reason, DisconnectReasons.reconnect(reason), loginFailure, true);
            return;
        }
        Runnable delivery = () -> handler.push(action, payload);
        synchronized (this) {
            if (state == State.LOGGING_IN) {
                if (earlyPushes == null) {
                    earlyPushes = new ArrayList<>(2);
                }
                if (earlyPushes.size() < MAX_EARLY_PUSHES) {
                    earlyPushes.add(delivery);
                }
                return;
            }
            if (state != State.OPEN) {
                return;
            }
        }
        inOrder.run(delivery);
    }

    private void schedulePing() {
        nextPing = client.scheduler.schedule(this::ping, client.pingInterval);
    }

    private void ping() {
        Session open;
        boolean control;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            open = session;
            // The protocol's ping takes a slot of the ten; when none is free, the socket's own
            // ping frame, which the docs allow for backends, keeps it alive instead.
            control = pending != null && pending.size() >= RtmClient.MAX_PENDING;
            schedulePing();
        }
        if (control) {
            open.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        } else {
            send("ping", Map.of(), Pending.Kind.PING);
        }
    }

    private void timedOut(String id) {
        Pending late = take(id);
        if (late == null) {
            return;
        }
        switch (late.kind) {
            case LOGIN -> { } // the login's own deadline ends the socket
            case PING -> end("no answer to a ping", true, null, true);
            case REQUEST -> inOrder.run(() -> late.future.completeExceptionally(Failures.timeout(late.action,
                    "no response within " + client.timeout.toMillis() + " ms", true)));
        }
    }

    private void fail(String id, V3Failure failure) {
        Pending failed = take(id);
        if (failed == null) {
            return;
        }
        failed.deadline.cancel();
        if (failed.kind == Pending.Kind.REQUEST) {
            inOrder.run(() -> failed.future.completeExceptionally(failure));
        } else {
            end("a write failed", true, failed.kind == Pending.Kind.LOGIN ? failure : null, true);
        }
    }

    private synchronized Pending take(String id) {
        if (pending == null) {
            return null;
        }
        Pending taken = pending.remove(id);
        if (pending.isEmpty()) {
            pending = null;
        }
        return taken;
    }

    /**
     * Ends the socket once: fails what waits (it may have landed), tells the handler, and closes
     * the connection if asked. A socket ended before its login says why the login failed.
     */
    private void end(String reason, boolean reconnect, V3Failure loginFailure, boolean closeConnection) {
        List<Pending> waiting;
        Session open;
        CompletableFuture<Session> unfinished;
        V3Failure failure = loginFailure;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            if (failure == null && state != State.OPEN) {
                failure = Failures.network("login", reason, false);
            }
            state = State.CLOSED;
            token = null;
            customerPage = null;
            earlyPushes = null;
            waiting = pending == null ? List.of() : new ArrayList<>(pending.values());
            pending = null;
            open = session;
            session = null;
            unfinished = connecting;
            connecting = null;
            loginDeadline.cancel();
            if (nextPing != null) {
                nextPing.cancel();
            }
        }
        for (Pending request : waiting) {
            request.deadline.cancel();
        }
        if (unfinished != null) {
            unfinished.cancel(true);
        }
        if (closeConnection && open != null && open.isOpen()) {
            open.close(1000, "", Callback.NOOP);
        }
        Rtm.Closed closed = new Rtm.Closed(reason, reconnect, failure);
        inOrder.run(() -> {
            for (Pending request : waiting) {
                if (request.kind == Pending.Kind.REQUEST) {
                    request.future.completeExceptionally(Failures.network(request.action,
                            "the socket closed before the response", true));
                }
            }
            handler.closed(closed);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A request waiting for its response. */
    private record Pending(String action, Kind kind, CompletableFuture<Map<String, Object>> future,
            TaskScheduler.Cancellable deadline) {
        enum Kind { LOGIN, PING, REQUEST }
    }

    /** A disconnect reason as it may be reported: the upstream's word, or a stand-in for anything else. */
    private static final class LogTextOf {
        private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,63}");

        static String reason(String text) {
            return REASON.matcher(text).matches() ? text : "customer_disconnected";
        }
    }
}
