package io.parley.upstream;

import java.util.Locale;

/** Who or what ended a chat. */
public enum ClosedBy {
    VISITOR, AGENT, TIMEOUT, UPSTREAM;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
