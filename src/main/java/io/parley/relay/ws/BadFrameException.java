package io.parley.relay.ws;

import io.parley.relay.ErrorCode;

/** A frame the server will not act on, with the code and message the tab is told. */
final class BadFrameException extends Exception {

    private final ErrorCode code;
    private final String clientId;

    BadFrameException(ErrorCode code, String message, String clientId) {
        super(message, null, false, false);
        this.code = code;
        this.clientId = clientId;
    }

    BadFrameException(ErrorCode code, String message) {
        this(code, message, null);
    }

    ErrorCode code() {
        return code;
    }

    String clientId() {
        return clientId;
    }
}
