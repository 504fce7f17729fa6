package io.parley.relay;

import io.parley.upstream.ChatEvent;
import io.parley.upstream.ChatStart;
import io.parley.upstream.ClosedBy;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;

/** The stored forms of a conversation's events and chat start, and back. */
final class ConversationRecords {

    private static final Jsonb JSONB = JsonbBuilder.create();

    /** A rich message as its record holds it, in the event's {@code rich} field. */
    public record StoredRich(String template, String ref, List<ChatEvent.RichElement> elements) {
    }

    private ConversationRecords() {
    }

    static StoredConversation.Event event(RelayEvent event) {
        long seq = event.seq();
        long time = event.time().toEpochMilli();
        if (event instanceof RelayEvent.Said said) {
            return StoredConversation.Event.of("said", seq, time, said.from(), said.text(), said.clientId(),
                    null, null, null, null, null, null);
        } else if (event instanceof RelayEvent.AgentJoined joined) {
            return StoredConversation.Event.of("agent", seq, time, null, null, null, joined.agent(),
                    null, null, null, null, null);
        } else if (event instanceof RelayEvent.Closed closed) {
            return StoredConversation.Event.of("closed", seq, time, null, null, null, null,
                    closed.by().name(), null, null, null, null);
        } else if (event instanceof RelayEvent.Shared file) {
            return new StoredConversation.Event("file", seq, time, file.from(), null, file.clientId(), null, null,
                    file.url(), file.name(), file.contentType(), null, file.fileId(),
                    file.size() < 0 ? null : file.size(), null);
        } else if (event instanceof RelayEvent.Rich rich) {
            return new StoredConversation.Event("rich", seq, time, rich.from(), null, null, null, null, null, null,
                    null, null, rich.fileId(), null,
                    JSONB.toJson(new StoredRich(rich.template(), rich.ref(), rich.elements())));
        }
        RelayEvent.Notice notice = (RelayEvent.Notice) event;
        return StoredConversation.Event.of("notice", seq, time, null, null, null, null, null, null, null, null,
                notice.upstreamType());
    }

    static RelayEvent event(StoredConversation.Event e) {
        Instant time = Instant.ofEpochMilli(e.time());
        switch (e.kind()) {
            case "said": return new RelayEvent.Said(e.seq(), time, e.from(), e.text(), e.clientId());
            case "agent": return new RelayEvent.AgentJoined(e.seq(), time, e.agent());
            case "closed": return new RelayEvent.Closed(e.seq(), time, ClosedBy.valueOf(e.by()));
            case "file": return new RelayEvent.Shared(e.seq(), time, e.from(), e.url(), e.name(), e.contentType(),
                    // files of records written before Parley served them get an id now
                    e.fileId() == null ? VisitorTokens.newFileId() : e.fileId(), e.clientId(),
                    e.size() == null ? -1 : e.size());
            case "rich": return rich(e, time);
            case "notice": return new RelayEvent.Notice(e.seq(), time, e.upstreamType());
            default: throw new IllegalArgumentException("unknown event kind '" + e.kind() + "'");
        }
    }

    private static RelayEvent rich(StoredConversation.Event e, Instant time) {
        StoredRich rich;
        try {
            rich = JSONB.fromJson(e.rich(), StoredRich.class);
        } catch (JsonbException | IllegalArgumentException | NullPointerException broken) {
            throw new IllegalArgumentException("a rich message's record cannot be read");
        }
        return new RelayEvent.Rich(e.seq(), time, e.from(), rich.template(), rich.elements(), rich.ref(), e.fileId());
    }

    static StoredConversation.Start start(ChatStart start) {
        return start == null ? null : new StoredConversation.Start(start.welcomeMessage(), start.name(), start.email(),
                start.group().isPresent() ? start.group().getAsInt() : null);
    }

    static ChatStart start(StoredConversation.Start start) {
        return start == null ? null : new ChatStart(start.welcomeMessage(), start.name(), start.email(),
                start.group() == null ? OptionalInt.empty() : OptionalInt.of(start.group()));
    }

    static StoredConversation.Rated rated(io.parley.upstream.Rating rating) {
        return rating == null ? null : new StoredConversation.Rated(rating.score().label(), rating.comment());
    }

    /** A stored rating; one this version cannot read is dropped rather than failing the whole record. */
    static io.parley.upstream.Rating rating(StoredConversation.Rated rated) {
        if (rated == null || rated.score() == null) {
            return null;
        }
        for (io.parley.upstream.Rating.Score score : io.parley.upstream.Rating.Score.values()) {
            if (score.label().equals(rated.score())) {
                return new io.parley.upstream.Rating(score, rated.comment());
            }
        }
        return null;
    }
}
