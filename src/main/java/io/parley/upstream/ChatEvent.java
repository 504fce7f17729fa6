package io.parley.upstream;

import java.time.Instant;
import java.util.List;

/**
 * Something that happened in a chat, whatever upstream reported it, normalised: no upstream id
 * or type reaches the relay but as one of these. Duplicates and the visitor's own echoed
 * messages are the adapter's to leave out. {@code time} is the upstream's, or null if it gave none.
 */
public sealed interface ChatEvent {

    Instant time();

    /** A message from an agent, a supervisor or, typed elsewhere, the visitor. */
    record Message(Instant time, Author from, String text) implements ChatEvent {
    }

    /** An agent joined the chat or changed their details. */
    record AgentJoined(Instant time, AgentCard agent) implements ChatEvent {
    }

    /** An agent left the chat, which goes on. */
    record AgentLeft(Instant time, AgentCard agent) implements ChatEvent {
    }

    /** A file shared in the chat; {@code url} is http(s) or null. */
    record File(Instant time, Author from, String url, String name, String contentType) implements ChatEvent {
    }

    /** An event of a kind the adapter does not know, shown as a notice rather than dropped. */
    record Notice(Instant time, String type) implements ChatEvent {
    }

    /** An agent started or stopped typing ({@link Capability#TYPING}). */
    record Typing(Instant time, boolean typing) implements ChatEvent {
    }

    /** The agent has seen the visitor's messages up to this moment ({@link Capability#SEEN}). */
    record Seen(Instant time, Instant upTo) implements ChatEvent {
    }

    /** The visitor's place in the queue and the expected wait in seconds ({@link Capability#QUEUE_POSITION}). */
    record QueuePosition(Instant time, int position, int waitSeconds) implements ChatEvent {
    }

    /**
     * An agent's or a rule's greeting, before a chat ({@link Capability#GREETINGS}): shown until
     * the visitor opens or dismisses it, or another replaces it. {@code id} is the adapter's own,
     * never the upstream's; {@code agent} may be null.
     */
    record Greeting(Instant time, String id, AgentCard agent, String text) implements ChatEvent {
    }

    /** Whether anyone can take the chat now ({@link Capability#AVAILABILITY}). */
    record Availability(Instant time, boolean online) implements ChatEvent {
    }

    /**
     * A rich message of an agent or a bot ({@link Capability#RICH_MESSAGES}): a template
     * ({@code cards}, {@code sticker}, {@code quick_replies}, or one the page does not know, shown
     * as text) and its elements. {@code ref} is the adapter's own reference to the event, which the
     * relay gives back with a postback: opaque, secret (it may hold upstream ids), never shown.
     */
    record RichMessage(Instant time, Author from, String template, List<RichElement> elements, String ref)
            implements ChatEvent {

        public RichMessage {
            elements = elements == null ? List.of() : List.copyOf(elements);
        }
    }

    /** One element of a rich message: texts, an http(s) image or null, and its buttons. */
    record RichElement(String title, String subtitle, String imageUrl, String imageAlt, List<RichButton> buttons) {

        public RichElement {
            buttons = buttons == null ? List.of() : List.copyOf(buttons);
        }
    }

    /**
     * A button of a rich message. {@code type} is {@code message}, {@code url}, {@code phone},
     * {@code webview} or null; {@code value} its URL or phone number; {@code postbackId} what a
     * click sends back upstream (the designer's name of the action, never shown as an id).
     */
    record RichButton(String text, String type, String value, String postbackId) {
    }
}
