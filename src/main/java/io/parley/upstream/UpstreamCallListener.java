package io.parley.upstream;

import java.time.Duration;

/**
 * Hears of every finished upstream call, for health and metrics. Called on the thread that
 * completed the call: keep it short.
 */
@FunctionalInterface
public interface UpstreamCallListener {

    /**
     * @param call     what was called, in a few lower-case words fit for a metric's tag ({@code start}, {@code poll}, ...)
     * @param outcome  {@code ok} or what went wrong, also fit for a tag ({@code timed_out}, {@code rejected}, ...)
     * @param answered whether the upstream answered in a way that shows it works (a success, or
     *                 "this chat is gone"), as opposed to an outage
     * @param ends     whether the call only ends a chat, which says little about the chats being kept
     */
    void finished(String call, String outcome, boolean answered, boolean ends, Duration took);
}
