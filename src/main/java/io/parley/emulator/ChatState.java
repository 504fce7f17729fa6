package io.parley.emulator;

import java.util.Locale;

/** Where an emulated chat stands. */
public enum ChatState {
    /** Started; no agent has joined yet. */
    WAITING,
    /** An agent has joined. */
    CHATTING,
    /** Closed by the visitor, an agent, a ban or the idle timeout; later calls are refused. */
    CLOSED;

    /** The name used in JSON and on the console. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
