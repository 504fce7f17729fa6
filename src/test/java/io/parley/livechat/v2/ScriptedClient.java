package io.parley.livechat.v2;

import io.parley.upstream.ChatStart;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A v2 client whose every call waits for the test to answer it: the test sees each call made, in
 * order, and completes it with whatever result it wants, when it wants. Single-threaded: the
 * answer's consequences run on the test's thread as it completes the call.
 */
final class ScriptedClient implements UpstreamClient {

    /** One call and its answer to give. */
    record Call(String kind, String visitorId, UpstreamSession session, String text, long after,
            CompletableFuture<Object> answer) {

        void answer(Object result) {
            answer.complete(result);
        }
    }

    private final Deque<Call> pending = new ArrayDeque<>();
    final List<Call> made = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<T> call(String kind, String visitorId, UpstreamSession session, String text,
            long after) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        Call call = new Call(kind, visitorId, session, text, after, answer);
        pending.addLast(call);
        made.add(call);
        return (CompletableFuture<T>) (CompletableFuture<?>) answer;
    }

    /** The oldest call not yet taken, which must be of this kind. */
    Call next(String kind) {
        Call call = pending.pollFirst();
        if (call == null || !call.kind().equals(kind)) {
            throw new AssertionError("expected a " + kind + " call, found " + (call == null ? "none" : call.kind())
                    + "; made: " + made.stream().map(Call::kind).toList());
        }
        return call;
    }

    /** Whether a call is waiting to be taken. */
    boolean idle() {
        return pending.isEmpty();
    }

    /** How many calls of this kind were made. */
    long count(String kind) {
        return made.stream().filter(call -> call.kind().equals(kind)).count();
    }

    @Override
    public CompletableFuture<StartResult> start(String visitorId, ChatStart chat) {
        return call("start", visitorId, null, chat.welcomeMessage(), 0);
    }

    @Override
    public CompletableFuture<PollResult> poll(UpstreamSession session, long afterMessageId) {
        return call("poll", null, session, null, afterMessageId);
    }

    @Override
    public CompletableFuture<SendResult> send(UpstreamSession session, String text) {
        return call("send", null, session, text, 0);
    }

    @Override
    public CompletableFuture<CloseResult> close(UpstreamSession session) {
        return call("close", null, session, null, 0);
    }

    @Override
    public void close() {
        // nothing held
    }
}
