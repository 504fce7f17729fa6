package io.parley.relay;

import io.parley.upstream.ChatStart;
import io.parley.upstream.UpstreamSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.ToIntFunction;

/** Turns a conversation into its {@link StoredConversation} and back. */
final class ConversationRecords {

    private ConversationRecords() {
    }

    /** The stored form of a conversation; called under its lock. */
    static StoredConversation of(Conversation c) {
        List<StoredConversation.Send> accepted = new ArrayList<>();
        c.sends.accepted().forEach((clientId, seq) -> accepted.add(new StoredConversation.Send(clientId, seq, null, null)));
        return new StoredConversation(c.key(), c.logId(), c.origin(), c.visitorId(),
                c.session == null ? null : c.session.securedSessionId(),
                c.state.name(), c.closedBy == null ? null : c.closedBy.name(), c.agent, start(c.startRequest),
                c.log.lastSeq(), c.log.all().stream().map(ConversationRecords::event).toList(), c.seen.ids(),
                accepted, stored(c.sends.unsent(), send -> send.attempts),
                stored(c.sends.awaitingEcho(), send -> send.mayHaveLanded() - send.echoes),
                millis(c.lastActivity), c.socketOrigin());
    }

    /**
     * A conversation as it was stored, with no tab attached since {@code now}.
     *
     * @throws IllegalArgumentException if the record is not one this version wrote
     */
    static Conversation restore(StoredConversation stored, Instant now) {
        if (stored.key() == null || stored.visitorId() == null || stored.logId() == null) {
            throw new IllegalArgumentException("a conversation record lacks its key or ids");
        }
        Conversation c = new Conversation(stored.key(), stored.origin(), stored.socketOrigin(), stored.visitorId(),
                stored.logId());
        c.state = ConversationState.valueOf(stored.state());
        c.closedBy = stored.closedBy() == null ? null : ClosedBy.valueOf(stored.closedBy());
        c.agent = stored.agent();
        c.startRequest = start(stored.start());
        if (stored.securedSessionId() != null) {
            c.session = new UpstreamSession(stored.visitorId(), stored.securedSessionId());
        } else if (c.state.open()) {
            throw new IllegalArgumentException("an open chat's record lacks its session");
        }
        c.log.restore(stored.lastSeq(), stored.events().stream().map(ConversationRecords::event).toList());
        stored.seenIds().forEach(c.seen::add);
        Map<String, Long> accepted = new LinkedHashMap<>();
        stored.accepted().forEach(send -> accepted.put(send.clientId(), send.seq()));
        c.sends.restore(accepted, sends(stored.unsent(), 0), sends(stored.awaitingEcho(), 1), c.state.open(), now);
        c.lastActivity = stored.lastActivity() == null ? null : Instant.ofEpochMilli(stored.lastActivity());
        c.lastTabLeftAt = now; // restored without tabs: they have the grace period to come back
        c.unconfirmedSinceRestore = c.state.open();
        return c;
    }

    private static StoredConversation.Event event(RelayEvent event) {
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

    private static RelayEvent event(StoredConversation.Event e) {
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

    private static StoredConversation.Start start(ChatStart start) {
        return start == null ? null : new StoredConversation.Start(start.welcomeMessage(), start.name(), start.email(),
                start.group().isPresent() ? start.group().getAsInt() : null);
    }

    private static ChatStart start(StoredConversation.Start start) {
        return start == null ? null : new ChatStart(start.welcomeMessage(), start.name(), start.email(),
                start.group() == null ? OptionalInt.empty() : OptionalInt.of(start.group()));
    }

    private static List<StoredConversation.Send> stored(List<VisitorSends.Send> sends,
            ToIntFunction<VisitorSends.Send> attempts) {
        return sends.stream().map(send -> new StoredConversation.Send(send.clientId, send.seq, send.text,
                attempts.applyAsInt(send))).toList();
    }

    /** @param attemptsUnknown what records written before attempts were counted stand for */
    private static List<VisitorSends.Send> sends(List<StoredConversation.Send> stored, int attemptsUnknown) {
        List<VisitorSends.Send> sends = new ArrayList<>(stored.size());
        stored.forEach(record -> {
            VisitorSends.Send send = new VisitorSends.Send(record.clientId(), record.text(), record.seq());
            send.attempts = record.attempts() == null ? attemptsUnknown : record.attempts();
            sends.add(send);
        });
        return sends;
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
