package io.parley.logs;

import org.slf4j.MDC;

/**
 * Names the conversation in every log line written while it is being handled, whichever class
 * writes it: its log id goes into the logging context under {@value #KEY}. The id is Parley's own,
 * never an upstream id. Use as {@code ConversationLog.run(logId, task)}, or
 * {@code try (ConversationLog named = ConversationLog.of(logId)) { ... }}.
 */
public final class ConversationLog implements AutoCloseable {

    /** The key of the logging context (MDC) that holds the conversation's log id. */
    public static final String KEY = "conversation";

    private final String previous;

    private ConversationLog(String logId) {
        previous = MDC.get(KEY);
        MDC.put(KEY, logId);
    }

    public static ConversationLog of(String logId) {
        return new ConversationLog(logId);
    }

    /** Runs the task with the conversation named in its log lines. */
    @SuppressWarnings("try") // the scope is the point: nothing reads it
    public static void run(String logId, Runnable task) {
        try (ConversationLog named = of(logId)) {
            task.run();
        }
    }

    /** Puts back what the context held before, as callbacks may run inside another conversation's work. */
    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(KEY);
        } else {
            MDC.put(KEY, previous);
        }
    }
}
