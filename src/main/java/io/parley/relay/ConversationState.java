package io.parley.relay;

import java.util.Locale;

/** Where a visitor's conversation stands, as tabs are told it. */
public enum ConversationState {
    /** No chat yet: the pre-chat form. */
    IDLE,
    /** The visitor asked for a chat; the upstream has not answered yet (retried while it fails). */
    STARTING,
    /** The chat is open; no agent has joined. */
    WAITING,
    /** An agent has joined; their details are known. */
    CHATTING,
    /** The chat ended; see {@link ClosedBy}. A new chat may be started. */
    CLOSED,
    /** The upstream refuses chats from this visitor. */
    BANNED;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a chat is open upstream. */
    public boolean open() {
        return this == WAITING || this == CHATTING;
    }
}
