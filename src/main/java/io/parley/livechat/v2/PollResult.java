package io.parley.livechat.v2;

import java.util.List;

/** The outcome of polling a chat: its pending events, or a failure. */
public sealed interface PollResult permits PollResult.Polled, UpstreamFailure {

    /**
     * The events the upstream returned that could be read, in the order it returned them
     * (possibly none).
     *
     * @param unreadable how many events of the answer could not be read and were left out
     * @param more       whether the answer was too large to take whole, so that more events are
     *                   pending than were read: poll again soon
     */
    record Polled(List<UpstreamEvent> events, int unreadable, boolean more) implements PollResult {

        public Polled {
            events = List.copyOf(events);
        }

        /** A whole answer whose every event could be read. */
        public Polled(List<UpstreamEvent> events) {
            this(events, 0, false);
        }
    }
}
