package io.parley.livechat.v3.http;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * JSON as the v3 interfaces hand it around: objects as {@code Map<String, Object>}, arrays as
 * {@code List<Object>}, numbers as {@code BigDecimal}, strings, booleans and null. Reading is
 * iterative with a bound on nesting, so that no answer, however hostile, can exhaust the stack.
 */
final class JsonText {

    /** The deepest nesting accepted; the documented answers need well under ten levels. */
    static final int MAX_DEPTH = 32;

    /** Parsson's own limit, lifted: ours is checked first and gives the clearer message. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(
            Map.of("org.eclipse.parsson.maxDepth", Integer.MAX_VALUE));
    private static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    private JsonText() {
    }

    /** The text as one JSON object; the exception's message says what is wrong, never what the text holds. */
    static Map<String, Object> readObject(String text) throws MalformedJsonException {
        if (read(text) instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) map;
            return object;
        }
        throw new MalformedJsonException("not a JSON object");
    }

    /** The text as one JSON value. */
    static Object read(String text) throws MalformedJsonException {
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw new MalformedJsonException("empty");
            }
            Object value = value(parser, parser.next());
            if (parser.hasNext()) {
                throw new MalformedJsonException("more than one JSON value");
            }
            return value;
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            throw new MalformedJsonException("not JSON");
        }
    }

    private static Object value(JsonParser parser, JsonParser.Event first) throws MalformedJsonException {
        Deque<Container> open = new ArrayDeque<>();
        JsonParser.Event event = first;
        while (true) {
            Object done;
            switch (event) {
                case START_OBJECT, START_ARRAY -> {
                    if (open.size() >= MAX_DEPTH) {
                        throw new MalformedJsonException("nested more than " + MAX_DEPTH + " levels deep");
                    }
                    open.push(new Container(event == JsonParser.Event.START_OBJECT));
                    event = parser.next();
                    continue;
                }
                case KEY_NAME -> {
                    open.peek().key = parser.getString();
                    event = parser.next();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> done = open.pop().value();
                case VALUE_STRING -> done = parser.getString();
                case VALUE_NUMBER -> done = parser.getBigDecimal();
                case VALUE_TRUE -> done = Boolean.TRUE;
                case VALUE_FALSE -> done = Boolean.FALSE;
                default -> done = null;
            }
            if (open.isEmpty()) {
                return done;
            }
            open.peek().add(done);
            event = parser.next();
        }
    }

    /**
     * Writes maps (with string keys), lists, strings, numbers, booleans and nulls as JSON. Anything
     * else, or a number that JSON cannot carry, is a mistake of the caller's.
     *
     * @throws IllegalArgumentException naming the type that cannot be written, never a value
     */
    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = GENERATORS.createGenerator(out)) {
            write(generator, null, value, 0);
        }
        return out.toString();
    }

    private static void write(JsonGenerator generator, String key, Object value, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("nested more than " + MAX_DEPTH + " levels deep");
        }
        if (value instanceof Map<?, ?> map) {
            if (key == null) {
                generator.writeStartObject();
            } else {
                generator.writeStartObject(key);
            }
            for (Map.Entry<?, ?> member : map.entrySet()) {
                if (!(member.getKey() instanceof String name)) {
                    throw new IllegalArgumentException("an object key that is not a string");
                }
                write(generator, name, member.getValue(), depth + 1);
            }
            generator.writeEnd();
        } else if (value instanceof List<?> list) {
            if (key == null) {
                generator.writeStartArray();
            } else {
                generator.writeStartArray(key);
            }
            for (Object element : list) {
                write(generator, null, element, depth + 1);
            }
            generator.writeEnd();
        } else if (value == null) {
            if (key == null) {
                generator.writeNull();
            } else {
                generator.writeNull(key);
            }
        } else if (value instanceof String text) {
            if (key == null) {
                generator.write(text);
            } else {
                generator.write(key, text);
            }
        } else if (value instanceof Boolean bool) {
            if (key == null) {
                generator.write(bool);
            } else {
                generator.write(key, bool);
            }
        } else if (value instanceof Number number) {
            BigDecimal decimal = decimal(number);
            if (key == null) {
                generator.write(decimal);
            } else {
                generator.write(key, decimal);
            }
        } else {
            throw new IllegalArgumentException("a value of type " + value.getClass().getSimpleName());
        }
    }

    private static BigDecimal decimal(Number number) {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            return BigDecimal.valueOf(number.longValue());
        }
        double value = number.doubleValue();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("a number JSON cannot carry");
        }
        return BigDecimal.valueOf(value);
    }

    /** An object or array being read. */
    private static final class Container {
        final Map<String, Object> members;
        final List<Object> elements;
        String key;

        Container(boolean object) {
            members = object ? new LinkedHashMap<>() : null;
            elements = object ? null : new ArrayList<>();
        }

        void add(Object value) {
            if (members != null) {
                members.put(key, value);
            } else {
                elements.add(value);
            }
        }

        Object value() {
            return members != null ? members : elements;
        }
    }

    /** Text that is not the JSON expected; the message says what is wrong, never what the text holds. */
    static final class MalformedJsonException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedJsonException(String message) {
            super(message, null, false, false);
        }
    }
}
