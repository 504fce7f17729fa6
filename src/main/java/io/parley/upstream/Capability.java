package io.parley.upstream;

import java.util.Locale;

/** What an upstream's chats can do beyond text messages; the widget offers only what is there. */
public enum Capability {
    /** Files shared in the chat are shown. */
    FILES,
    /** Typing is shown both ways. */
    TYPING,
    /** The visitor is told when the agent has seen their messages. */
    SEEN,
    /** The visitor is told their place in the queue. */
    QUEUE_POSITION,
    /** Whether anyone is online is known before a chat starts. */
    AVAILABILITY,
    /** The visitor can rate the chat. */
    RATING,
    /** The visitor can send files ({@link Attachment}). */
    UPLOAD,
    /** Agents' and bots' rich messages (cards, buttons, quick replies) are shown, and a choice is sent back. */
    RICH_MESSAGES,
    /**
     * Agents and rules greet the visitor before a chat: a preview they open or dismiss. Only
     * while the adapter holds a customer's connection (after a chat, within the grace period).
     */
    GREETINGS;

    /** The lower-case name, as tabs are told it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
