package io.parley.emulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One chat of the emulated upstream. Its events share one {@code message_id} sequence across
 * every type, as the real service's do. Thread-safe: visitor calls, the console, the demo agent
 * and the expiry sweep all reach it. A chat of the Customer Chat API v3 is one thread of a v3
 * chat: the console shows it like a v2 chat, and its {@link ThreadObserver} pushes what happens
 * to the customer.
 */
public final class EmulatedChat {

    /** Who ended a chat; reported as the {@code chat_closed} event's {@code user_type}. */
    public enum ClosedBy { VISITOR, AGENT, TIMEOUT }

    private final int number;
    private final String visitorId;
    private final String sessionId;
    private final boolean v3;
    private String visitorName;
    private String email;
    private final Integer group;
    private final String welcomeMessage;
    private final Instant startedAt;
    private final String siteUrl;

    private final List<EmulatedEvent> events = new ArrayList<>();
    private final List<Postback> postbacks = new ArrayList<>();
    private ChatState state = ChatState.WAITING;
    private ClosedBy closedBy;
    private AgentProfile agent;
    private boolean demoAgentActive;
    private Instant lastPolledAt;
    /** Whether its session id was ever used after the start: a chat whose start answer was lost never is. */
    private boolean used;
    private long polls;
    private long longestPollGapMillis;
    private Instant closedAt;
    private ThreadObserver observer;

    EmulatedChat(int number, String visitorId, String sessionId, String visitorName, String email, Integer group,
            String welcomeMessage, Instant startedAt, String siteUrl, boolean demoAgentActive) {
        this(number, false, visitorId, sessionId, visitorName, email, group, welcomeMessage, startedAt, siteUrl,
                demoAgentActive);
    }

    EmulatedChat(int number, boolean v3, String visitorId, String sessionId, String visitorName, String email,
            Integer group, String welcomeMessage, Instant startedAt, String siteUrl, boolean demoAgentActive) {
        this.number = number;
        this.v3 = v3;
        this.visitorId = visitorId;
        this.sessionId = sessionId;
        this.visitorName = visitorName;
        this.email = email;
        this.group = group;
        this.welcomeMessage = welcomeMessage;
        this.startedAt = startedAt;
        this.siteUrl = siteUrl;
        this.lastPolledAt = startedAt;
        this.demoAgentActive = demoAgentActive;
    }

    /** The console's number for this chat; not an upstream id. */
    public int number() {
        return number;
    }

    /** The upstream visitor id: a secret the console and the agent API never show. */
    public String visitorId() {
        return visitorId;
    }

    /** The chat's {@code secured_session_id}: a secret the console and the agent API never show. */
    public String sessionId() {
        return sessionId;
    }

    public synchronized String visitorName() {
        return visitorName;
    }

    public synchronized String email() {
        return email;
    }

    /** Which API the visitor's side speaks: {@code v2} or {@code v3}. */
    public String api() {
        return v3 ? "v3" : "v2";
    }

    /** What the v3 side adds to the agent API's view of this chat; empty for v2 chats. */
    public Map<String, Object> v3Facts() {
        ThreadObserver current;
        synchronized (this) {
            current = observer;
        }
        return current == null ? Map.of() : current.describe();
    }

    /** A v3 customer's new name or e-mail (null: unchanged), shown from now on. */
    public synchronized void rename(String name, String newEmail) {
        if (name != null) {
            visitorName = name;
        }
        if (newEmail != null) {
            email = newEmail;
        }
    }

    /** Hands what happens from now on to a v3 chat's observer. */
    public synchronized void observe(ThreadObserver threadObserver) {
        observer = threadObserver;
    }

    public Integer group() {
        return group;
    }

    public String welcomeMessage() {
        return welcomeMessage;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** The URL (scheme, host, context path) the chat was started through: where the emulator's assets are. */
    public String siteUrl() {
        return siteUrl;
    }

    public synchronized ChatState state() {
        return state;
    }

    public synchronized ClosedBy closedBy() {
        return closedBy;
    }

    public synchronized AgentProfile agent() {
        return agent;
    }

    public synchronized boolean demoAgentActive() {
        return demoAgentActive;
    }

    /** How many get_pending_messages calls this chat had: one polling stream shows as a steady count. */
    public synchronized long polls() {
        return polls;
    }

    /**
     * Whether the visitor's client never used this chat after starting it: its start answer was
     * lost, and the chat waits alone until it times out.
     */
    public synchronized boolean orphaned() {
        return !used;
    }

    synchronized void markUsed() {
        used = true;
    }

    /** Measures the longest gap again from now on, e.g. for a benchmark's steady phase. */
    synchronized void restartGapMeasurement() {
        longestPollGapMillis = 0;
    }

    /** The longest time this chat went without a poll while open, from its start or the last restart. */
    public synchronized long longestPollGapMillis() {
        return longestPollGapMillis;
    }

    public synchronized List<EmulatedEvent> events() {
        return List.copyOf(events);
    }

    /** The events after {@code lastMessageId}; this call is what keeps the chat alive. */
    synchronized List<EmulatedEvent> pendingAfter(long lastMessageId, Instant now) {
        if (state != ChatState.CLOSED) {
            longestPollGapMillis = Math.max(longestPollGapMillis, now.toEpochMilli() - lastPolledAt.toEpochMilli());
        }
        lastPolledAt = now;
        polls++;
        List<EmulatedEvent> pending = new ArrayList<>();
        for (EmulatedEvent event : events) {
            if (event.messageId() > lastMessageId) {
                pending.add(event);
            }
        }
        if (state == ChatState.CLOSED && pending.isEmpty()) {
            throw ApiError.chatClosed(); // everything up to chat_closed has been read
        }
        return pending;
    }

    synchronized EmulatedEvent addVisitorMessage(String text, Instant now) {
        requireOpen();
        return append("message", "visitor", text, null, now);
    }

    /**
     * An event of a v3 customer's: a message or another type, with the client's {@code custom_id};
     * {@code evenIfClosed} adds it to a closed thread ({@code attach_to_last_thread}).
     */
    synchronized EmulatedEvent addCustomerEvent(String type, String text, String customId, Map<String, Object> fields,
            boolean evenIfClosed, Instant now) {
        if (!evenIfClosed) {
            requireOpen();
        }
        used = true;
        return append(type, "visitor", text, null, customId, fields, now);
    }

    /** Keeps a v3 chat alive, as a poll keeps a v2 chat: its customer is connected. */
    synchronized void touch(Instant now) {
        used = true;
        lastPolledAt = now;
    }

    synchronized void typing(boolean isTyping) {
        requireOpen();
        if (observer == null) {
            throw new ApiError(409, "not_supported", "Typing indicators reach Customer Chat API v3 chats only", null);
        }
        observer.typing(this, isTyping);
    }

    /** The agent marks the visitor's messages seen, up to now; only v3 chats show it. */
    synchronized void seen(Instant now) {
        requireOpen();
        if (observer == null) {
            throw new ApiError(409, "not_supported", "Seen marks reach Customer Chat API v3 chats only", null);
        }
        observer.seen(this, now);
    }

    /**
     * An agent greets the chat's visitor between chats (only once this chat ended): only v3
     * customers, and only while a socket of theirs is logged in, receive it.
     */
    synchronized boolean greet(AgentProfile from, String text) {
        if (observer == null) {
            throw new ApiError(409, "not_supported", "Greetings reach Customer Chat API v3 customers only", null);
        }
        if (state() != ChatState.CLOSED) {
            throw new ApiError(409, "chat_active", "The visitor is chatting: greetings are for visitors between chats",
                    null);
        }
        return observer.greeted(this, from, text);
    }

    /** Puts the chat in the queue at this place, until an agent joins; only v3 chats show it. */
    synchronized void queue(int position, int waitSeconds) {
        requireOpen();
        if (observer == null) {
            throw new ApiError(409, "not_supported", "Queues reach Customer Chat API v3 chats only", null);
        }
        if (agent != null) {
            throw new ApiError(409, "agent_joined", "An agent has the chat: it is not queued", null);
        }
        observer.queued(this, position, waitSeconds);
    }

    /** The agent leaves the chat; a person leaving also stops the demo agent. */
    synchronized void leave() {
        requireOpen();
        if (agent == null) {
            throw new ApiError(409, "no_agent", "No agent is in the chat", null);
        }
        AgentProfile left = agent;
        agent = null;
        demoAgentActive = false;
        state = ChatState.WAITING;
        if (observer != null) {
            observer.agentLeft(this, left);
        }
    }

    /** An agent message; a person writing takes the chat over from the demo agent. */
    synchronized EmulatedEvent addAgentMessage(String text, boolean byPerson, Instant now) {
        requireOpen();
        if (byPerson) {
            demoAgentActive = false;
        }
        return append("message", "agent", text, null, now);
    }

    /** An agent's event of another type than a message, with its fields ({@code url}, {@code elements}, ...). */
    synchronized EmulatedEvent addAgentEvent(String type, Map<String, Object> fields, Instant now) {
        requireOpen();
        demoAgentActive = false;
        return append(type, "agent", null, null, null, fields, now);
    }

    /** A customer's choice of a rich message's button ({@code send_rich_message_postback}). */
    public record Postback(long messageId, String postbackId, boolean toggled, Instant at) {
    }

    /** Records a postback for the rich message with this console number; false if there is no such rich message. */
    public synchronized boolean postback(long messageId, String postbackId, boolean toggled, Instant now) {
        boolean rich = events.stream().anyMatch(event -> event.messageId() == messageId
                && "rich_message".equals(event.type()));
        if (rich) {
            postbacks.add(new Postback(messageId, postbackId, toggled, now));
        }
        return rich;
    }

    /** The postbacks received, oldest first. */
    public synchronized List<Postback> postbacks() {
        return List.copyOf(postbacks);
    }

    /** An event of any type, as a newer upstream might send: for testing what clients make of it. */
    synchronized EmulatedEvent addEvent(String type, String userType, Instant now) {
        requireOpen();
        return append(type, userType, null, null, now);
    }

    synchronized EmulatedEvent join(AgentProfile profile, boolean byPerson, Instant now) {
        requireOpen();
        if (byPerson) {
            demoAgentActive = false;
        }
        agent = profile;
        state = ChatState.CHATTING;
        return append("agent_details", "agent", null, profile, now);
    }

    synchronized EmulatedEvent close(ClosedBy by, Instant now) {
        requireOpen();
        state = ChatState.CLOSED;
        closedBy = by;
        closedAt = now;
        demoAgentActive = false;
        return append("chat_closed", by == ClosedBy.VISITOR ? "visitor" : "agent", null, null, now);
    }

    /** Closes the chat if nobody has polled it since {@code deadline}. */
    synchronized boolean expireIfIdleSince(Instant deadline, Instant now) {
        if (state != ChatState.CLOSED && lastPolledAt.isBefore(deadline)) {
            close(ClosedBy.TIMEOUT, now);
            return true;
        }
        return false;
    }

    synchronized boolean closedBefore(Instant instant) {
        return state == ChatState.CLOSED && closedAt.isBefore(instant);
    }

    synchronized long lastMessageId() {
        return events.isEmpty() ? 0 : events.get(events.size() - 1).messageId();
    }

    private void requireOpen() {
        if (state == ChatState.CLOSED) {
            throw ApiError.chatClosed();
        }
    }

    private EmulatedEvent append(String type, String userType, String text, AgentProfile profile, Instant now) {
        return append(type, userType, text, profile, null, null, now);
    }

    private EmulatedEvent append(String type, String userType, String text, AgentProfile profile, String customId,
            Map<String, Object> fields, Instant now) {
        EmulatedEvent event = new EmulatedEvent(lastMessageId() + 1, now.getEpochSecond(), type, userType, text, profile,
                now.toEpochMilli(), now, customId, fields);
        events.add(event);
        if (observer != null) {
            observer.appended(this, event);
        }
        return event;
    }
}
