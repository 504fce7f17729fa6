package io.parley.livechat.v2;

import io.parley.upstream.ChatStart;
import io.parley.upstream.UpstreamCallListener;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An upstream client that tells listeners how each call went and how long it took, and knows how
 * many calls are in flight, so that a stopping server can let them finish.
 */
public final class ObservedUpstreamClient implements UpstreamClient {

    private final UpstreamClient delegate;
    private final List<UpstreamCallListener> listeners = new CopyOnWriteArrayList<>();
    private final Object quiet = new Object();
    private int inFlight; // guarded by quiet

    public ObservedUpstreamClient(UpstreamClient delegate) {
        this.delegate = delegate;
    }

    public void addListener(UpstreamCallListener listener) {
        listeners.add(listener);
    }

    @Override
    public CompletableFuture<StartResult> start(String visitorId, ChatStart chat) {
        return observe(UpstreamCall.START, () -> delegate.start(visitorId, chat));
    }

    @Override
    public CompletableFuture<PollResult> poll(UpstreamSession session, long afterMessageId) {
        return observe(UpstreamCall.POLL, () -> delegate.poll(session, afterMessageId));
    }

    @Override
    public CompletableFuture<SendResult> send(UpstreamSession session, String text) {
        return observe(UpstreamCall.SEND, () -> delegate.send(session, text));
    }

    @Override
    public CompletableFuture<CloseResult> close(UpstreamSession session) {
        return observe(UpstreamCall.CLOSE, () -> delegate.close(session));
    }

    /** Calls made and not yet answered. */
    public int inFlight() {
        synchronized (quiet) {
            return inFlight;
        }
    }

    /**
     * Waits until no call is in flight, at most {@code timeout}; true if none is. Calls made while
     * waiting count too.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (quiet) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                quiet.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    private <T> CompletableFuture<T> observe(UpstreamCall call, Supplier<CompletableFuture<T>> made) {
        synchronized (quiet) {
            inFlight++;
        }
        long started = System.nanoTime();
        CompletableFuture<T> result;
        try {
            result = made.get();
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
        // The listeners first, then the caller's own stages, then the call stops counting: a call is
        // in flight until what its answer changes has been applied, so that a stopping node that
        // waits for its calls (awaitIdle) saves what they changed.
        CompletableFuture<T> observed = new CompletableFuture<>();
        result.whenComplete((value, failure) -> {
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            try {
                String outcome = UpstreamCall.outcome(value);
                // "This chat is gone" is an answer about one chat, not an outage.
                boolean answered = !(value instanceof UpstreamFailure) || value instanceof UpstreamFailure.SessionGone;
                listeners.forEach(listener -> listener.finished(call.label(), outcome, answered,
                        call == UpstreamCall.CLOSE, took));
            } finally {
                try {
                    if (failure != null) {
                        observed.completeExceptionally(failure);
                    } else {
                        observed.complete(value);
                    }
                } finally {
                    finished();
                }
            }
        });
        return observed;
    }

    private void finished() {
        synchronized (quiet) {
            if (--inFlight == 0) {
                quiet.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        delegate.close();
    }
}
