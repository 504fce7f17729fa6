package io.parley.livechat.v3;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The three transports of the v3 adapter, answered by the test: every call waits, recorded,
 * until the test completes it, so that each interleaving is chosen, not raced.
 */
final class ScriptedLiveChat implements Accounts, CustomerApi, Rtm {

    /** A call made and not answered yet. */
    record Call(String action, String token, Map<String, Object> payload, CompletableFuture<Map<String, Object>> answer) {
        void ok(Map<String, Object> body) {
            answer.complete(body);
        }

        void fail(V3Failure.Kind kind, String type, boolean ambiguous) {
            answer.completeExceptionally(new V3Failure(kind, type, ambiguous, "scripted " + kind));
        }
    }

    /** A socket opened by the adapter. */
    final class Socket implements Rtm.Socket {
        final String token;
        final Handler handler;
        final Deque<Call> requests = new ArrayDeque<>();
        /** The {@code customer_page} its login was to carry, or null. */
        Map<String, Object> customerPage;
        boolean closed;

        Socket(String token, Handler handler) {
            this.token = token;
            this.handler = handler;
        }

        @Override
        public CompletableFuture<Map<String, Object>> request(String action, Map<String, Object> payload) {
            CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
            requests.add(new Call(action, token, payload, answer));
            return answer;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                handler.closed(new Closed("closed by the client", true, null));
            }
        }

        void loginSucceeds() {
            handler.loggedIn(this);
        }

        void push(String action, Map<String, Object> payload) {
            handler.push(action, payload);
        }

        /** The upstream drops the socket, or disconnects the customer for a reason. */
        void drop(String reason, boolean reconnect) {
            closed = true;
            handler.closed(new Closed(reason, reconnect, null));
        }

        Call request() {
            Call call = requests.poll();
            if (call == null) {
                throw new AssertionError("no RTM request was made");
            }
            return call;
        }
    }

    final Deque<Call> calls = new ArrayDeque<>();
    final List<Socket> sockets = new ArrayList<>();
    final List<String> refreshes = new ArrayList<>();
    final List<String> customerTokensFor = new ArrayList<>();
    private int customers;
    private int tokens;
    String rotateTo;

    @Override
    public CompletableFuture<AgentGrant> refresh(String refreshToken) {
        refreshes.add(refreshToken);
        return CompletableFuture.completedFuture(new AgentGrant("agent-" + refreshes.size(),
                rotateTo == null ? refreshToken : rotateTo, Duration.ofHours(8)));
    }

    @Override
    public CompletableFuture<CustomerGrant> customerToken(String agentAccessToken, String entityId) {
        String customer = entityId != null ? entityId : "customer-" + ++customers;
        customerTokensFor.add(entityId == null ? "new" : entityId);
        return CompletableFuture.completedFuture(new CustomerGrant("token-" + ++tokens, customer, Duration.ofHours(8)));
    }

    @Override
    public CompletableFuture<Map<String, Object>> call(String customerToken, String action, Map<String, Object> payload) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        calls.add(new Call(action, customerToken, payload, answer));
        return answer;
    }

    @Override
    public CompletableFuture<Map<String, Object>> upload(String customerToken, io.parley.upstream.Attachment file) {
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        calls.add(new Call("upload_file", customerToken, Map.of("name", file.name(), "content_type", file.contentType()),
                answer));
        return answer;
    }

    @Override
    public Socket open(String customerToken, Map<String, Object> customerPage, Socket.Handler handler) {
        Socket socket = new Socket(customerToken, handler);
        socket.customerPage = customerPage;
        sockets.add(socket);
        return socket;
    }

    /** The next Web API call, which must be of this action. */
    Call next(String action) {
        Call call = calls.poll();
        if (call == null) {
            throw new AssertionError("no Web API call was made; expected " + action);
        }
        if (!call.action().equals(action)) {
            throw new AssertionError("expected " + action + " but the adapter called " + call.action());
        }
        return call;
    }

    Socket socket() {
        return sockets.get(sockets.size() - 1);
    }
}
