package io.parley.relay;

/**
 * Which node drives a conversation: calls its upstream chat (starts, sends, polls or holds its
 * socket, closes) and writes it. A node alone drives every conversation it holds; several nodes
 * sharing their conversations decide here that exactly one of them does, and the others only
 * serve their tabs.
 */
@FunctionalInterface
public interface Ownership {

    /** Whether this node is to drive the conversation with this key now. */
    boolean drivesHere(String key);

    /**
     * Which ids (of files shared in the conversation with this key) are found where the
     * conversation is: several nodes route a request for a file by its id alone. Any, for a node alone.
     */
    default java.util.function.Predicate<String> togetherWith(String key) {
        return id -> true;
    }

    /** One node on its own: it drives everything it holds. */
    static Ownership singleNode() {
        return key -> true;
    }
}
