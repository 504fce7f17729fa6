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
     * Whether an id (of a file shared in a conversation) is found where the conversation with
     * this key is: several nodes route a request for a file by its id alone. Always, for a node alone.
     */
    default boolean together(String key, String id) {
        return true;
    }

    /** One node on its own: it drives everything it holds. */
    static Ownership singleNode() {
        return key -> true;
    }
}
