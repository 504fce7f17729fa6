package io.parley.livechat.v3;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.util.List;

/**
 * What a v3 chat keeps across a restart, as the opaque snapshot the relay stores: the customer
 * and the chat upstream, whether its thread is open, the event ids relayed and the visitor's
 * message ids known to have landed. No token: a fresh one is minted for the customer. It holds
 * upstream ids: never logged or shown.
 *
 * @param entityId the customer's id ({@code entity_id}), or null before the first token
 * @param chatId   the chat, or null before the first start
 * @param threadId the current thread
 * @param active   whether the thread is open
 * @param seen     event ids already relayed in the thread
 * @param landed   client message ids ({@code custom_id}) known to have landed
 * @param agents   the agents in the thread, so that a restart does not say they joined again
 * @param lastSeq  the highest event number relayed in the thread
 * @param forgottenUpTo events numbered up to this were relayed before the oldest of {@code seen}
 */
public record V3Snapshot(String entityId, String chatId, String threadId, boolean active, List<String> seen,
        List<String> landed, List<Agent> agents, long lastSeq, long forgottenUpTo) {

    /** An agent in the thread: their user id upstream and their card. */
    public record Agent(String id, String name, String jobTitle, String avatarUrl) {
    }

    private static final Jsonb JSON = JsonbBuilder.create();

    public V3Snapshot {
        seen = seen == null ? List.of() : List.copyOf(seen);
        landed = landed == null ? List.of() : List.copyOf(landed);
        agents = agents == null ? List.of() : List.copyOf(agents);
    }

    String toJson() {
        return JSON.toJson(this);
    }

    /** @throws IllegalArgumentException if the text is not a snapshot this adapter wrote */
    static V3Snapshot fromJson(String json) {
        if (json.contains("\"visitorId\"") || json.contains("\"securedSessionId\"")) {
            // written by the v2 adapter before the upstream setting changed: its chat is not a v3 chat
            throw new IllegalArgumentException("the upstream snapshot is of another upstream (v2)");
        }
        V3Snapshot snapshot;
        try {
            snapshot = JSON.fromJson(json, V3Snapshot.class);
        } catch (JsonbException e) {
            throw new IllegalArgumentException("the upstream snapshot cannot be read", e);
        }
        if (snapshot == null || (snapshot.chatId() != null && snapshot.entityId() == null)) {
            throw new IllegalArgumentException("the upstream snapshot lacks its customer");
        }
        return snapshot;
    }
}
