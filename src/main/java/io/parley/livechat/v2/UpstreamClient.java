package io.parley.livechat.v2;

import io.parley.upstream.ChatStart;
import java.util.concurrent.CompletableFuture;

/**
 * The four calls of the Visitors Chat API. Every call is non-blocking and always completes
 * normally with a typed result, a success or an {@link UpstreamFailure}; it never completes
 * exceptionally, so callers handle every outcome in one place.
 */
public interface UpstreamClient extends AutoCloseable {

    /** Starts a chat for the visitor with this caller-chosen id. */
    CompletableFuture<StartResult> start(String visitorId, ChatStart chat);

    /**
     * Fetches the chat's events after a cursor; this call also keeps the chat alive upstream.
     *
     * @param afterMessageId the last {@code message_id} received, or 0 for the whole chat
     */
    CompletableFuture<PollResult> poll(UpstreamSession session, long afterMessageId);

    /** Sends a message as the visitor. */
    CompletableFuture<SendResult> send(UpstreamSession session, String text);

    /** Ends the chat as the visitor. */
    CompletableFuture<CloseResult> close(UpstreamSession session);

    /** Releases connections and threads. */
    @Override
    void close();
}
