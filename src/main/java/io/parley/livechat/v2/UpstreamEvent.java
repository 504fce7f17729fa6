package io.parley.livechat.v2;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One event of a chat as the upstream reports it. {@code messageId} is one increasing sequence
 * per chat, shared by every type; it is what duplicates are recognised by.
 */
public sealed interface UpstreamEvent {

    long messageId();

    Instant timestamp();

    /** An agent joined or changed their details. The avatar URL may lack a scheme. */
    record AgentDetails(long messageId, Instant timestamp, String name, String jobTitle, String avatar)
            implements UpstreamEvent {

        /** The avatar as an http(s) URL, {@code https} added when the upstream left the scheme out. */
        public Optional<URI> avatarUrl() {
            if (avatar == null || avatar.isBlank()) {
                return Optional.empty();
            }
            String text = avatar.strip();
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.startsWith("//")) {
                text = "https:" + text;
            } else if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
                if (lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
                    return Optional.empty(); // another scheme (javascript:, data:, ...)
                }
                text = "https://" + text;
            }
            try {
                URI uri = URI.create(text);
                return uri.getHost() == null ? Optional.empty() : Optional.of(uri);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
    }

    /** A chat message, from the visitor (the upstream echoes the visitor's own), an agent or a supervisor. */
    record Message(long messageId, Instant timestamp, UserType from, String text) implements UpstreamEvent {
    }

    /** The chat was closed (a {@code chat_closed} event, or an {@code event} of {@code event_type: closed}). */
    record ChatClosed(long messageId, Instant timestamp, UserType by) implements UpstreamEvent {
    }

    /** A file shared in the chat. */
    record Attachment(long messageId, Instant timestamp, UserType from, String url, String name,
            String contentType) implements UpstreamEvent {
    }

    /**
     * An event of a type Parley does not know, or a known type missing a field it needs: kept
     * with its raw fields so that it can be shown as a notice rather than dropped.
     */
    record Other(long messageId, Instant timestamp, String type, UserType from, Map<String, Object> fields)
            implements UpstreamEvent {

        public Other {
            fields = Map.copyOf(fields);
        }
    }
}
