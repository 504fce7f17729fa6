package io.parley.upstream;

import java.util.Objects;

/**
 * A visitor's message on its way upstream. {@code clientId} is the tab's own id for it, unique
 * per visitor, which an upstream may use to make a send idempotent. {@code restored}: it was
 * read back from the store after a restart, so it may have been sent before the stop.
 * {@code file} is set when the message is a file the visitor sent ({@link Capability#UPLOAD});
 * its {@code text} is then the file's name.
 */
public record Outgoing(String clientId, String text, boolean restored, Attachment file) {

    public Outgoing {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(text, "text");
    }

    /** A text message. */
    public Outgoing(String clientId, String text, boolean restored) {
        this(clientId, text, restored, null);
    }
}
