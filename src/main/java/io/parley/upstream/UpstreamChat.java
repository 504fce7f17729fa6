package io.parley.upstream;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * One visitor's chats with an upstream, one after another: start, send, close. Every outcome
 * comes back through the {@link Listener}; no method blocks or throws for an upstream failure,
 * which the adapter retries, settles or reports itself.
 *
 * <p>Threading: the relay never calls in while holding a conversation's lock. The adapter calls
 * the listener one call at a time per chat and in the order things happened, from its own
 * threads or from within these methods, and may hold its own lock while doing so.
 */
public interface UpstreamChat {

    /**
     * How long a call left without an answer (it timed out, or its connection broke) may still be
     * applied upstream, from a queue there. A read of the chat that does not hold such a message
     * shows it did not land only once this has passed since the call ended; before that, sending
     * it again could make it land twice. A call that was answered, even with an error, is settled
     * by any read made after the answer.
     */
    Duration IN_DOUBT = Duration.ofSeconds(5);

    /**
     * Starts a chat with the visitor's first message; retried while the upstream fails. Then
     * {@link Listener#started}, and the first message {@link Listener#delivered} (or not), or
     * {@link Listener#refused}.
     */
    void start(ChatStart start, Outgoing first);

    /**
     * Sends a visitor's message after every message given before it, exactly once, however the
     * upstream answers: an ambiguous outcome (it may have landed) is settled before the message
     * goes again. A message whose id was given before is not sent again.
     */
    void send(Outgoing message);

    /**
     * The visitor ends the chat. The relay has ended it for the tabs; messages not yet sent are
     * reported {@link Listener#notDelivered}, and the chat is closed upstream, best effort.
     */
    void close();

    /**
     * Leaves a message for the agents while nobody can chat ({@link Capability#AVAILABILITY}):
     * delivered the way the upstream keeps messages for later, then {@link Listener#messageLeft}
     * with its client id. Only where no chat is open; the visitor's chats go on as before.
     */
    default void leaveMessage(OfflineMessage message) {
        throw new UnsupportedOperationException("this upstream takes no messages left for later");
    }

    /**
     * The visitor chose a button of a rich message ({@link Capability#RICH_MESSAGES}):
     * {@code ref} is the message's {@link ChatEvent.RichMessage#ref()}, {@code postbackId} the
     * button's. Best effort, retried while the upstream fails; an upstream without rich messages
     * does nothing.
     */
    default void postback(String ref, String postbackId, boolean toggled) {
    }

    /** Drives again a chat restored from a snapshot: reads what happened meanwhile, sends what waits. */
    void resume();

    /** Makes no further call for this visitor: the conversation is gone, or driven elsewhere. */
    void release();

    /**
     * The visitor's draft, non-blank, for the agent to see while they type ({@link Capability#TYPING}).
     * Best effort: one that fails is not retried, as the next draft replaces it. The relay spaces
     * these out; an upstream without the capability does nothing.
     */
    default void typing(String draft) {
    }

    /**
     * The visitor has seen the chat's events up to this moment ({@link Capability#SEEN}), later
     * than any given before. Best effort, like {@link #typing}; an upstream without the capability
     * does nothing.
     */
    default void markSeen(Instant upTo) {
    }

    /**
     * The visitor rates the chat that ended last ({@link Capability#RATING}), or changes or takes
     * back their rating: each replaces the one before. Best effort, in the order given; an
     * upstream without the capability does nothing.
     */
    default void rate(Rating rating) {
    }

    /**
     * The page the visitor is on now, for agents to see: told on each change, and kept for the
     * next connection the adapter makes for the visitor. Best effort; an upstream without a
     * place for it does nothing.
     */
    default void visitorPage(VisitorPage page) {
    }

    /**
     * The visitor opened ({@code accepted}) or dismissed the greeting with this id, one the
     * adapter reported ({@link Capability#GREETINGS}). Best effort; an unknown id is ignored.
     */
    default void answerGreeting(String id, boolean accepted) {
    }

    /**
     * What must be kept to take this visitor's chat up again after a restart, without starting
     * another: opaque to the relay, and secret (it may hold upstream ids), never logged or shown.
     */
    String snapshot();

    /**
     * Runs {@code action} while nothing in the chat can change and every change so far has
     * reached the listener, so that what the caller records there matches {@link #snapshot()}
     * taken inside it. The action may take the conversation's lock; it must not call the upstream.
     */
    <T> T holding(Supplier<T> action);

    /** What the adapter reports, in the order it happened. */
    interface Listener {

        /** The chat is open upstream. */
        void started();

        /** No chat: the visitor is banned, or the upstream refused the start for good. */
        void refused(Refusal why);

        /** Whether the upstream can be reached for this chat now; said on each change only. */
        void reachable(boolean reachable);

        /** Something happened in the chat: a message (never the visitor's own, already shown), an agent, a file. */
        void received(ChatEvent event);

        /** The message with this client id landed upstream. */
        void delivered(String clientId);

        /**
         * The file with this client id landed upstream, where it is kept at {@code url} (http(s),
         * or null if the upstream did not say): the relay may drop its own copy of the bytes.
         */
        default void fileDelivered(String clientId, String url) {
            delivered(clientId);
        }

        /** The message with this client id did not land, and will not. */
        void notDelivered(String clientId, Undelivered why);

        /** The chat ended upstream (an agent closed it, it timed out, or the upstream lost it). */
        void ended(ClosedBy by, Instant at);

        /**
         * Everything one answer of the upstream brought has been reported (and the
         * {@link #snapshot()} may have changed): the conversation is written now. Said after
         * each answer that reported anything.
         */
        void changed();

        /**
         * The message left for later with this client id was taken by the upstream ({@code left}),
         * or will not be, whatever is tried.
         */
        default void messageLeft(String clientId, boolean left) {
        }

        /** Whether the visitor is here, and when they or an agent last spoke: what a polling pace depends on. */
        Presence presence();
    }

    /** Why a chat was not started. */
    enum Refusal {
        /** The upstream refuses chats from this visitor. */
        BANNED,
        /** The upstream refused the start for good (not a failure that passes). */
        FAILED,
        /** Nobody can take a chat now (the group is offline): not a failure, a state to tell the visitor. */
        OFFLINE
    }

    /** Why a message was not delivered. */
    enum Undelivered {
        /** The upstream refused this message for good. */
        REFUSED,
        /** The chat ended before it was sent. */
        CHAT_ENDED,
        /** The chat ended while it was being sent, and the call failed: it may not have landed. */
        MAYBE_BEFORE_END
    }

    /** Whether any tab of the visitor is attached, and the last message of the visitor or an agent (null for none). */
    record Presence(boolean tabs, Instant lastActivity) {
    }
}
