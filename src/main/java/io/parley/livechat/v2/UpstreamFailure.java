package io.parley.livechat.v2;

import java.time.Duration;

/**
 * Why an upstream call did not succeed, as a value the caller can act on. Messages and reasons
 * never contain upstream ids: the client removes them before building a failure.
 */
public sealed interface UpstreamFailure extends StartResult, PollResult, SendResult, CloseResult
        permits UpstreamFailure.SessionGone, UpstreamFailure.Rejected, UpstreamFailure.ServerError,
        UpstreamFailure.TimedOut, UpstreamFailure.ConnectionFailed, UpstreamFailure.NotSent,
        UpstreamFailure.MalformedAnswer {

    /**
     * Whether the same call may succeed if tried again later. A call that failed this way may
     * also have taken effect upstream: see {@link #ambiguous()}.
     */
    boolean retryable();

    /**
     * Whether the call may have taken effect although no success was seen. Only an explicit
     * refusal (a 4xx) proves that it did not: an error status, a timeout, a broken connection or
     * an answer that is not the documented one may all come after the upstream acted on it.
     */
    default boolean ambiguous() {
        return retryable();
    }

    /** One line for a log, free of upstream ids and of anything a person typed. */
    String describe();

    /** The chat is unknown to the upstream or already closed (404). */
    record SessionGone(int status, String message) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String describe() {
            return "session unknown or closed (" + status + "): " + message;
        }
    }

    /** The upstream refused the call as invalid (a 4xx other than 404), with its own message. */
    record Rejected(int status, String message) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String describe() {
            return "rejected (" + status + "): " + message;
        }
    }

    /** The upstream failed (5xx), perhaps after acting on the call. */
    record ServerError(int status, String message) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String describe() {
            return "upstream error (" + status + "): " + message;
        }
    }

    /** No complete answer within the timeout. */
    record TimedOut(Duration after) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String describe() {
            return "timed out after " + after.toMillis() + " ms";
        }
    }

    /** The connection could not be made, or broke before a complete answer. */
    record ConnectionFailed(String reason) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String describe() {
            return "connection failed: " + reason;
        }
    }

    /**
     * The call never left: no connection could be had, or its deadline passed while it waited
     * for one. Nothing reached the upstream, so it surely did not take effect.
     */
    record NotSent(String reason) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public boolean ambiguous() {
            return false;
        }

        @Override
        public String describe() {
            return "not sent: " + reason;
        }
    }

    /**
     * An answer that is not JSON, or not of the documented shape (for a send or a close, anything
     * but {@code success: true}).
     */
    record MalformedAnswer(int status, String reason) implements UpstreamFailure {
        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String describe() {
            return "malformed answer (" + status + "): " + reason;
        }
    }
}
