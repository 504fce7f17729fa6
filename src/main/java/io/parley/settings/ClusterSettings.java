package io.parley.settings;

import java.util.List;
import java.util.Optional;

/**
 * How this node finds the others it shares conversations with: {@code cluster-members} (each
 * {@code host:port}), {@code cluster-port}, {@code cluster-name} and {@code cluster-interface}.
 * Without members, the node runs alone.
 *
 * @param members        the members' addresses, this one's among them
 * @param port           this member's port
 * @param name           nodes of another name never join
 * @param networkInterface the address to bind and announce; empty: the first member's host that is local
 */
public record ClusterSettings(List<Member> members, int port, String name, Optional<String> networkInterface) {

    /** Port of a member that names none, and this member's by default. */
    public static final int DEFAULT_PORT = 5701;

    /** One member's address, as {@code cluster-members} lists it. */
    public record Member(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** Parses {@code host:port,host:port}; a member without a port has the default one. */
    static List<Member> parseMembers(String value) {
        List<Member> members = new java.util.ArrayList<>();
        for (String part : value.split(",")) {
            String member = part.strip();
            if (member.isEmpty()) {
                continue;
            }
            String host = member;
            int port = DEFAULT_PORT;
            int colon = member.lastIndexOf(':');
            boolean bracketed = member.startsWith("[");
            if (colon > 0 && (!member.contains("]") || colon > member.indexOf(']')) && (bracketed
                    || member.indexOf(':') == colon)) {
                host = member.substring(0, colon);
                port = port(member.substring(colon + 1), member);
            }
            if (bracketed) {
                if (!host.endsWith("]")) {
                    throw new IllegalArgumentException(member + " is not host:port");
                }
                host = host.substring(1, host.length() - 1);
            }
            if (!host.matches("[A-Za-z0-9._:-]{1,253}")) {
                throw new IllegalArgumentException(member + " is not host:port");
            }
            members.add(new Member(host, port));
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("names no member");
        }
        return List.copyOf(members);
    }

    private static int port(String text, String member) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // told below
        }
        throw new IllegalArgumentException(member + " has no port between 1 and 65535");
    }
}
