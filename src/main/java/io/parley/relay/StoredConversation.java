package io.parley.relay;

import io.parley.upstream.AgentCard;
import java.util.List;

/**
 * A conversation as it is written to a {@link ConversationStore}: everything needed to resume it
 * after a restart without starting a new upstream chat. The upstream's part is its own opaque
 * snapshot, which may hold upstream ids, so a record must never be logged or sent to a browser;
 * the visitor's token is kept only as its hash.
 *
 * @param key the SHA-256 of the visitor's token, which is what the registry finds it by
 * @param logId the short id of log lines
 * @param origin the origin of the site that embeds the widget, or null for the page on its own
 * @param accepted the client ids of the visitor's messages taken, with their sequence numbers
 * @param unsent the visitor's messages not yet known to be delivered, in order
 * @param lastActivity epoch milliseconds of the last message of the visitor or an agent, or null
 * @param socketOrigin the {@code Origin} of the handshake the token was issued through, empty
 *                     for none; null in records written before it was kept
 * @param upstream the upstream's snapshot of the visitor's chat ({@code UpstreamChat#snapshot})
 * @param visitorId        of records written before the upstream kept its own snapshot: the v2 visitor id
 * @param securedSessionId of such records: the v2 session while a chat was open
 * @param seenIds          of such records: the v2 message ids relayed
 * @param awaitingEcho     of such records: the v2 sends whose echoes were still due
 * @param rating the visitor's rating of the chat that ended, while it may change; null for none
 */
public record StoredConversation(
        String key,
        String logId,
        String origin,
        String state,
        String closedBy,
        AgentCard agent,
        Start start,
        long lastSeq,
        List<Event> events,
        List<Send> accepted,
        List<Send> unsent,
        Long lastActivity,
        String socketOrigin,
        String upstream,
        String visitorId,
        String securedSessionId,
        List<Long> seenIds,
        List<Send> awaitingEcho,
        Rated rating) {

    public StoredConversation {
        events = events == null ? List.of() : events;
        accepted = accepted == null ? List.of() : accepted;
        unsent = unsent == null ? List.of() : unsent;
    }

    /** A record as this version writes it: the upstream's part is its snapshot alone. */
    public static StoredConversation of(String key, String logId, String origin, String state, String closedBy, AgentCard agent,
            Start start, long lastSeq, List<Event> events, List<Send> accepted, List<Send> unsent, Long lastActivity,
            String socketOrigin, String upstream) {
        return new StoredConversation(key, logId, origin, state, closedBy, agent, start, lastSeq, events, accepted, unsent, lastActivity,
                socketOrigin, upstream, null, null, null, null, null);
    }

    /** The same record with the upstream's snapshot, and without the fields that stood for it before. */
    public StoredConversation withUpstream(String snapshot) {
        return of(key, logId, origin, state, closedBy, agent, start, lastSeq, events, accepted, unsent, lastActivity,
                socketOrigin, snapshot).withRating(rating);
    }

    /** The same record with this rating (null for none). */
    public StoredConversation withRating(Rated rated) {
        return new StoredConversation(key, logId, origin, state, closedBy, agent, start, lastSeq, events, accepted,
                unsent, lastActivity, socketOrigin, upstream, visitorId, securedSessionId, seenIds, awaitingEcho, rated);
    }

    /** Whether the record was written before the upstream kept its own snapshot. */
    public boolean legacy() {
        return upstream == null && visitorId != null;
    }

    /** The visitor's rating: {@code score} {@code good} or {@code bad}, and the comment or null. */
    public record Rated(String score, String comment) {
    }

    /** The chat start being made, kept so a start in progress can be made again. */
    public record Start(String welcomeMessage, String name, String email, Integer group) {
    }

    /**
     * One relayed event; fields that do not apply to its kind are null. A file's {@code fileId}
     * and {@code size}; a rich message's template, elements and reference as JSON in {@code rich}.
     */
    public record Event(String kind, long seq, long time, String from, String text, String clientId,
            AgentCard agent, String by, String url, String name, String contentType, String upstreamType,
            String fileId, Long size, String rich) {

        /** An event of a kind that holds no file or rich message. */
        public static Event of(String kind, long seq, long time, String from, String text, String clientId,
                AgentCard agent, String by, String url, String name, String contentType, String upstreamType) {
            return new Event(kind, seq, time, from, text, clientId, agent, by, url, name, contentType, upstreamType, null, null,
                    null);
        }
    }

    /**
     * A visitor message accepted from a tab; {@code text} is null in the list of accepted ids.
     * {@code attempts} is read only from records of earlier versions.
     */
    public record Send(String clientId, long seq, String text, Integer attempts, Upload file) {

        /** A text message's. */
        public static Send of(String clientId, long seq, String text, Integer attempts) {
            return new Send(clientId, seq, text, attempts, null);
        }
    }

    /**
     * A file of the visitor's not yet known to be delivered: its bytes wait in the upload spool at
     * {@code path} (never in the record), under Parley's id {@code fileId}.
     */
    public record Upload(String fileId, String name, String contentType, long size, String path) {
    }
}
