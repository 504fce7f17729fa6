package io.parley.emulator.v3;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A request's JSON payload (maps, lists, {@link BigDecimal} numbers), with typed access that
 * answers {@code validation} naming the field at fault.
 */
public final class Payload {

    private static final int MAX_TEXT = 65_536;

    private final Map<String, Object> json;

    private Payload(Map<String, Object> json) {
        this.json = json;
    }

    @SuppressWarnings("unchecked")
    public static Payload of(Object parsed, String what) {
        if (parsed == null) {
            return new Payload(Map.of());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw V3Error.validation(what + " must be an object");
        }
        return new Payload((Map<String, Object>) map);
    }

    public boolean has(String name) {
        return json.get(name) != null;
    }

    public Map<String, Object> raw() {
        return json;
    }

    public String string(String name) {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw V3Error.validation("`" + name + "` is required");
        }
        return value;
    }

    public String optionalString(String name) {
        Object value = json.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw V3Error.validation("`" + name + "` must be a string");
        }
        if (text.length() > MAX_TEXT) {
            throw V3Error.validation("`" + name + "` is too long");
        }
        return text;
    }

    public boolean bool(String name, boolean fallback) {
        Object value = json.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean bool)) {
            throw V3Error.validation("`" + name + "` must be a boolean");
        }
        return bool;
    }

    public Integer optionalInt(String name) {
        Object value = json.get(name);
        if (value == null) {
            return null;
        }
        BigDecimal number = value instanceof BigDecimal decimal ? decimal
                : value instanceof Number n ? new BigDecimal(n.toString())
                : value instanceof String s && s.matches("-?\\d{1,9}") ? new BigDecimal(s) : null;
        try {
            if (number == null) {
                throw new ArithmeticException();
            }
            return number.intValueExact();
        } catch (ArithmeticException e) {
            throw V3Error.validation("`" + name + "` must be a whole number");
        }
    }

    public Payload object(String name) {
        Payload value = optionalObject(name);
        if (value == null) {
            throw V3Error.validation("`" + name + "` is required");
        }
        return value;
    }

    public Payload optionalObject(String name) {
        Object value = json.get(name);
        return value == null ? null : of(value, "`" + name + "`");
    }

    public List<Object> optionalList(String name) {
        Object value = json.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list)) {
            throw V3Error.validation("`" + name + "` must be an array");
        }
        return new java.util.ArrayList<>(list);
    }

    /** A properties object: namespaces of name → value. */
    @SuppressWarnings("unchecked")
    public Map<String, Map<String, Object>> properties(String name) {
        Payload properties = object(name);
        for (Map.Entry<String, Object> namespace : properties.json.entrySet()) {
            if (!(namespace.getValue() instanceof Map<?, ?>)) {
                throw V3Error.validation("`" + name + "." + namespace.getKey() + "` must be an object");
            }
        }
        return (Map<String, Map<String, Object>>) (Map<?, ?>) properties.json;
    }

    /** Properties named for deletion, {@code {namespace: [name, …]}}, as the delete actions take them. */
    public Map<String, java.util.List<String>> propertyNames(String name) {
        Payload properties = object(name);
        Map<String, java.util.List<String>> names = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Object> namespace : properties.json.entrySet()) {
            if (!(namespace.getValue() instanceof java.util.List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
                throw V3Error.validation("`" + name + "." + namespace.getKey() + "` must be an array of property names");
            }
            names.put(namespace.getKey(), list.stream().map(String.class::cast).toList());
        }
        return names;
    }
}
