package io.parley.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The emulated Visitors Chat API: its chats, its visitors' side (the four calls) and its agents'
 * side (join, reply, close, ban). Parameters arrive already validated by the web layer; what is
 * checked here is the state: known session, session of this visitor, chat still open.
 */
public final class EmulatedUpstream {

    /** How long a closed chat can still be read before it is forgotten. */
    static final Duration CLOSED_CHAT_RETENTION = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration chatTimeout;
    private final boolean demoAgentByDefault;
    private final SecureRandom random = new SecureRandom();
    private final AtomicInteger chatNumbers = new AtomicInteger();
    private final Map<String, EmulatedChat> chatsBySession = new ConcurrentHashMap<>();
    private final Map<Integer, EmulatedChat> chatsByNumber = new ConcurrentHashMap<>();
    private final Set<String> bannedVisitors = ConcurrentHashMap.newKeySet();
    private final List<ChatListener> listeners = new CopyOnWriteArrayList<>();
    private final CallCounts calls = new CallCounts();

    /**
     * @param chatTimeout a chat closes after this long without a {@code get_pending_messages} call
     * @param demoAgentByDefault whether new chats are handed to the demo agent
     */
    /** The files customers uploaded and agents shared, in memory and bounded. */
    private final UploadedFiles files = new UploadedFiles();

    public EmulatedUpstream(Clock clock, Duration chatTimeout, boolean demoAgentByDefault) {
        this.clock = clock;
        this.chatTimeout = chatTimeout;
        this.demoAgentByDefault = demoAgentByDefault;
    }

    public void addListener(ChatListener listener) {
        listeners.add(listener);
    }

    public CallCounts calls() {
        return calls;
    }

    // --- the visitor's side: the four calls of the API ---

    /**
     * Starts a chat; empty when the visitor is banned, else the new {@code secured_session_id}.
     *
     * @param siteUrl scheme, host and context path the call came through
     */
    public Optional<String> start(String visitorId, String name, String email, Integer group, String welcomeMessage,
            String siteUrl) {
        if (bannedVisitors.contains(visitorId)) {
            return Optional.empty();
        }
        String sessionId = "CS" + clock.instant().getEpochSecond() + "." + HexFormat.of().formatHex(randomBytes(8));
        EmulatedChat chat = new EmulatedChat(chatNumbers.incrementAndGet(), visitorId, sessionId,
                name == null ? "Client" : name, email, group, welcomeMessage, clock.instant(), siteUrl,
                demoAgentByDefault);
        chatsBySession.put(sessionId, chat);
        chatsByNumber.put(chat.number(), chat);
        listeners.forEach(listener -> listener.chatStarted(chat));
        return Optional.of(sessionId);
    }

    public List<EmulatedEvent> pendingMessages(String visitorId, String sessionId, long lastMessageId) {
        return session(visitorId, sessionId).pendingAfter(lastMessageId, clock.instant());
    }

    public void sendMessage(String visitorId, String sessionId, String text) {
        EmulatedChat chat = session(visitorId, sessionId);
        chat.addVisitorMessage(text, clock.instant());
        listeners.forEach(listener -> listener.visitorWrote(chat));
    }

    public void close(String visitorId, String sessionId) {
        session(visitorId, sessionId).close(EmulatedChat.ClosedBy.VISITOR, clock.instant());
    }

    // --- the Customer Chat API v3: each of its threads is a chat here ---

    /** Whether this visitor (a v2 visitor id or a v3 customer id) is banned. */
    public boolean banned(String visitorId) {
        return bannedVisitors.contains(visitorId);
    }

    /**
     * Opens the chat of a v3 thread, without telling the listeners yet: the caller adds the
     * thread's first events and its observer, then {@link #announce}s it.
     */
    public EmulatedChat openThread(String customerId, String threadId, String name, String email, Integer group,
            String siteUrl) {
        EmulatedChat chat = new EmulatedChat(chatNumbers.incrementAndGet(), true, customerId, "v3:" + threadId,
                name == null ? "Customer" : name, email, group, null, clock.instant(), siteUrl, demoAgentByDefault);
        chatsByNumber.put(chat.number(), chat);
        return chat;
    }

    /** Tells the listeners (the demo agent) of a thread opened with {@link #openThread}. */
    public void announce(EmulatedChat chat) {
        listeners.forEach(listener -> listener.chatStarted(chat));
    }

    /** Tells the listeners (the demo agent) that the visitor of this chat wrote, e.g. in a thread's first events. */
    public void told(EmulatedChat chat) {
        listeners.forEach(listener -> listener.visitorWrote(chat));
    }

    /** An event of a v3 customer's, with the client's {@code custom_id}; a message is answered by the demo agent. */
    public EmulatedEvent addCustomerEvent(EmulatedChat chat, String type, String text, String customId,
            Map<String, Object> fields, boolean tellListeners, boolean evenIfClosed) {
        EmulatedEvent event = chat.addCustomerEvent(type, text, customId, fields, evenIfClosed, clock.instant());
        if (tellListeners && "message".equals(type) && chat.state() != ChatState.CLOSED) {
            listeners.forEach(listener -> listener.visitorWrote(chat));
        }
        return event;
    }

    /** A v3 customer closes the thread. */
    public EmulatedEvent closeAsCustomer(EmulatedChat chat) {
        return chat.close(EmulatedChat.ClosedBy.VISITOR, clock.instant());
    }

    /** Keeps these v3 chats alive: their customer has a logged-in socket. */
    public void keepAlive(Iterable<EmulatedChat> chats) {
        Instant now = clock.instant();
        chats.forEach(chat -> chat.touch(now));
    }

    // --- the agents' side ---

    /** Every chat still held, newest first. */
    public List<EmulatedChat> chats() {
        List<EmulatedChat> chats = new ArrayList<>(chatsByNumber.values());
        chats.sort(Comparator.comparingInt(EmulatedChat::number).reversed());
        return chats;
    }

    public Optional<EmulatedChat> chat(int number) {
        return Optional.ofNullable(chatsByNumber.get(number));
    }

    public EmulatedEvent join(int number, AgentProfile agent, boolean byPerson) {
        return existing(number).join(agent, byPerson, clock.instant());
    }

    /**
     * A person's reply from the console or the agent API: joins first if no agent has, and
     * takes the chat over from the demo agent.
     */
    public EmulatedEvent replyAsPerson(int number, String text) {
        EmulatedChat chat = existing(number);
        if (chat.agent() == null) {
            chat.join(AgentProfile.person(chat.siteUrl()), true, clock.instant());
        }
        return chat.addAgentMessage(text, true, clock.instant());
    }

    /** A message of the demo agent's, which leaves the chat in the demo agent's hands. */
    public EmulatedEvent sendAsDemoAgent(int number, String text) {
        return existing(number).addAgentMessage(text, false, clock.instant());
    }

    /** The files customers uploaded and agents shared. */
    public UploadedFiles files() {
        return files;
    }

    /**
     * A person shares something other than text from the console or the agent API (a
     * {@code file}, a {@code rich_message}): joins first if no agent has, and takes the chat over
     * from the demo agent.
     */
    public EmulatedEvent shareAsPerson(int number, String type, Map<String, Object> fields) {
        EmulatedChat chat = existing(number);
        if (chat.agent() == null) {
            chat.join(AgentProfile.person(chat.siteUrl()), true, clock.instant());
        }
        return chat.addAgentEvent(type, fields, clock.instant());
    }

    /** Appends an event of any type to the chat, e.g. one its clients do not know. */
    public EmulatedEvent addEvent(int number, String type, String userType) {
        return existing(number).addEvent(type, userType, clock.instant());
    }

    /** The agent starts or stops typing; only v3 chats show it. */
    public void typing(int number, boolean isTyping) {
        existing(number).typing(isTyping);
    }

    /** The agent has seen the visitor's messages, up to now; only v3 chats show it. */
    public void seen(int number) {
        existing(number).seen(clock.instant());
    }

    /** An agent (the chat's, or the console's person) greets the chat's visitor; whether a socket of theirs took it. */
    public boolean greet(int number, String text) {
        EmulatedChat chat = existing(number);
        AgentProfile from = chat.agent() != null ? chat.agent() : AgentProfile.person(chat.siteUrl());
        return chat.greet(from, text);
    }

    /** Puts the chat in the queue at this place, with this expected wait; only v3 chats show it. */
    public void queue(int number, int position, int waitSeconds) {
        existing(number).queue(position, waitSeconds);
    }

    /** The agent leaves the chat, which waits for an agent again. */
    public void leave(int number) {
        existing(number).leave();
    }

    public EmulatedEvent closeAsAgent(int number) {
        return existing(number).close(EmulatedChat.ClosedBy.AGENT, clock.instant());
    }

    /** Bans the chat's visitor from starting chats, and closes the chat if it is open. */
    public void ban(int number) {
        EmulatedChat chat = existing(number);
        bannedVisitors.add(chat.visitorId());
        if (chat.state() != ChatState.CLOSED) {
            chat.close(EmulatedChat.ClosedBy.AGENT, clock.instant());
        }
    }

    // --- housekeeping, run periodically ---

    /** Closes chats not polled within the timeout and forgets chats closed long ago; returns how many expired. */
    public int sweep() {
        Instant now = clock.instant();
        Instant idleDeadline = now.minus(chatTimeout);
        Instant forgetBefore = now.minus(CLOSED_CHAT_RETENTION);
        int expired = 0;
        for (EmulatedChat chat : chatsByNumber.values()) {
            if (chat.expireIfIdleSince(idleDeadline, now)) {
                expired++;
            } else if (chat.closedBefore(forgetBefore)) {
                chatsByNumber.remove(chat.number());
                chatsBySession.remove(chat.sessionId());
            }
        }
        return expired;
    }

    /** Every chat's longest poll gap is measured again from now on. */
    public void restartGapMeasurement() {
        chatsByNumber.values().forEach(EmulatedChat::restartGapMeasurement);
    }

    /** Forgets every chat and ban: a clean slate for a test or a demo. */
    public void reset() {
        files.clear();
        chatsByNumber.clear();
        chatsBySession.clear();
        bannedVisitors.clear();
        calls.reset();
    }

    private EmulatedChat session(String visitorId, String sessionId) {
        EmulatedChat chat = chatsBySession.get(sessionId);
        if (chat == null || !chat.visitorId().equals(visitorId)) {
            throw ApiError.sessionNotFound();
        }
        chat.markUsed();
        return chat;
    }

    private EmulatedChat existing(int number) {
        EmulatedChat chat = chatsByNumber.get(number);
        if (chat == null) {
            throw new ApiError(404, "chat_not_found", "No chat number " + number, null);
        }
        return chat;
    }

    private byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }
}
