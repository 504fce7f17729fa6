package io.parley.livechat.v3.http;

import io.parley.livechat.v3.V3Failure;
import java.time.Duration;

/**
 * One HTTP call made to LiveChat, as listeners hear of it once it is over: which action, the
 * HTTP status (0 when no answer came), how long it took, and the failure if it failed. A call
 * that got any status reached LiveChat, which bills Web API calls (private apps).
 *
 * @param action the Web API action, e.g. {@code send_event}, or {@code token} / {@code customer_token} for the accounts service
 */
public record WebApiCall(String action, int status, Duration duration, V3Failure failure) {

    /** Whether the call succeeded. */
    public boolean succeeded() {
        return failure == null;
    }

    /** Whether the upstream answered at all (and so counts the call). */
    public boolean answered() {
        return status > 0;
    }

    /** Hears every call once it is over; called on the HTTP client's threads, so it must not block. */
    @FunctionalInterface
    public interface Listener {
        void called(WebApiCall call);
    }
}
