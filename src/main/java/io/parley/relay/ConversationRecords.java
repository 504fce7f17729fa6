package io.parley.relay;

import io.parley.upstream.AgentCard;
import io.parley.upstream.ChatStart;
import io.parley.upstream.ClosedBy;
import java.time.Instant;
import java.util.OptionalInt;

/** The stored forms of a conversation's events and chat start, and back. */
final class ConversationRecords {

    private ConversationRecords() {
    }

    static StoredConversation.Event event(RelayEvent event) {
        long seq = event.seq();
        long time = event.time().toEpochMilli();
        if (event instanceof RelayEvent.Said said) {
            return new StoredConversation.Event("said", seq, time, said.from(), said.text(), said.clientId(),
                    null, null, null, null, null, null);
        } else if (event instanceof RelayEvent.AgentJoined joined) {
            return new StoredConversation.Event("agent", seq, time, null, null, null, joined.agent(),
                    null, null, null, null, null);
        } else if (event instanceof RelayEvent.Closed closed) {
            return new StoredConversation.Event("closed", seq, time, null, null, null, null,
                    closed.by().name(), null, null, null, null);
        } else if (event instanceof RelayEvent.Shared file) {
            return new StoredConversation.Event("file", seq, time, file.from(), null, null, null, null,
                    file.url(), file.name(), file.contentType(), null);
        }
        RelayEvent.Notice notice = (RelayEvent.Notice) event;
        return new StoredConversation.Event("notice", seq, time, null, null, null, null, null, null, null, null,
                notice.upstreamType());
    }

    static RelayEvent event(StoredConversation.Event e) {
        Instant time = Instant.ofEpochMilli(e.time());
        switch (e.kind()) {
            case "said": return new RelayEvent.Said(e.seq(), time, e.from(), e.text(), e.clientId());
            case "agent": return new RelayEvent.AgentJoined(e.seq(), time, e.agent());
            case "closed": return new RelayEvent.Closed(e.seq(), time, ClosedBy.valueOf(e.by()));
            case "file": return new RelayEvent.Shared(e.seq(), time, e.from(), e.url(), e.name(), e.contentType());
            case "notice": return new RelayEvent.Notice(e.seq(), time, e.upstreamType());
            default: throw new IllegalArgumentException("unknown event kind '" + e.kind() + "'");
        }
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
