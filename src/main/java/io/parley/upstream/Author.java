package io.parley.upstream;

import java.util.Locale;

/** Who wrote something in a chat. */
public enum Author {
    VISITOR, AGENT, SUPERVISOR, UNKNOWN;

    /** The lower-case name, as tabs are told it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
