package io.parley.upstream.http;

import io.parley.upstream.UpstreamEvent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON answers of the Visitors Chat API with JSON-B. Shapes are checked by hand, field
 * by field, so that any deviation becomes a {@link MalformedAnswerException} saying what was
 * wrong, and unknown fields are ignored.
 */
final class AnswerReader implements AutoCloseable {

    private static final int MAX_ERROR_MESSAGE = 200;

    private final Jsonb jsonb = JsonbBuilder.create();

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

    List<UpstreamEvent> events(String body, Instant receivedAt) throws MalformedAnswerException {
        Map<?, ?> answer = object(body);
        if (!(answer.get("events") instanceof List<?> raw)) {
            throw new MalformedAnswerException("the answer has no events array");
        }
        List<UpstreamEvent> events = new ArrayList<>(raw.size());
        for (Object element : raw) {
            events.add(EventReader.read(element, receivedAt));
        }
        return events;
    }

    /** Whether a send or close answer says {@code success: true}. */
    boolean success(String body) throws MalformedAnswerException {
        Object success = object(body).get("success");
        if (success instanceof Boolean value) {
            return value;
        }
        throw new MalformedAnswerException("the answer has no success flag");
    }

    /**
     * The upstream's own explanation in an error answer, shortened to one line; the error body's
     * shape is not documented, so the usual ones are tried in turn.
     */
    String errorMessage(String body) {
        Object answer;
        try {
            answer = jsonb.fromJson(body, Object.class);
        } catch (JsonbException | IllegalArgumentException e) {
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
        Object answer;
        try {
            answer = jsonb.fromJson(body, Object.class);
        } catch (JsonbException | IllegalArgumentException e) {
            throw new MalformedAnswerException("the answer is not JSON");
        }
        if (answer instanceof Map<?, ?> map) {
            return map;
        }
        throw new MalformedAnswerException("the answer is not a JSON object");
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\s+", " ").strip();
        return line.length() > MAX_ERROR_MESSAGE ? line.substring(0, MAX_ERROR_MESSAGE) + "..." : line;
    }

    @Override
    public void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            // nothing held that outlives the process
        }
    }
}
