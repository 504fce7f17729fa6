package io.parley.livechat.v3;

import io.parley.logs.QuietLog;
import io.parley.tasks.TaskScheduler;
import io.parley.upstream.Capability;
import io.parley.upstream.Upstream;
import io.parley.upstream.UpstreamChat;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiveChat's Customer Chat API v3 as an {@link Upstream}: one {@link V3Chat} per visitor, each a
 * customer upstream with its own token and RTM socket, all through shared transports and one
 * agent token.
 */
public final class LiveChatV3 implements Upstream {

    private static final Logger LOG = LoggerFactory.getLogger(LiveChatV3.class);
    /** The group a chat goes to when none is named: LiveChat's default group. */
    static final int DEFAULT_GROUP = 0;

    private final Transports transports;
    private final CallsInFlight api;
    private final AgentTokens agentTokens;
    private final TaskScheduler scheduler;
    private final Random random;
    private final QuietLog unknownTypes;
    private final AtomicInteger socketsLoggedIn = new AtomicInteger();
    private final AtomicInteger chatsPolling = new AtomicInteger();
    private final java.util.List<io.parley.upstream.UpstreamCallListener> callListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    private final GroupStatuses groupStatuses;
    private volatile boolean stopped;

    /** The three transports the adapter speaks through. */
    public record Transports(Accounts accounts, CustomerApi api, Rtm rtm) {
    }

    public LiveChatV3(Transports transports, RefreshTokenStore refreshTokens, TaskScheduler scheduler, Random random) {
        this(transports, refreshTokens, scheduler, random, Duration.ofSeconds(30));
    }

    /** @param availabilityInterval how often the groups' statuses are read while tabs ask for them */
    public LiveChatV3(Transports transports, RefreshTokenStore refreshTokens, TaskScheduler scheduler, Random random,
            Duration availabilityInterval) {
        this.groupStatuses = new GroupStatuses(this, availabilityInterval);
        this.api = new CallsInFlight(transports.api());
        this.transports = transports;
        this.agentTokens = new AgentTokens(transports.accounts(), refreshTokens, scheduler);
        this.scheduler = scheduler;
        this.random = random;
        this.unknownTypes = QuietLog.everyMinute(LOG, () -> scheduler.now().toEpochMilli());
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.FILES, Capability.TYPING, Capability.SEEN, Capability.QUEUE_POSITION,
                Capability.AVAILABILITY, Capability.RATING, Capability.UPLOAD, Capability.RICH_MESSAGES,
                Capability.GREETINGS);
    }

    @Override
    public java.util.Optional<Boolean> online(java.util.OptionalInt group) {
        return groupStatuses.online(group.orElse(DEFAULT_GROUP));
    }

    @Override
    public void onAvailabilityChange(Runnable changed) {
        groupStatuses.onChange(changed);
    }

    @Override
    public UpstreamChat chat(String logId, String snapshot, UpstreamChat.Listener listener) {
        return new V3Chat(this, logId, snapshot == null ? null : V3Snapshot.fromJson(snapshot), listener);
    }

    @Override
    public void stopDriving() {
        stopped = true;
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return api.awaitNone(timeout);
    }

    @Override
    public void close() {
        stopped = true;
        unknownTypes.flushAll();
        for (Object transport : new Object[] {transports.rtm(), transports.api(), transports.accounts()}) {
            if (transport instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("Closing a LiveChat transport failed: {}", e.toString());
                }
            }
        }
    }

    /**
     * Hears of every RTM login ({@code rtm_login}, ok or why not), which on a quiet node are the
     * only calls that show whether the upstream works: Web API calls are told by the transport.
     */
    public void addCallListener(io.parley.upstream.UpstreamCallListener listener) {
        callListeners.add(listener);
    }

    /** RTM sockets logged in now: one per live chat while RTM holds. */
    public int socketsLoggedIn() {
        return socketsLoggedIn.get();
    }

    /** Chats read through the Web API because no RTM socket could be held for them. */
    public int chatsPolling() {
        return chatsPolling.get();
    }

    // --- for the chats ---

    Accounts accounts() {
        return transports.accounts();
    }

    CustomerApi api() {
        return api;
    }

    Rtm rtm() {
        return transports.rtm();
    }

    GroupStatuses groupStatuses() {
        return groupStatuses;
    }

    AgentTokens agentTokens() {
        return agentTokens;
    }

    TaskScheduler scheduler() {
        return scheduler;
    }

    Random random() {
        return random;
    }

    Instant now() {
        return scheduler.now();
    }

    boolean stopped() {
        return stopped;
    }

    void loginFinished(String outcome, boolean answered, Duration took) {
        callListeners.forEach(listener -> listener.finished("rtm_login", outcome, answered, false, took));
    }

    void rtmLoggedIn(boolean now) {
        socketsLoggedIn.addAndGet(now ? 1 : -1);
    }

    void fallbackPolling(boolean now) {
        chatsPolling.addAndGet(now ? 1 : -1);
    }

    /**
     * The Web API, counting the calls in flight: a stopping node waits until the visitors'
     * messages on their way have been answered (and what the answers change has been told).
     */
    private static final class CallsInFlight implements CustomerApi {

        private final CustomerApi api;
        private int inFlight; // guarded by this

        CallsInFlight(CustomerApi api) {
            this.api = api;
        }

        @Override
        public CompletableFuture<Map<String, Object>> call(String customerToken, String action, Map<String, Object> payload) {
            synchronized (this) {
                inFlight++;
            }
            return counted(api.call(customerToken, action, payload));
        }

        @Override
        public CompletableFuture<Map<String, Object>> upload(String customerToken, io.parley.upstream.Attachment file) {
            synchronized (this) {
                inFlight++;
            }
            return counted(api.upload(customerToken, file));
        }

        private CompletableFuture<Map<String, Object>> counted(CompletableFuture<Map<String, Object>> answer) {
            CompletableFuture<Map<String, Object>> told = new CompletableFuture<>();
            answer.whenComplete((body, failure) -> {
                try {
                    if (failure == null) {
                        told.complete(body);
                    } else {
                        told.completeExceptionally(failure);
                    }
                } finally {
                    synchronized (this) {
                        inFlight--;
                        notifyAll();
                    }
                }
            });
            return told;
        }

        synchronized boolean awaitNone(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }

    void unknownType(String logId, String type) {
        unknownTypes.info("unknown-type", "Conversation " + logId + ": upstream event of unknown type '" + type
                + "' shown as a notice");
    }
}
