package io.parley.relay;

import io.parley.upstream.Attachment;
import io.parley.upstream.ChatStart;
import io.parley.upstream.OfflineMessage;
import io.parley.upstream.Outgoing;
import java.util.ArrayList;
import java.util.List;

/**
 * What a transition of a {@link Conversation} asks to be carried out once its lock is released:
 * calls to the upstream, writes to the store, and acknowledgements that wait for a write. The
 * conversation decides; the relay does.
 */
final class Effects {

    /** A tab's message to acknowledge once what holds it is written. */
    record Ack(Tab tab, String clientId, long seq) {
    }

    /** A choice of a rich message's button to send upstream. */
    record Postback(String ref, String postbackId, boolean toggled) {
    }

    /** Start a chat upstream with this first message. */
    ChatStart start;
    Outgoing first;
    /** Give these messages to the upstream, in order. */
    final List<Outgoing> sends = new ArrayList<>(1);
    /** The visitor ended the chat: close it upstream. */
    boolean closeUpstream;
    /** Drive again the chat restored from the store. */
    boolean resume;
    /** Write the conversation with the next commit. */
    boolean save;
    /** Delete the conversation's record and stop driving its chat: it is forgotten. */
    boolean delete;
    /** Acknowledge this message once written. */
    Ack ack;
    /** Give the upstream the visitor's draft (typing), or how far they have seen the chat: spaced out already. */
    String draft;
    java.time.Instant seenUpTo;
    /** Ask the conversation again after this long: a live signal waits its turn ({@link SignalThrottle}). */
    java.time.Duration flushSignalsIn;
    /** Leave this message for later upstream. */
    OfflineMessage leave;
    /** A file the visitor sent that was not taken (a repeated id, or refused): its bytes can go. */
    Attachment unused;
    /** Send this choice upstream. */
    Postback postback;
    /** Tell the upstream the page the visitor is on now. */
    io.parley.upstream.VisitorPage page;
    /** Tell the upstream the visitor opened (true) or dismissed the greeting with this id. */
    String greeting;
    boolean greetingAccepted;
    /** Give the upstream the visitor's rating of the chat that ended (a null score takes it back). */
    io.parley.upstream.Rating rate;

    static Effects none() {
        return new Effects();
    }

    Effects save() {
        save = true;
        return this;
    }

    /** Takes what the conversation's {@link SignalThrottle} decided. */
    Effects signal(SignalThrottle.Step step) {
        if (step.call() != null) {
            draft = step.call().draft();
            seenUpTo = step.call().seenUpTo();
        }
        flushSignalsIn = step.flushIn();
        return this;
    }

    boolean upstreamCalls() {
        return start != null || !sends.isEmpty() || closeUpstream || resume || leave != null || postback != null
                || rate != null || greeting != null || page != null;
    }
}
