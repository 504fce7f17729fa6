package io.parley.livechat.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Eventually;
import io.parley.upstream.ChatStart;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A call counts as in flight until what its answer changes has been applied. */
class ObservedUpstreamClientTest {

    private final CompletableFuture<SendResult> answer = new CompletableFuture<>();

    private final UpstreamClient upstream = new UpstreamClient() {
        @Override
        public CompletableFuture<StartResult> start(String visitorId, ChatStart chat) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<PollResult> poll(UpstreamSession session, long afterMessageId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<SendResult> send(UpstreamSession session, String text) {
            return answer;
        }

        @Override
        public CompletableFuture<CloseResult> close(UpstreamSession session) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    };

    @Test
    void aStoppingNodeWaitsUntilTheAnswerOfACallHasBeenApplied() throws Exception {
        ObservedUpstreamClient observed = new ObservedUpstreamClient(upstream);
        CountDownLatch applying = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean applied = new AtomicBoolean();
        observed.send(new UpstreamSession("visitor", "session"), "hello").thenAccept(result -> {
            applying.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            applied.set(true);
        });
        Thread answering = new Thread(() -> answer.complete(new SendResult.Sent()));
        answering.start();
        assertTrue(applying.await(30, TimeUnit.SECONDS));
        assertEquals(1, observed.inFlight(), "answered, but not applied yet");
        assertFalse(observed.awaitIdle(Duration.ofMillis(50)), "not idle while the answer is being applied");
        release.countDown();
        assertTrue(observed.awaitIdle(Eventually.DEADLINE));
        assertTrue(applied.get(), "idle only once applied");
        answering.join();
    }
}
