package io.parley.emulator.v3.web;

import io.parley.emulator.CallCounts;
import io.parley.emulator.Fault;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.v3.Connection;
import io.parley.emulator.v3.Customer;
import io.parley.emulator.v3.CustomerActions;
import io.parley.emulator.v3.CustomerChatApi;
import io.parley.emulator.v3.DemoAccount;
import io.parley.emulator.v3.Payload;
import io.parley.emulator.v3.Pushes;
import io.parley.emulator.v3.V3Error;
import jakarta.json.bind.JsonbException;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One RTM connection of the Customer Chat API (messaging/customer-chat-api/rtm-reference): login
 * within 30 s, then requests {@code {action, request_id, payload}} answered with
 * {@code {request_id, action, type: "response", success, payload}} (an error as
 * {@code payload.error}), at most 10 pending; pushes from {@link Pushes}. A socket silent for the
 * idle timeout (30 s) is closed by the container, which counts every frame, pings included.
 * Requests are counted as {@code rtm:<action>} (not billed, unlike the Web API's).
 */
public final class RtmSocket extends Endpoint implements Connection {

    static final long LOGIN_DEADLINE_MILLIS = 30_000;
    static final int MAX_PENDING = 10;
    private static final int MAX_FRAME = 256 * 1024;
    private static final String SITE_URL = "parley.site-url";

    private final CustomerChatApi api;
    private final FaultInjector faults;
    private final CallCounts calls;
    private final ScheduledExecutorService scheduler;
    private final String version;
    private final AtomicInteger pending = new AtomicInteger();
    private Outbox outbox;
    private String siteUrl;
    private volatile Customer customer;
    private volatile Instant tokenExpiry;
    private volatile Set<String> subscriptions;

    RtmSocket(CustomerChatApi api, FaultInjector faults, CallCounts calls, ScheduledExecutorService scheduler,
            String version) {
        this.api = api;
        this.faults = faults;
        this.calls = calls;
        this.scheduler = scheduler;
        this.version = version;
    }

    static String siteUrlProperty() {
        return SITE_URL;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        outbox = new Outbox(session);
        Object site = config.getUserProperties().get(SITE_URL);
        siteUrl = site instanceof String text ? text : "";
        session.setMaxTextMessageBufferSize(MAX_FRAME);
        session.setMaxIdleTimeout(api.faults().rtmIdleTimeout().toMillis());
        List<String> organization = session.getRequestParameterMap().get("organization_id");
        if (organization == null || organization.size() != 1 || !DemoAccount.ORGANIZATION_ID.equals(organization.get(0))) {
            disconnect("license_not_found");
            return;
        }
        session.addMessageHandler(String.class, this::received);
        scheduler.schedule(() -> {
            if (customer == null) {
                outbox.closeNow(new CloseReason(CloseReason.CloseCodes.VIOLATED_POLICY, "login timeout"));
            }
        }, LOGIN_DEADLINE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (customer != null) {
            api.pushes().remove(this);
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        // the container closes the session after this; onClose forgets it
    }

    private void received(String text) {
        Map<String, Object> request;
        try {
            Object parsed = HttpAnswer.JSONB.fromJson(text, Object.class);
            request = Payload.of(parsed, "The message").raw();
        } catch (JsonbException | V3Error e) {
            respond(null, null, error(V3Error.validation("Invalid message: not a JSON object")));
            return;
        }
        Object action = request.get("action");
        Object requestId = request.get("request_id");
        String id = requestId == null ? null : String.valueOf(requestId);
        if (!(action instanceof String name) || name.isBlank()) {
            respond(id, null, error(V3Error.validation("`action` is required")));
            return;
        }
        calls.count("rtm:total");
        calls.count("rtm:" + (name.equals("ping") || name.equals("login") || CustomerActions.known(name) ? name : "unknown"));
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            respond(id, name, error(new V3Error(429, "pending_requests_limit_reached", "Requests limit reached")));
            return;
        }
        try {
            handle(name, id, request.get("payload"));
        } catch (RuntimeException e) {
            pending.decrementAndGet();
            throw e;
        }
    }

    private void handle(String action, String requestId, Object rawPayload) {
        if (action.equals("ping")) {
            finish(requestId, action, ok(Map.of()), List.of(), Fault.NONE);
            return;
        }
        if (!action.equals("login") && !CustomerActions.known(action)) {
            finish(requestId, action, error(V3Error.validation("Unknown action " + action)), List.of(), Fault.NONE);
            return;
        }
        if (!action.equals("login") && customer == null) {
            finish(requestId, action, error(V3Error.authentication("Not logged in")), List.of(), Fault.NONE);
            return;
        }
        Fault fault = faults.next(action);
        Map<String, Object> response = null;
        List<String> held = List.of();
        if (fault.takesEffect()) {
            Pushes.Request request = api.pushes().begin(this, requestId, action);
            try {
                Payload payload = Payload.of(rawPayload, "`payload`");
                response = ok(action.equals("login") ? login(payload) : api.run(action, customer, payload, siteUrl));
            } catch (V3Error e) {
                response = error(e);
            } finally {
                api.pushes().end();
            }
            held = request.held();
        }
        if (fault.answersError()) {
            response = error(V3Error.injected(fault.errorStatus()));
        }
        finish(requestId, action, response, held, fault);
    }

    private Map<String, Object> login(Payload payload) {
        if (customer != null) {
            throw V3Error.validation("Already logged in");
        }
        String token = Requests.bearer(payload.string("token"));
        Customer found = api.customerOf(token);
        Map<String, Object> answer = api.login(found, payload);
        subscriptions = subscriptions(payload.optionalObject("pushes"));
        tokenExpiry = api.tokens().expiryOf(token);
        customer = found;
        api.pushes().add(this);
        return answer;
    }

    /** The pushes the login asked for, for this connection's version; null for all. */
    private Set<String> subscriptions(Payload pushes) {
        if (pushes == null || pushes.optionalList(version) == null) {
            return null;
        }
        List<Object> names = pushes.optionalList(version);
        if (names.contains("all")) {
            return null;
        }
        return Set.copyOf(names.stream().map(String::valueOf).toList());
    }

    /** Sends the response and the pushes held for after it, as the fault says: late, lost with the socket, garbled. */
    private void finish(String requestId, String action, Map<String, Object> response, List<String> held, Fault fault) {
        Runnable send = () -> {
            pending.decrementAndGet();
            switch (fault.kind()) {
                case DROP -> drop();
                case MALFORMED -> {
                    String json = frame(requestId, action, response);
                    outbox.send(faults.pick(action, 2) == 0 ? json.substring(0, json.length() / 2)
                            : "{\"type\":\"response\",\"success\":\"maybe\",\"payload\":[]}");
                    held.forEach(outbox::send);
                }
                default -> {
                    outbox.send(frame(requestId, action, response));
                    held.forEach(outbox::send);
                }
            }
        };
        if (fault.latencyMillis() > 0) {
            scheduler.schedule(send, fault.latencyMillis(), TimeUnit.MILLISECONDS);
        } else {
            send.run();
        }
    }

    private void respond(String requestId, String action, Map<String, Object> response) {
        outbox.send(frame(requestId, action, response));
    }

    private static String frame(String requestId, String action, Map<String, Object> response) {
        Map<String, Object> frame = new LinkedHashMap<>();
        if (requestId != null) {
            frame.put("request_id", requestId);
        }
        if (action != null) {
            frame.put("action", action);
        }
        frame.put("type", "response");
        frame.putAll(response);
        return Pushes.json(frame);
    }

    private static Map<String, Object> ok(Map<String, Object> payload) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", true);
        response.put("payload", payload);
        return response;
    }

    private static Map<String, Object> error(V3Error error) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("success", false);
        response.put("payload", Map.of("error", Map.of("type", error.type(), "message", error.getMessage())));
        return response;
    }

    // --- Connection: how pushes reach this socket ---

    @Override
    public String customerId() {
        return customer.id();
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public boolean subscribed(String push) {
        Set<String> wanted = subscriptions;
        return wanted == null || wanted.contains(push) || push.equals("customer_disconnected");
    }

    @Override
    public Instant tokenExpiry() {
        return tokenExpiry;
    }

    @Override
    public void send(String frame) {
        outbox.send(frame);
    }

    @Override
    public void disconnect(String reason) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("version", version);
        frame.put("action", "customer_disconnected");
        frame.put("type", "push");
        frame.put("payload", Map.of("reason", reason));
        outbox.send(Pushes.json(frame));
        outbox.closeAfterSent(new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, reason));
    }

    @Override
    public void drop() {
        outbox.closeNow(new CloseReason(CloseReason.CloseCodes.UNEXPECTED_CONDITION, "connection lost"));
    }
}
