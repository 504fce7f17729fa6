package io.parley.upstream;

import java.util.List;

/** The outcome of polling a chat: its pending events, or a failure. */
public sealed interface PollResult permits PollResult.Polled, UpstreamFailure {

    /** The events the upstream returned, in the order it returned them (possibly none). */
    record Polled(List<UpstreamEvent> events) implements PollResult {

        public Polled {
            events = List.copyOf(events);
        }
    }
}
