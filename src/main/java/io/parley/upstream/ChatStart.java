package io.parley.upstream;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What a chat starts with: the welcome message (at most 1024 characters upstream) and the
 * visitor's optional name, e-mail and group.
 */
public record ChatStart(String welcomeMessage, String name, String email, OptionalInt group) {

    public static final int MAX_WELCOME_MESSAGE_LENGTH = 1024;

    public ChatStart {
        Objects.requireNonNull(welcomeMessage, "welcomeMessage");
        Objects.requireNonNull(group, "group");
    }

    /** A start with only a welcome message: the upstream names the visitor "Client". */
    public static ChatStart withWelcome(String welcomeMessage) {
        return new ChatStart(welcomeMessage, null, null, OptionalInt.empty());
    }
}
