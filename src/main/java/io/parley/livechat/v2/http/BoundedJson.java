package io.parley.livechat.v2.http;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Reads JSON from the upstream into maps, lists, strings, {@code BigDecimal}s, booleans and
 * nulls, without recursion and with a bound on nesting, so that no answer, however hostile, can
 * exhaust the stack. The elements of a top-level array can be read one by one, which lets a
 * reader keep the elements that can be read and skip the others.
 */
final class BoundedJson {

    /** The deepest nesting accepted in a value; the documented answers need four levels. */
    static final int MAX_DEPTH = 32;

    /** The parser's own limit, far above ours, so that a too-deep element can be skipped by us. */
    private static final JsonParserFactory PARSERS = Json.createParserFactory(
            Map.of("org.eclipse.parsson.maxDepth", Integer.MAX_VALUE));

    /** Marks an array element that was nested too deeply and was skipped. */
    static final Object TOO_DEEP = new Object() {
        @Override
        public String toString() {
            return "(nested too deeply)";
        }
    };

    private BoundedJson() {
    }

    /** The whole body as one value. */
    static Object read(String body) throws MalformedAnswerException {
        try (JsonParser parser = PARSERS.createParser(new StringReader(body))) {
            if (!parser.hasNext()) {
                throw new MalformedAnswerException("the answer is empty");
            }
            Object value = value(parser, parser.next());
            if (value == TOO_DEEP) {
                throw new MalformedAnswerException("the answer is nested more than " + MAX_DEPTH + " levels deep");
            }
            if (parser.hasNext()) {
                throw new MalformedAnswerException("the answer has more than one JSON value");
            }
            return value;
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            throw new MalformedAnswerException("the answer is not JSON");
        }
    }

    /**
     * Reads a JSON object whose member {@code arrayName} is an array, handing each element of that
     * array to {@code elements} as it is read ({@link #TOO_DEEP} for one nested too deeply), and
     * returns the object's other members; an answer without that array is malformed. When the body breaks off, what was read before the
     * break has been handed over and the exception says so.
     */
    static Map<String, Object> readStreaming(String body, String arrayName, Consumer<Object> elements)
            throws MalformedAnswerException, BrokenOffException {
        Map<String, Object> others = new LinkedHashMap<>();
        boolean inArray = false;
        boolean streamed = false;
        try (JsonParser parser = PARSERS.createParser(new StringReader(body))) {
            if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
                throw new MalformedAnswerException("the answer is not a JSON object");
            }
            JsonParser.Event event;
            while ((event = parser.next()) != JsonParser.Event.END_OBJECT) {
                String key = parser.getString();
                JsonParser.Event first = parser.next();
                if (key.equals(arrayName) && first == JsonParser.Event.START_ARRAY) {
                    inArray = true;
                    JsonParser.Event element;
                    while ((element = parser.next()) != JsonParser.Event.END_ARRAY) {
                        elements.accept(value(parser, element));
                    }
                    inArray = false;
                    streamed = true;
                } else {
                    Object value = value(parser, first);
                    if (value == TOO_DEEP) {
                        throw new MalformedAnswerException("the answer is nested more than " + MAX_DEPTH + " levels deep");
                    }
                    others.put(key, value);
                }
            }
            if (parser.hasNext()) {
                throw new MalformedAnswerException("the answer has more than one JSON value");
            }
            if (!streamed) {
                throw new MalformedAnswerException("the answer has no " + arrayName + " array");
            }
            return others;
        } catch (JsonException | NoSuchElementException | IllegalStateException e) {
            if (inArray || streamed) {
                throw new BrokenOffException(streamed);
            }
            throw new MalformedAnswerException("the answer is not JSON");
        }
    }

    /**
     * The value that begins with {@code first}, read iteratively; {@link #TOO_DEEP}, with the
     * whole value consumed, when it nests more than {@link #MAX_DEPTH} levels.
     */
    private static Object value(JsonParser parser, JsonParser.Event first) {
        Deque<Container> open = new ArrayDeque<>();
        JsonParser.Event event = first;
        while (true) {
            Object done;
            switch (event) {
                case START_OBJECT, START_ARRAY -> {
                    if (open.size() >= MAX_DEPTH) {
                        skipToEnd(parser, open.size() + 1);
                        return TOO_DEEP;
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

    /** Consumes the rest of {@code levels} open containers. */
    private static void skipToEnd(JsonParser parser, int levels) {
        int depth = levels;
        while (depth > 0) {
            switch (parser.next()) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                default -> {
                    // scalars and keys inside what is skipped
                }
            }
        }
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

    /** The body broke off in or after the streamed array; the elements read before were handed over. */
    static final class BrokenOffException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean arrayComplete;

        BrokenOffException(boolean arrayComplete) {
            super("the answer breaks off", null, false, false);
            this.arrayComplete = arrayComplete;
        }

        /** Whether every element of the array was handed over before the break. */
        boolean arrayComplete() {
            return arrayComplete;
        }
    }
}
