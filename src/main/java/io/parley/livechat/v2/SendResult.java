package io.parley.livechat.v2;

/** The outcome of sending a message: accepted by the upstream, or a failure. */
public sealed interface SendResult permits SendResult.Sent, UpstreamFailure {

    /** The upstream answered {@code success: true}. */
    record Sent() implements SendResult {
    }
}
