package io.parley.livechat.v2;

import java.util.Locale;

/** The four calls of the API, as metrics and health name them. */
public enum UpstreamCall {
    START, POLL, SEND, CLOSE;

    /** The lower-case name: {@code start}, {@code poll}, {@code send}, {@code close}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * What came of a call, in a few words fit for a metric's tag: {@code ok}, {@code banned}, or
     * the kind of failure ({@code session_gone}, {@code rejected}, {@code server_error},
     * {@code timed_out}, {@code connection_failed}, {@code not_sent}, {@code malformed}).
     */
    public static String outcome(Object result) {
        if (result instanceof StartResult.Banned) {
            return "banned";
        }
        if (result instanceof UpstreamFailure failure) {
            if (failure instanceof UpstreamFailure.SessionGone) {
                return "session_gone";
            } else if (failure instanceof UpstreamFailure.Rejected) {
                return "rejected";
            } else if (failure instanceof UpstreamFailure.ServerError) {
                return "server_error";
            } else if (failure instanceof UpstreamFailure.TimedOut) {
                return "timed_out";
            } else if (failure instanceof UpstreamFailure.ConnectionFailed) {
                return "connection_failed";
            } else if (failure instanceof UpstreamFailure.NotSent) {
                return "not_sent";
            }
            return "malformed";
        }
        return "ok";
    }
}
