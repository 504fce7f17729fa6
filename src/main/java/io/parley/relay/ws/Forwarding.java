package io.parley.relay.ws;

import java.net.URI;
import java.util.Optional;

/**
 * Where a tab's conversation is driven, when nodes share conversations: a tab that says hello
 * with the token of a conversation another node drives is forwarded there, frame for frame, so
 * that no load balancer needs to be sticky. A node alone forwards nothing.
 */
public interface Forwarding {

    /** The header a forwarded handshake carries the shared secret in: nodes trust only each other's word. */
    String SECRET_HEADER = "X-Parley-Forwarded";

    /** The header a forwarded handshake carries the tab's own address in, as the first node saw it. */
    String CLIENT_ADDRESS_HEADER = "X-Parley-Client-Address";

    /** The header a forwarded handshake carries the tab's own handshake {@code Origin} in (empty: none). */
    String SOCKET_ORIGIN_HEADER = "X-Parley-Socket-Origin";

    /**
     * The relay socket ({@code ws://…/ws}) of the node that drives this token's conversation,
     * when that is another node whose address is known; empty when this node is the one, or no
     * node drives it yet (the tab is then served here, as a new visitor if the token is unknown).
     */
    Optional<URI> driverOf(String token);

    /**
     * The relay socket of the node that holds the file of this id (a file's id is found where its
     * conversation is driven), when that is another node whose address is known.
     */
    default Optional<URI> driverOfFile(String fileId) {
        return Optional.empty();
    }

    /** The header a forwarded request carries the {@code Host} it was sent to in. */
    String HOST_HEADER = "X-Parley-Forwarded-Host";

    /** Whether this token's conversation is driven elsewhere, though where is not known yet: the tab is to come back. */
    default boolean drivenElsewhereUnknown(String token) {
        return false;
    }

    /**
     * Called before a tab of this token is served here: a conversation this node is to drive, but
     * has not taken over yet (its driver just failed), is taken over now, so that the tab resumes
     * it rather than starting anew. False while it cannot be yet: the tab is to come back.
     */
    default boolean prepare(String token) {
        return true; // a node alone holds every conversation it drives from the start
    }

    /** The secret forwarded handshakes carry; empty for a node alone, whose handshakes are never forwarded. */
    String secret();

    /** A node alone. */
    Forwarding NONE = new Forwarding() {
        @Override
        public Optional<URI> driverOf(String token) {
            return Optional.empty();
        }

        @Override
        public String secret() {
            return "";
        }
    };

    /** Whether a handshake carrying this value came from another node of the cluster. */
    default boolean trusts(String header) {
        if (header == null) {
            return false; // the common case, answered without asking the cluster for its secret
        }
        String secret = secret();
        return !secret.isEmpty() && java.security.MessageDigest.isEqual(
                secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
