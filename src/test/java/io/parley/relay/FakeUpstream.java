package io.parley.relay;

import io.parley.upstream.Capability;
import io.parley.upstream.ChatStart;
import io.parley.upstream.Outgoing;
import io.parley.upstream.Upstream;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An upstream whose chats only record what the relay asks of them; the test plays the upstream's
 * part by calling each chat's listener, in whatever order and at whatever moment it wants.
 */
final class FakeUpstream implements Upstream {

    final List<FakeChat> chats = new ArrayList<>();
    boolean stopped;
    /** The time live signals are stamped with: the harness's clock. */
    volatile java.util.function.Supplier<java.time.Instant> clock = () -> null;

    /** A live signal given to a chat: the visitor's draft or a seen mark, and when. */
    record Signal(java.time.Instant at, String draft, java.time.Instant seenUpTo) {
    }

    /** What the relay is told the upstream can do. */
    final Set<Capability> capabilities = EnumSet.of(Capability.TYPING, Capability.FILES);
    /** Whether anyone is online, by group (-1 for the default one); absent: not known. */
    final java.util.Map<Integer, Boolean> online = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<Runnable> availabilityListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A fake that knows whether anyone is online ({@link Capability#AVAILABILITY}). */
    static FakeUpstream withAvailability() {
        FakeUpstream upstream = new FakeUpstream();
        upstream.capabilities.add(Capability.AVAILABILITY);
        return upstream;
    }

    @Override
    public java.util.Optional<Boolean> online(java.util.OptionalInt group) {
        return java.util.Optional.ofNullable(online.get(group.orElse(-1)));
    }

    @Override
    public void onAvailabilityChange(Runnable changed) {
        availabilityListeners.add(changed);
    }

    /** A fake that takes ratings of chats ({@link Capability#RATING}). */
    static FakeUpstream withRating() {
        FakeUpstream upstream = new FakeUpstream();
        upstream.capabilities.add(Capability.RATING);
        return upstream;
    }

    /** The upstream now says this of the group (-1: the default one). */
    void setOnline(int group, boolean now) {
        online.put(group, now);
        availabilityListeners.forEach(Runnable::run);
    }

    /** One visitor's chats: the calls made, and the listener to answer through. */
    static final class FakeChat implements UpstreamChat {
        final String logId;
        final String restoredFrom;
        final UpstreamChat.Listener listener;
        final List<String> calls = new ArrayList<>();
        final List<Outgoing> given = new ArrayList<>();
        final List<Signal> signals = new ArrayList<>();
        java.util.function.Supplier<java.time.Instant> clock = () -> null;
        ChatStart started;
        String snapshot = "fake";
        /** Inside {@link #holding}: nothing in the chat may change. */
        private boolean holding;

        FakeChat(String logId, String restoredFrom, Listener listener) {
            this.logId = logId;
            this.restoredFrom = restoredFrom;
            this.listener = listener;
        }

        @Override
        public synchronized void start(ChatStart start, Outgoing first) {
            calls.add("start " + first.clientId());
            started = start;
            given.add(first);
        }

        @Override
        public synchronized void send(Outgoing message) {
            calls.add("send " + message.clientId() + (message.restored() ? " (restored)" : ""));
            given.add(message);
        }

        @Override
        public synchronized void close() {
            calls.add("close");
        }

        @Override
        public synchronized void leaveMessage(io.parley.upstream.OfflineMessage message) {
            calls.add("leave " + message.clientId() + " " + message.email());
        }

        @Override
        public synchronized void rate(io.parley.upstream.Rating rating) {
            calls.add("rate " + (rating.score() == null ? "none" : rating.score().label())
                    + (rating.comment() == null ? "" : " " + rating.comment()));
        }

        @Override
        public synchronized void answerGreeting(String id, boolean accepted) {
            calls.add("greeting " + id + (accepted ? " accepted" : " dismissed"));
        }

        @Override
        public synchronized void visitorPage(io.parley.upstream.VisitorPage page) {
            calls.add("page " + page.url() + (page.title() == null ? "" : " " + page.title()));
        }

        @Override
        public synchronized void resume() {
            calls.add("resume");
        }

        @Override
        public synchronized void release() {
            calls.add("release");
        }

        @Override
        public synchronized void typing(String draft) {
            signals.add(new Signal(clock.get(), draft, null));
        }

        @Override
        public synchronized void markSeen(java.time.Instant upTo) {
            signals.add(new Signal(clock.get(), null, upTo));
        }

        synchronized List<Signal> signals() {
            return List.copyOf(signals);
        }

        @Override
        public synchronized String snapshot() {
            if (!holding) {
                throw new AssertionError("a snapshot taken apart from the conversation's record");
            }
            return snapshot;
        }

        @Override
        public synchronized <T> T holding(Supplier<T> action) {
            holding = true;
            try {
                return action.get();
            } finally {
                holding = false;
            }
        }

        synchronized List<String> calls() {
            return List.copyOf(calls);
        }
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.copyOf(capabilities);
    }

    @Override
    public synchronized UpstreamChat chat(String logId, String snapshot, UpstreamChat.Listener listener) {
        if ("unreadable".equals(snapshot)) {
            throw new IllegalArgumentException("the upstream snapshot cannot be read");
        }
        FakeChat chat = new FakeChat(logId, snapshot, listener);
        chat.clock = clock;
        chats.add(chat);
        return chat;
    }

    /** The only chat made so far. */
    synchronized FakeChat only() {
        if (chats.size() != 1) {
            throw new AssertionError("expected one upstream chat, found " + chats.size());
        }
        return chats.get(0);
    }

    @Override
    public void stopDriving() {
        stopped = true;
    }

    @Override
    public boolean awaitIdle(Duration timeout) {
        return true;
    }

    @Override
    public void close() {
        // nothing held
    }
}
