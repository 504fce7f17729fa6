package io.parley.relay;

import java.util.List;

/**
 * A conversation as it is written to a {@link ConversationStore}: everything needed to resume it
 * after a restart without starting a new upstream chat. It holds the upstream ids, so it must
 * never be logged or sent to a browser; the visitor's token is kept only as its hash.
 *
 * @param key the SHA-256 of the visitor's token, which is what the registry finds it by
 * @param logId the short id of log lines
 * @param origin the origin of the site that embeds the widget, or null for the page on its own
 * @param visitorId the upstream visitor id
 * @param securedSessionId the upstream session, while a chat is open
 * @param lastActivity epoch milliseconds of the last message of the visitor or an agent, or null
 * @param socketOrigin the {@code Origin} of the handshake the token was issued through, empty
 *                     for none; null in records written before it was kept
 */
public record StoredConversation(
        String key,
        String logId,
        String origin,
        String visitorId,
        String securedSessionId,
        String state,
        String closedBy,
        AgentCard agent,
        Start start,
        long lastSeq,
        List<Event> events,
        List<Long> seenIds,
        List<Send> accepted,
        List<Send> unsent,
        List<Send> awaitingEcho,
        Long lastActivity,
        String socketOrigin) {

    /** The chat start being made, kept so a start in progress can be made again. */
    public record Start(String welcomeMessage, String name, String email, Integer group) {
    }

    /** One relayed event; fields that do not apply to its kind are null. */
    public record Event(String kind, long seq, long time, String from, String text, String clientId,
            AgentCard agent, String by, String url, String name, String contentType, String upstreamType) {
    }

    /**
     * A visitor message accepted from a tab; {@code text} and {@code attempts} are null in the
     * list of accepted ids. Of an unsent message, {@code attempts} counts the calls that may have
     * landed; of one awaiting its echo, the echoes still due.
     */
    public record Send(String clientId, long seq, String text, Integer attempts) {
    }
}
