package io.parley.livechat.v3;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * Reads parsed JSON answers defensively: a field of the wrong type reads as absent, so that an
 * answer with new or odd fields never fails a chat.
 */
final class Json {

    private Json() {
    }

    static String text(Map<String, Object> object, String name) {
        return object != null && object.get(name) instanceof String value ? value : null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Map<String, Object> object, String name) {
        return object != null && object.get(name) instanceof Map<?, ?> value ? (Map<String, Object>) value : null;
    }

    /** The objects of an array field, skipping anything that is not an object. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Map<String, Object> object, String name) {
        if (object == null || !(object.get(name) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Map.class::isInstance).map(item -> (Map<String, Object>) item).toList();
    }

    static List<String> texts(Map<String, Object> object, String name) {
        if (object == null || !(object.get(name) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    static boolean flag(Map<String, Object> object, String name) {
        return object != null && Boolean.TRUE.equals(object.get(name));
    }

    static Integer integer(Map<String, Object> object, String name) {
        return object != null && object.get(name) instanceof Number number ? Integer.valueOf(number.intValue()) : null;
    }

    /** An ISO-8601 time such as {@code 2019-12-09T12:01:18.909000Z}, or null. */
    static Instant time(Map<String, Object> object, String name) {
        String text = text(object, name);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
