package io.parley.relay;

import io.parley.upstream.AgentCard;
import io.parley.upstream.ClosedBy;
import java.time.Duration;
import java.util.List;

/** What the relay tells a tab; the WebSocket layer writes each as one JSON frame. */
public sealed interface TabMessage {

    /** Where a conversation stands, as tabs see it. */
    record Status(ConversationState state, ClosedBy closedBy, boolean reachable, AgentCard agent) {
    }

    /**
     * The answer to hello: the visitor's token, the conversation's status, and the events after
     * the sequence the tab gave; with {@code snapshot}, every event still held instead, because
     * some it missed are no longer buffered. {@code capabilities} names what the upstream can do
     * beyond messages ({@code io.parley.upstream.Capability}), so that the page offers only that.
     */
    record Welcome(String token, Status status, long lastSeq, boolean snapshot, List<RelayEvent> events,
            List<String> capabilities, Boolean online)
            implements TabMessage {

        /** A welcome that says nothing of availability. */
        public Welcome(String token, Status status, long lastSeq, boolean snapshot, List<RelayEvent> events,
                List<String> capabilities) {
            this(token, status, lastSeq, snapshot, events, capabilities, null);
        }
    }

    /**
     * Whether anyone can take a chat in the tab's group now: told when it changes, not kept in
     * the conversation's log ({@code io.parley.upstream.Capability#AVAILABILITY}).
     */
    record Availability(boolean online) implements TabMessage {
    }

    /** The message left for later with this client id was taken by the upstream. */
    record MessageLeft(String clientId) implements TabMessage {
    }

    /** A new event of the conversation. */
    record Event(RelayEvent event) implements TabMessage {
    }

    /** The visitor's message with this client id is accepted as event {@code seq}. */
    record Ack(String clientId, long seq) implements TabMessage {
    }

    /** The conversation's status changed. */
    record StatusChanged(Status status) implements TabMessage {
    }

    /**
     * Something went wrong; {@code clientId} names the message concerned, if any, and
     * {@code retryAfter} when trying again will work, for limits.
     */
    record Error(ErrorCode code, String message, String clientId, Duration retryAfter) implements TabMessage {

        public Error(ErrorCode code, String message, String clientId) {
            this(code, message, clientId, null);
        }

        public Error(ErrorCode code, String message) {
            this(code, message, null, null);
        }
    }

    /**
     * The agent started or stopped typing. Like {@link Seen} and {@link Queue}, a live signal, not
     * an event: neither numbered nor kept in the log nor stored; a tab that attaches is told the
     * current one right after its welcome.
     */
    record Typing(boolean typing) implements TabMessage {
    }

    /** The agent has seen the visitor's messages up to event {@code seq}, one of the visitor's own. */
    record Seen(long seq) implements TabMessage {
    }

    /**
     * The visitor's place in the queue and the expected wait in seconds (0: not known);
     * {@code position} 0 says the chat is no longer queued.
     */
    record Queue(int position, int waitSeconds) implements TabMessage {
    }

    /**
     * The visitor's rating of the chat that ended, as now held (null: none), told to every tab on
     * each change and to a tab that attaches while it may still change: a confirmation, not an event.
     */
    record Rated(io.parley.upstream.Rating rating) implements TabMessage {
    }

    /**
     * A greeting of an agent's or a rule's before a chat, to show as a preview: a live signal like
     * {@link Typing}, told again to a tab that attaches while it is shown. {@code id} is the
     * adapter's, never the upstream's.
     */
    record Greeting(String id, String text, AgentCard agent) implements TabMessage {
    }

    /** The greeting with this id is no longer shown: the visitor opened or dismissed it (in any tab), or a chat began. */
    record GreetingEnded(String id) implements TabMessage {
    }

    /** The answer to a ping, so clients can tell a dead connection. */
    record Pong() implements TabMessage {
    }
}
