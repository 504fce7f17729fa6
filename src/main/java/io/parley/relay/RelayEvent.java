package io.parley.relay;

import io.parley.upstream.AgentCard;
import io.parley.upstream.ChatEvent;
import io.parley.upstream.ClosedBy;
import java.time.Instant;
import java.util.List;

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

    /**
     * A file shared in the chat. {@code url} is where the upstream keeps it (http(s) or null),
     * which tabs never see: they are given {@code fileId}, Parley's own unguessable name for it,
     * served under {@code files/}. {@code clientId} is set on the visitor's own files, and
     * {@code size} in bytes is -1 when not known.
     */
    record Shared(long seq, Instant time, String from, String url, String name, String contentType, String fileId,
            String clientId, long size) implements RelayEvent {

        /** A file as records of earlier versions held it: no id of Parley's yet. */
        public Shared(long seq, Instant time, String from, String url, String name, String contentType) {
            this(seq, time, from, url, name, contentType, null, null, -1);
        }

        Shared withUrl(String upstreamUrl) {
            return new Shared(seq, time, from, upstreamUrl, name, contentType, fileId, clientId, size);
        }
    }

    /**
     * A rich message of an agent or a bot. {@code ref} is the adapter's reference for postbacks
     * and the elements' image URLs are the upstream's: neither reaches a tab, which is given
     * buttons by their place ({@code <element>.<button>}) and images as {@code files/<fileId>.<element>}.
     */
    record Rich(long seq, Instant time, String from, String template, List<ChatEvent.RichElement> elements,
            String ref, String fileId) implements RelayEvent {

        public Rich {
            elements = elements == null ? List.of() : List.copyOf(elements);
        }
    }

    /** An upstream event of a kind Parley does not show otherwise: a system notice, never dropped. */
    record Notice(long seq, Instant time, String upstreamType) implements RelayEvent {
    }
}
