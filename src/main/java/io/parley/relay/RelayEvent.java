package io.parley.relay;

import io.parley.upstream.AgentCard;
import io.parley.upstream.ClosedBy;
import java.time.Instant;

/**
 * One event of a conversation as Parley relays it, numbered by the server: {@code seq} is one
 * gapless sequence per conversation, which a tab uses to resume exactly where it left off.
 * Upstream ids never appear here.
 */
public sealed interface RelayEvent {

    long seq();

    Instant time();

    /** A message; {@code clientId} is set on the visitor's own messages sent through Parley. */
    record Said(long seq, Instant time, String from, String text, String clientId) implements RelayEvent {
    }

    /** An agent joined or changed their details. */
    record AgentJoined(long seq, Instant time, AgentCard agent) implements RelayEvent {
    }

    /** The chat ended. */
    record Closed(long seq, Instant time, ClosedBy by) implements RelayEvent {
    }

    /** A file shared in the chat; {@code url} is http(s) or null. */
    record Shared(long seq, Instant time, String from, String url, String name, String contentType)
            implements RelayEvent {
    }

    /** An upstream event of a kind Parley does not show otherwise: a system notice, never dropped. */
    record Notice(long seq, Instant time, String upstreamType) implements RelayEvent {
    }
}
