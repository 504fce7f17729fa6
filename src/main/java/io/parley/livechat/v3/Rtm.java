package io.parley.livechat.v3;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Customer Chat API's RTM socket: opened, logged in with a customer's token, kept alive with
 * pings by the implementation, and closed by either side.
 */
public interface Rtm {

    /**
     * Opens a socket and logs in. The handler hears {@link Socket.Handler#loggedIn} once the login
     * succeeded, then pushes, then {@link Socket.Handler#closed} exactly once (also when the
     * connection or the login failed).
     *
     * @param customerPage the page the visitor is on ({@code url}, {@code title}), or null
     */
    Socket open(String customerToken, Map<String, Object> customerPage, Socket.Handler handler);

    /** One RTM connection. */
    interface Socket {

        /**
         * Sends a request; completes with the response's {@code payload}, or exceptionally with a
         * {@link V3Failure} (also when the socket closes before the response).
         */
        CompletableFuture<Map<String, Object>> request(String action, Map<String, Object> payload);

        /** Closes the socket; the handler hears {@code closed} if it has not yet. */
        void close();

        /** What the socket reports; called from one thread at a time, in order. */
        interface Handler {

            void loggedIn(Socket socket);

            /** A push ({@code type: "push"}), e.g. {@code incoming_event}, with its payload. */
            void push(String action, Map<String, Object> payload);

            /** The socket is gone: why, and whether the upstream allows connecting again. */
            void closed(Closed why);
        }
    }

    /**
     * Why a socket closed. {@code reason} is the {@code customer_disconnected} reason when the
     * upstream gave one (e.g. {@code access_token_expired}), else a short description;
     * {@code reconnect} is false for reasons the upstream documents as "don't reconnect";
     * {@code loginFailure} is set when the login itself was refused.
     */
    record Closed(String reason, boolean reconnect, V3Failure loginFailure) {
    }
}
