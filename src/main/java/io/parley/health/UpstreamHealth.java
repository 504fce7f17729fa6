package io.parley.health;

import io.parley.upstream.ObservedUpstreamClient;
import io.parley.upstream.UpstreamCall;
import io.parley.upstream.UpstreamFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether the upstream works, end to end: judged from the answers to the calls the relay makes
 * anyway (polls above all, also starts and sends), parsed and understood, not from whether a
 * connection opens. A call counts as answered when it succeeded, or when the upstream said the chat
 * is gone, which is an answer about one chat and not an outage. A node with no calls to judge by
 * keeps its last verdict.
 */
public final class UpstreamHealth implements ObservedUpstreamClient.Listener {

    private final Clock clock;
    private Instant lastAnswer; // guarded by this
    private Instant failingSince; // guarded by this: the first failure since the last answer
    private String lastFailure; // guarded by this

    public UpstreamHealth(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void finished(UpstreamCall call, Object result, Duration took) {
        if (call == UpstreamCall.CLOSE) {
            return; // a chat being closed says little about the chats being kept
        }
        Instant now = clock.instant();
        synchronized (this) {
            if (!(result instanceof UpstreamFailure) || result instanceof UpstreamFailure.SessionGone) {
                lastAnswer = now;
                failingSince = null;
                lastFailure = null;
            } else {
                if (failingSince == null) {
                    failingSince = now;
                }
                lastFailure = call.label() + ": " + UpstreamCall.outcome(result);
            }
        }
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
