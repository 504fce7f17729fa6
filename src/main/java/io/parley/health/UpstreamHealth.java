package io.parley.health;

import io.parley.upstream.UpstreamCallListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the upstream works, end to end: judged from the answers to the calls the relay makes
 * anyway (polls above all, also starts and sends), parsed and understood, not from whether a
 * connection opens. A call counts as answered when it succeeded, or when the upstream said the chat
 * is gone, which is an answer about one chat and not an outage. A node with no calls to judge by
 * keeps its last verdict. An outage longer than {@code unready-after} is logged once, as is its end.
 */
public final class UpstreamHealth implements UpstreamCallListener {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamHealth.class);

    private final Clock clock;
    private final Duration unreadyAfter;
    private boolean reported; // guarded by this: the outage was logged
    private Instant lastAnswer; // guarded by this
    private Instant failingSince; // guarded by this: the first failure since the last answer
    private String lastFailure; // guarded by this

    public UpstreamHealth(Clock clock, Duration unreadyAfter) {
        this.clock = clock;
        this.unreadyAfter = unreadyAfter;
    }

    @Override
    public void finished(String call, String outcome, boolean answered, boolean ends, Duration took) {
        if (ends) {
            return; // a chat being closed says little about the chats being kept
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (answered) {
                if (reported) {
                    LOG.info("The upstream answers again, after failing every call for {}s",
                            Duration.between(failingSince, now).toSeconds());
                    reported = false;
                }
                lastAnswer = now;
                failingSince = null;
                lastFailure = null;
            } else {
                if (failingSince == null) {
                    failingSince = now;
                }
                lastFailure = call + ": " + outcome;
                unready(now);
            }
        }
    }

    /** Whether every call has failed for {@code unready-after}: the node should get no traffic. */
    public synchronized boolean unready() {
        return unready(clock.instant());
    }

    /** Judges, and logs the outage the first time it is judged one: at the next failed call, or the next question. */
    private boolean unready(Instant now) {
        boolean unready = failingSince != null && Duration.between(failingSince, now).compareTo(unreadyAfter) >= 0;
        if (unready && !reported) {
            LOG.warn("The upstream has failed every call for {}s (the last, {}): this node reports itself not ready",
                    Duration.between(failingSince, now).toSeconds(), lastFailure);
            reported = true;
        }
        return unready;
    }

    /** How long every call has failed, if the last one failed. */
    public synchronized Optional<Duration> failingFor() {
        return failingSince == null ? Optional.empty() : Optional.of(Duration.between(failingSince, clock.instant()));
    }

    /** The kind of the last failure, e.g. {@code poll: timed_out}, while calls fail. */
    public synchronized Optional<String> lastFailure() {
        return Optional.ofNullable(lastFailure);
    }

    /** How long ago the upstream last answered, if it ever did. */
    public synchronized Optional<Duration> sinceLastAnswer() {
        return lastAnswer == null ? Optional.empty() : Optional.of(Duration.between(lastAnswer, clock.instant()));
    }
}
