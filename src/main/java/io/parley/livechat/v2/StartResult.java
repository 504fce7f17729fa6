package io.parley.livechat.v2;

/** The outcome of starting a chat: started, banned, or a failure. */
public sealed interface StartResult permits StartResult.Started, StartResult.Banned, UpstreamFailure {

    /** The chat is open; the session is needed for every later call. */
    record Started(UpstreamSession session) implements StartResult {
    }

    /** The upstream refuses chats from this visitor. */
    record Banned() implements StartResult {
    }
}
