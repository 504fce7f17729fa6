package io.parley.relay;

import java.util.Locale;

/** The codes of error frames; {@code docs/protocol.md} explains each. */
public enum ErrorCode {
    /** The frame is not JSON. */
    BAD_JSON,
    /** A field is missing or of the wrong type or value. */
    BAD_FRAME,
    /** The e-mail address given with a start is not one; with the start's message id. */
    BAD_EMAIL,
    /** The frame's {@code type} is not one the server knows. */
    UNKNOWN_TYPE,
    /** A frame other than {@code hello} came before {@code hello}, or a second {@code hello}. */
    NOT_READY,
    /** A text is longer than the limit. */
    TOO_LONG,
    /** A send or close without an open chat. */
    NO_CHAT,
    /** A start while a chat is open or starting. */
    ALREADY_STARTED,
    /** This node holds as many conversations as it may. */
    BUSY,
    /** This visitor has as many tabs open as they may. */
    TOO_MANY_TABS,
    /** As many connections are open from the client's address as may be ({@code tabs-per-ip}). */
    TOO_MANY_CONNECTIONS,
    /** The upstream refused to start the chat. */
    START_FAILED,
    /** Nobody can take a chat now (the agents' group is offline); the start's message was not sent. */
    OFFLINE,
    /** A message could not be delivered to the upstream (the chat ended first, or it was refused). */
    SEND_FAILED,
    /** The visitor is banned. */
    BANNED,
    /** Too many chat starts, messages or connections; the frame says when to retry. */
    RATE_LIMITED,
    /** The page the widget is on may not use this server. */
    ORIGIN_REFUSED,
    /** The message could not be saved yet; the frame says when to send it again (with the same id). */
    NOT_SAVED,
    /** A message left for later could not be delivered; with its id. */
    LEAVE_FAILED,
    /** A file is larger than uploads may be (10 MB). */
    FILE_TOO_LARGE,
    /** A file is of a type this site does not take ({@code upload-types}), or its bytes are not what its name says. */
    FILE_TYPE_REFUSED,
    /** An upload without a conversation token known here, or from a page that may not use it. */
    UPLOAD_REFUSED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
