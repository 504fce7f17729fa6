package io.parley.files;

import io.parley.relay.Tab;
import io.parley.relay.TabMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relay's answer to one upload, heard as a tab would hear it: the first message told (the
 * acknowledgement once the file's event is saved, or an error) is the HTTP answer. Never blocks
 * the relay: it only completes a future.
 */
final class UploadAnswer implements Tab {

    private final CompletableFuture<TabMessage> answer = new CompletableFuture<>();

    @Override
    public void deliver(TabMessage message) {
        answer.complete(message);
    }

    @Override
    public void end(TabMessage.Error reason) {
        answer.complete(reason);
    }

    @Override
    public void disconnect() {
        answer.complete(null);
    }

    /** The answer, or null if none came in time (the server is stopping, or the store hangs). */
    TabMessage await(long millis) throws InterruptedException {
        try {
            return answer.get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
    }
}
