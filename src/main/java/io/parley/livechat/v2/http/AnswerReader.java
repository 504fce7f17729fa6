package io.parley.livechat.v2.http;

import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.UpstreamEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON answers of the Visitors Chat API with {@link BoundedJson}. Shapes are checked by
 * hand, field by field, so that any deviation becomes a {@link MalformedAnswerException} saying
 * what was wrong, and unknown fields are ignored. Of a poll's events, those that can be read are
 * kept and the others counted: one bad event never costs the chat the rest.
 */
final class AnswerReader {

    private static final int MAX_ERROR_MESSAGE = 200;

    /** The start answer: empty when banned, else the {@code secured_session_id}. */
    Optional<String> startAnswer(String body) throws MalformedAnswerException {
        Map<?, ?> answer = object(body);
        if (Boolean.TRUE.equals(answer.get("banned"))) {
            return Optional.empty();
        }
        if (answer.get("secured_session_id") instanceof String id && !id.isBlank()) {
            return Optional.of(id);
        }
        throw new MalformedAnswerException("the start answer has no secured_session_id");
    }

    /**
     * The events of a poll's answer. A body {@code cut} short (the answer was larger than the
     * client takes) yields the events before the cut while their ids rise, the order the upstream
     * lists them in, so that the cursor cannot pass an event that was cut off; the answer then
     * says more are pending.
     */
    PollResult.Polled events(String body, Instant receivedAt, boolean cut) throws MalformedAnswerException {
        List<UpstreamEvent> events = new ArrayList<>();
        int[] unreadable = {0};
        try {
            BoundedJson.readStreaming(body, "events", element -> {
                try {
                    events.add(EventReader.read(element, receivedAt));
                } catch (MalformedAnswerException e) {
                    unreadable[0]++;
                }
            });
        } catch (BoundedJson.BrokenOffException e) {
            if (!cut) {
                throw new MalformedAnswerException(e.arrayComplete() ? "the answer is not JSON" : "the answer breaks off");
            }
            if (e.arrayComplete()) {
                return new PollResult.Polled(events, unreadable[0], false); // cut after the events: all are here
            }
            if (events.isEmpty()) {
                // One event larger than an answer may be: it can never be read. Counted, so that the
                // chat is not taken to have more coming and its sends are settled as usual.
                return new PollResult.Polled(List.of(), unreadable[0] + 1, false);
            }
            return new PollResult.Polled(risingRun(events), unreadable[0], true);
        }
        return new PollResult.Polled(events, unreadable[0], false);
    }

    private static List<UpstreamEvent> risingRun(List<UpstreamEvent> events) {
        int end = 0;
        while (end < events.size() && (end == 0 || events.get(end).messageId() > events.get(end - 1).messageId())) {
            end++;
        }
        return events.subList(0, end);
    }

    /**
     * Checks that a send or close answer is the documented {@code success: true}. Anything else
     * in a 200, {@code success: false} included, says nothing certain about whether the call took
     * effect: only an error status refuses a call.
     */
    void requireSuccess(String body) throws MalformedAnswerException {
        if (!Boolean.TRUE.equals(object(body).get("success"))) {
            throw new MalformedAnswerException("the answer does not say success: true");
        }
    }

    /**
     * The upstream's own explanation in an error answer, shortened to one line; the error body's
     * shape is not documented, so the usual ones are tried in turn.
     */
    String errorMessage(String body) {
        Object answer;
        try {
            answer = BoundedJson.read(body);
        } catch (MalformedAnswerException e) {
            return "(no JSON error details)";
        }
        String message = null;
        if (answer instanceof Map<?, ?> map) {
            message = describe(map.get("error"));
            if (message == null) {
                message = describe(map.get("errors"));
            }
            if (message == null) {
                message = describe(map.get("message"));
            }
        }
        return message == null ? "(no error message)" : oneLine(message);
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> map) {
            Object message = map.get("message");
            return message instanceof String text ? text : describe(map.get("type"));
        }
        if (value instanceof List<?> list && !list.isEmpty()) {
            return describe(list.get(0));
        }
        return null;
    }

    private Map<?, ?> object(String body) throws MalformedAnswerException {
        Object answer = BoundedJson.read(body);
        if (answer instanceof Map<?, ?> map) {
            return map;
        }
        throw new MalformedAnswerException("the answer is not a JSON object");
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > MAX_ERROR_MESSAGE ? line.substring(0, MAX_ERROR_MESSAGE) + "..." : line;
    }
}
