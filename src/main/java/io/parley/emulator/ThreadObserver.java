package io.parley.emulator;

import java.util.Map;

/**
 * What a chat of the Customer Chat API v3 hears of its console chat (one thread), to push it to
 * the customer's sockets. {@link #appended} and {@link #typing} are called under the chat's lock,
 * so that pushes leave in the order of the events: they must only queue, never block.
 */
public interface ThreadObserver {

    /** An event was added: a message, an agent joining ({@code agent_details}), the close, any other. */
    void appended(EmulatedChat chat, EmulatedEvent event);

    /** The agent started or stopped typing. */
    void typing(EmulatedChat chat, boolean isTyping);

    /** The agent has seen the chat's events up to this moment. */
    void seen(EmulatedChat chat, java.time.Instant upTo);

    /** The chat waits in the queue at this place, for about this many seconds. */
    void queued(EmulatedChat chat, int position, int waitSeconds);

    /** The agent left the chat. */
    void agentLeft(EmulatedChat chat, AgentProfile agent);

    /**
     * An agent greets the chat's customer, who is not chatting now ({@code incoming_greeting});
     * whether a socket of theirs was there to take it.
     */
    boolean greeted(EmulatedChat chat, AgentProfile agent, String text);

    /** What the agent API shows of this chat besides the console's facts; never a token or an upstream id. */
    Map<String, Object> describe();
}
