package io.parley.upstream;

import java.util.Objects;

/**
 * A visitor's message on its way upstream. {@code clientId} is the tab's own id for it, unique
 * per visitor, which an upstream may use to make a send idempotent. {@code restored}: it was
 * read back from the store after a restart, so it may have been sent before the stop.
 */
public record Outgoing(String clientId, String text, boolean restored) {

    public Outgoing {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(text, "text");
    }
}
