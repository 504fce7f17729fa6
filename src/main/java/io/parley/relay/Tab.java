package io.parley.relay;

/**
 * One browser tab attached to a conversation. Implementations queue what they are given and
 * never block or throw: the relay calls them while holding the conversation's lock.
 */
public interface Tab {

    /** Delivers a message to the tab, in the order of calls. */
    void deliver(TabMessage message);

    /** Ends the tab's connection after what was delivered, e.g. when refused as busy. */
    void end(TabMessage.Error reason);

    /** Ends the connection as a server going away would; the tab reconnects and resumes. */
    void disconnect();
}
