package io.parley.store;

import io.parley.relay.StoredConversation;
import io.parley.upstream.AgentCard;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link StoredConversation} as the JSON that JSON-B writes for it (the same names,
 * nulls left out), with a streaming generator. A conversation is written at every change, and
 * JSON-B's generic path spent most of the writer's time hashing the whole record again for each
 * nested value it visited (its cycle check); records are read back with JSON-B as before.
 */
public final class RecordJson {

    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());
    private static final jakarta.json.bind.Jsonb READER = jakarta.json.bind.JsonbBuilder.create();

    private RecordJson() {
    }

    /** A record as JSON text, as stores keep it. */
    public static String write(StoredConversation c) {
        StringWriter out = new StringWriter(1024);
        try (JsonGenerator json = GENERATORS.createGenerator(out)) {
            json.writeStartObject();
            text(json, "key", c.key());
            text(json, "logId", c.logId());
            text(json, "origin", c.origin());
            text(json, "state", c.state());
            text(json, "closedBy", c.closedBy());
            agent(json, "agent", c.agent());
            if (c.start() != null) {
                json.writeStartObject("start");
                text(json, "welcomeMessage", c.start().welcomeMessage());
                text(json, "name", c.start().name());
                text(json, "email", c.start().email());
                if (c.start().group() != null) {
                    json.write("group", c.start().group());
                }
                json.writeEnd();
            }
            json.write("lastSeq", c.lastSeq());
            json.writeStartArray("events");
            for (StoredConversation.Event e : c.events()) {
                json.writeStartObject();
                text(json, "kind", e.kind());
                json.write("seq", e.seq());
                json.write("time", e.time());
                text(json, "from", e.from());
                text(json, "text", e.text());
                text(json, "clientId", e.clientId());
                agent(json, "agent", e.agent());
                text(json, "by", e.by());
                text(json, "url", e.url());
                text(json, "name", e.name());
                text(json, "contentType", e.contentType());
                text(json, "upstreamType", e.upstreamType());
                text(json, "fileId", e.fileId());
                if (e.size() != null) {
                    json.write("size", e.size());
                }
                text(json, "rich", e.rich());
                json.writeEnd();
            }
            json.writeEnd();
            sends(json, "accepted", c.accepted());
            sends(json, "unsent", c.unsent());
            if (c.lastActivity() != null) {
                json.write("lastActivity", c.lastActivity());
            }
            text(json, "socketOrigin", c.socketOrigin());
            text(json, "upstream", c.upstream());
            text(json, "visitorId", c.visitorId());
            text(json, "securedSessionId", c.securedSessionId());
            if (c.seenIds() != null) {
                json.writeStartArray("seenIds");
                c.seenIds().forEach(json::write);
                json.writeEnd();
            }
            if (c.awaitingEcho() != null) {
                sends(json, "awaitingEcho", c.awaitingEcho());
            }
            if (c.rating() != null) {
                json.writeStartObject("rating");
                text(json, "score", c.rating().score());
                text(json, "comment", c.rating().comment());
                json.writeEnd();
            }
            json.writeEnd();
        }
        return out.toString();
    }

    /** A record from its JSON text; throws if the text is not one. */
    public static StoredConversation read(String json) {
        return READER.fromJson(json, StoredConversation.class);
    }

    private static void sends(JsonGenerator json, String name, List<StoredConversation.Send> sends) {
        json.writeStartArray(name);
        for (StoredConversation.Send send : sends) {
            json.writeStartObject();
            text(json, "clientId", send.clientId());
            json.write("seq", send.seq());
            text(json, "text", send.text());
            if (send.attempts() != null) {
                json.write("attempts", send.attempts());
            }
            if (send.file() != null) {
                json.writeStartObject("file");
                text(json, "fileId", send.file().fileId());
                text(json, "name", send.file().name());
                text(json, "contentType", send.file().contentType());
                json.write("size", send.file().size());
                text(json, "path", send.file().path());
                json.writeEnd();
            }
            json.writeEnd();
        }
        json.writeEnd();
    }

    private static void agent(JsonGenerator json, String name, AgentCard agent) {
        if (agent == null) {
            return;
        }
        json.writeStartObject(name);
        text(json, "name", agent.name());
        text(json, "jobTitle", agent.jobTitle());
        text(json, "avatarUrl", agent.avatarUrl());
        json.writeEnd();
    }

    private static void text(JsonGenerator json, String name, String value) {
        if (value != null) {
            json.write(name, value);
        }
    }
}
