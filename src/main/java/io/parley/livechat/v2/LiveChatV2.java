package io.parley.livechat.v2;

import io.parley.logs.QuietLog;
import io.parley.settings.Settings;
import io.parley.tasks.TaskScheduler;
import io.parley.upstream.Capability;
import io.parley.upstream.Upstream;
import io.parley.upstream.UpstreamChat;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiveChat's Visitors Chat API v2 as an {@link Upstream}: one {@link V2Chat} per visitor, all
 * polled on one shared {@link UpstreamPoller} at the pace of {@link PollSchedule}, through one
 * client whose every call is observed.
 */
public final class LiveChatV2 implements Upstream {

    private static final Logger LOG = LoggerFactory.getLogger(LiveChatV2.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final ObservedUpstreamClient client;
    private final TaskScheduler scheduler;
    private final UpstreamPoller poller;
    private final Duration fastInterval;
    /** The upstream decides how many events of unknown types it sends: a line a minute says so. */
    private final QuietLog unknownTypes;
    private volatile boolean closed;

    public LiveChatV2(ObservedUpstreamClient client, TaskScheduler scheduler, Settings settings, Random random,
            UpstreamPoller.Listener polls) {
        this.client = client;
        this.scheduler = scheduler;
        this.poller = new UpstreamPoller(scheduler, PollSchedule.of(settings), settings.pollsInFlight(), random, polls);
        this.fastInterval = settings.pollFastInterval();
        this.unknownTypes = QuietLog.everyMinute(LOG, () -> scheduler.now().toEpochMilli());
        scheduler.schedule(this::flushLogs, Duration.ofSeconds(10));
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.of(Capability.FILES); // v2 carries files from agents, and nothing else beyond text
    }

    @Override
    public UpstreamChat chat(String logId, String snapshot, UpstreamChat.Listener listener) {
        return new V2Chat(this, logId, snapshot == null ? null : V2Snapshot.fromJson(snapshot), listener);
    }

    @Override
    public void stopDriving() {
        poller.stop();
        closed = true; // the scheduler stops next: nothing more is scheduled on it
    }

    @Override
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return client.awaitIdle(timeout);
    }

    /** The poller, for what it can tell of the polls (in flight, waiting). */
    public UpstreamPoller poller() {
        return poller;
    }

    @Override
    public void close() {
        closed = true;
        unknownTypes.flushAll(); // no call is in flight any more: every count is known
        client.close();
    }

    ObservedUpstreamClient client() {
        return client;
    }

    TaskScheduler scheduler() {
        return scheduler;
    }

    Instant now() {
        return scheduler.now();
    }

    Duration fastInterval() {
        return fastInterval;
    }

    void unknownType(String logId, String type) {
        unknownTypes.info("unknown-type", "Conversation " + logId + ": upstream event of unknown type '" + type
                + "' shown as a notice");
    }

    /** Writes what the quiet log left out once its minute is over, and keeps doing so until the node stops. */
    private void flushLogs() {
        if (closed) {
            return;
        }
        try {
            unknownTypes.flush();
        } finally {
            if (!closed) {
                scheduler.schedule(this::flushLogs, Duration.ofSeconds(10));
            }
        }
    }

    /** A new upstream visitor id: 16 random bytes, drawn independently of the visitor's token. */
    static String newVisitorId() {
        byte[] random = new byte[16];
        IDS.nextBytes(random);
        return "p-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
