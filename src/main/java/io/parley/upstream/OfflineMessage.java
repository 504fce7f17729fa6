package io.parley.upstream;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A message a visitor leaves while nobody can chat: the agents answer it later, by e-mail, so
 * the address is required. {@code clientId} is the tab's id for it, as for {@link Outgoing}.
 */
public record OfflineMessage(String clientId, String name, String email, String text, OptionalInt group) {

    public OfflineMessage {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(group, "group");
    }
}
