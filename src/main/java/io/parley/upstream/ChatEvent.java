package io.parley.upstream;

import java.time.Instant;

/**
 * Something that happened in a chat, whatever upstream reported it, normalised: no upstream id
 * or type reaches the relay but as one of these. Duplicates and the visitor's own echoed
 * messages are the adapter's to leave out. {@code time} is the upstream's, or null if it gave none.
 */
public sealed interface ChatEvent {

    Instant time();

    /** A message from an agent, a supervisor or, typed elsewhere, the visitor. */
    record Message(Instant time, Author from, String text) implements ChatEvent {
    }

    /** An agent joined the chat or changed their details. */
    record AgentJoined(Instant time, AgentCard agent) implements ChatEvent {
    }

    /** An agent left the chat, which goes on. */
    record AgentLeft(Instant time, AgentCard agent) implements ChatEvent {
    }

    /** A file shared in the chat; {@code url} is http(s) or null. */
    record File(Instant time, Author from, String url, String name, String contentType) implements ChatEvent {
    }

    /** An event of a kind the adapter does not know, shown as a notice rather than dropped. */
    record Notice(Instant time, String type) implements ChatEvent {
    }

    /** An agent started or stopped typing ({@link Capability#TYPING}). */
    record Typing(Instant time, boolean typing) implements ChatEvent {
    }

    /** The agent has seen the visitor's messages up to this moment ({@link Capability#SEEN}). */
    record Seen(Instant time, Instant upTo) implements ChatEvent {
    }

    /** The visitor's place in the queue and the expected wait in seconds ({@link Capability#QUEUE_POSITION}). */
    record QueuePosition(Instant time, int position, int waitSeconds) implements ChatEvent {
    }

    /**
     * An agent's or a rule's greeting, before a chat ({@link Capability#GREETINGS}): shown until
     * the visitor opens or dismisses it, or another replaces it. {@code id} is the adapter's own,
     * never the upstream's; {@code agent} may be null.
     */
    record Greeting(Instant time, String id, AgentCard agent, String text) implements ChatEvent {
    }

    /** Whether anyone can take the chat now ({@link Capability#AVAILABILITY}). */
    record Availability(Instant time, boolean online) implements ChatEvent {
    }
}
