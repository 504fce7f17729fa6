package io.parley.livechat.v2;

/** The outcome of closing a chat: closed, or a failure. */
public sealed interface CloseResult permits CloseResult.Closed, UpstreamFailure {

    /** The upstream answered {@code success: true}. */
    record Closed() implements CloseResult {
    }
}
