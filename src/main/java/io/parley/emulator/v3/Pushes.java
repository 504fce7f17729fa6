package io.parley.emulator.v3;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The customers' logged-in sockets, and the pushes to them ({@code {"version", "request_id"?,
 * "action", "type": "push", "payload"}}). The push that answers an RTM request indirectly
 * ({@code incoming_chat} for {@code start_chat} and {@code resume_chat}, the sent event's
 * {@code incoming_event} for {@code send_event}) carries that request's {@code request_id}, to the
 * requesting socket only: LiveChat's Customer SDK resolves those requests on it, and fails on a
 * {@code request_id} it no longer waits for (the closing message of {@code deactivate_chat}).
 * Pushes a request causes reach its socket after the response. Injected faults lose pushes or
 * drop the socket after one.
 */
public final class Pushes {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private final Map<String, Set<Connection>> byCustomer = new ConcurrentHashMap<>();
    private final Supplier<V3Faults> faults;
    private final ThreadLocal<Request> current = new ThreadLocal<>();
    private Random random = new Random(1);

    public Pushes(Supplier<V3Faults> faults) {
        this.faults = faults;
    }

    /** An RTM request being handled on this thread: its socket, its id, and the pushes held for after its response. */
    public static final class Request {
        private final Connection socket;
        private final String requestId;
        private final String indirectAnswer;
        private final List<String> held = new ArrayList<>();

        Request(Connection socket, String requestId, String action) {
            this.socket = socket;
            this.requestId = requestId;
            this.indirectAnswer = switch (action) {
                case "start_chat", "resume_chat" -> "incoming_chat";
                case "send_event" -> "incoming_event";
                default -> null;
            };
        }

        /** The request_id for this push: the first push of the kind that answers the request, only. */
        private String idFor(String push) {
            if (requestId == null || !push.equals(indirectAnswer) || answered) {
                return null;
            }
            answered = true;
            return requestId;
        }

        private boolean answered;

        /** The pushes to the requester, to send after the response. */
        public List<String> held() {
            return held;
        }
    }

    /** Marks the start of an RTM request's handling on this thread; call {@link #end} in a finally. */
    public Request begin(Connection socket, String requestId, String action) {
        Request request = new Request(socket, requestId, action);
        current.set(request);
        return request;
    }

    public void end() {
        current.remove();
    }

    public void add(Connection connection) {
        byCustomer.computeIfAbsent(connection.customerId(), id -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    public void remove(Connection connection) {
        byCustomer.computeIfPresent(connection.customerId(), (id, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether the customer has a logged-in socket. */
    public boolean online(String customerId) {
        Set<Connection> set = byCustomer.get(customerId);
        return set != null && !set.isEmpty();
    }

    /** Every customer with a logged-in socket. */
    public Set<String> onlineCustomers() {
        return Set.copyOf(byCustomer.keySet());
    }

    /** Every logged-in socket. */
    public List<Connection> all() {
        List<Connection> all = new ArrayList<>();
        byCustomer.values().forEach(all::addAll);
        return all;
    }

    /** Pushes to every logged-in socket of the customer. */
    public void push(String customerId, String action, Map<String, Object> payload) {
        Set<Connection> set = byCustomer.get(customerId);
        if (set != null) {
            set.forEach(connection -> push(connection, action, payload));
        }
    }

    /** Pushes to every logged-in socket. */
    public void pushToAll(String action, Map<String, Object> payload) {
        all().forEach(connection -> push(connection, action, payload));
    }

    private void push(Connection connection, String action, Map<String, Object> payload) {
        if (!connection.subscribed(action)) {
            return;
        }
        V3Faults now = faults.get();
        if (now.pushLossRate() > 0 && draw() < now.pushLossRate()) {
            return; // lost: pushes are never retried
        }
        Request request = current.get();
        boolean requester = request != null && request.socket == connection;
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("version", connection.version());
        String requestId = requester ? request.idFor(action) : null;
        if (requestId != null) {
            frame.put("request_id", requestId);
        }
        frame.put("action", action);
        frame.put("type", "push");
        frame.put("payload", payload);
        String text = JSONB.toJson(frame);
        if (requester) {
            request.held.add(text);
        } else {
            connection.send(text);
        }
        if (now.rtmDropRate() > 0 && draw() < now.rtmDropRate()) {
            connection.drop();
        }
    }

    /** Sockets whose token expired: they hear {@code customer_disconnected} and close. */
    public void expireTokens(Instant now) {
        for (Connection connection : all()) {
            Instant expiry = connection.tokenExpiry();
            if (expiry != null && !expiry.isAfter(now)) {
                remove(connection);
                connection.disconnect("access_token_expired");
            }
        }
    }

    /** Restarts the random draws from a seed. */
    public synchronized void reseed(long seed) {
        random = new Random(seed);
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    public static String json(Object value) {
        return JSONB.toJson(value);
    }
}
