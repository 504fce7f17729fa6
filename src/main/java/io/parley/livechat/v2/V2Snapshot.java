package io.parley.livechat.v2;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.util.List;

/**
 * What a v2 chat keeps across a restart, as the opaque snapshot the relay stores: the visitor id
 * this node drew, the session of the open chat, the message ids seen, and the visitor's messages
 * on their way or with echoes still due. It holds upstream ids: never logged or shown.
 *
 * @param visitorId        the upstream {@code visitor_id}, drawn by Parley
 * @param securedSessionId the upstream session while a chat is open, else null
 * @param seenIds          the {@code message_id}s already relayed in the open chat
 * @param unsent           messages not known to have landed, with the calls that may have landed
 * @param awaitingEcho     landed messages, with the echoes still due
 * @param landed           client ids known to have landed, so that none is sent twice
 */
public record V2Snapshot(String visitorId, String securedSessionId, List<Long> seenIds, List<Send> unsent,
        List<Send> awaitingEcho, List<String> landed) {

    private static final Jsonb JSON = JsonbBuilder.create();

    /** One message; {@code count} is its attempts when unsent, its echoes still due when awaiting them. */
    public record Send(String clientId, String text, int count) {
    }

    public V2Snapshot {
        seenIds = seenIds == null ? List.of() : List.copyOf(seenIds);
        unsent = unsent == null ? List.of() : List.copyOf(unsent);
        awaitingEcho = awaitingEcho == null ? List.of() : List.copyOf(awaitingEcho);
        landed = landed == null ? List.of() : List.copyOf(landed);
    }

    String toJson() {
        return JSON.toJson(this);
    }

    /** @throws IllegalArgumentException if the text is not a snapshot this adapter wrote */
    static V2Snapshot fromJson(String json) {
        V2Snapshot snapshot;
        try {
            snapshot = JSON.fromJson(json, V2Snapshot.class);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("the upstream snapshot cannot be read", e);
        }
        if (snapshot == null || snapshot.visitorId() == null) {
            throw new IllegalArgumentException("the upstream snapshot lacks its visitor id");
        }
        return snapshot;
    }
}
