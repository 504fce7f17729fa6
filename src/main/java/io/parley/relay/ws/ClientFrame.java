package io.parley.relay.ws;

import io.parley.relay.ErrorCode;
import io.parley.upstream.Rating;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.math.BigDecimal;
import java.util.Map;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One frame from a tab, parsed and checked field by field: never trust the client. Every
 * accessor throws a {@link BadFrameException} naming the field at fault.
 */
final class ClientFrame {

    static final int MAX_NAME = 100;
    static final int MAX_EMAIL = 254;
    private static final int MAX_DEPTH = 8;
    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private final Map<?, ?> fields;
    private final String type;

    private ClientFrame(Map<?, ?> fields, String type) {
        this.fields = fields;
        this.type = type;
    }

    static ClientFrame parse(String text) throws BadFrameException {
        if (nestingDepth(text) > MAX_DEPTH) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "The frame is nested too deeply.");
        }
        Object json;
        try {
            json = JSONB.fromJson(text, Object.class);
        } catch (JsonbException | IllegalArgumentException e) {
            throw new BadFrameException(ErrorCode.BAD_JSON, "The frame is not valid JSON.");
        }
        if (!(json instanceof Map<?, ?> fields)) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "A frame must be a JSON object.");
        }
        if (!(fields.get("type") instanceof String type)) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "A frame needs a string field 'type'.");
        }
        return new ClientFrame(fields, type);
    }

    /**
     * How deeply arrays and objects nest, counted before parsing: a recursive parser given
     * thousands of brackets would run out of stack, and no frame of the protocol nests at all.
     */
    private static int nestingDepth(String text) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                deepest = Math.max(deepest, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return deepest;
    }

    String type() {
        return type;
    }

    /** The client-generated id of a message. */
    String clientId() throws BadFrameException {
        if (fields.get("id") instanceof String id && CLIENT_ID.matcher(id).matches()) {
            return id;
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME,
                "'id' must be 1 to 64 letters, digits or _ . : - characters.");
    }

    /** A visitor's message text, non-blank and at most {@code maxLength} characters. */
    String text(int maxLength, String clientId) throws BadFrameException {
        if (!(fields.get("text") instanceof String text) || text.isBlank()) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'text' must be a non-empty string.", clientId);
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw new BadFrameException(ErrorCode.TOO_LONG,
                    "Messages may be at most " + maxLength + " characters long.", clientId);
        }
        return text;
    }

    /** The token of a hello, or null for a new visitor. */
    String token() throws BadFrameException {
        Object token = fields.get("token");
        if (token == null) {
            return null;
        }
        if (token instanceof String text && TOKEN.matcher(text).matches()) {
            return text;
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'token' must be the token the server gave.");
    }

    /** The last sequence number a resuming tab saw; 0 when absent. */
    long lastSeq() throws BadFrameException {
        Object seq = fields.get("last_seq");
        if (seq == null) {
            return 0;
        }
        try {
            if (seq instanceof BigDecimal number && number.signum() >= 0) {
                return number.longValueExact();
            }
        } catch (ArithmeticException e) {
            // not a whole number: refused below
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'last_seq' must be a whole number of 0 or more.");
    }

    /** The visitor's draft of a {@code typing} frame: a string, empty once the composer is, at most {@code maxLength}. */
    String draft(int maxLength) throws BadFrameException {
        if (!(fields.get("text") instanceof String text)) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'text' must be a string.");
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw new BadFrameException(ErrorCode.TOO_LONG, "A draft may be at most " + maxLength + " characters long.");
        }
        return text;
    }

    /** The event number of a {@code seen} frame: the last event the visitor was shown. */
    long seenSeq() throws BadFrameException {
        try {
            if (fields.get("seq") instanceof BigDecimal number && number.signum() >= 0) {
                return number.longValueExact();
            }
        } catch (ArithmeticException e) {
            // not a whole number: refused below
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'seq' must be a whole number of 0 or more.");
    }

    static final int MAX_PAGE_URL = 2048;
    static final int MAX_PAGE_TITLE = 200;

    /**
     * The address of a {@code page} frame: http(s), at most {@link #MAX_PAGE_URL} characters, on
     * the tab's own site ({@code siteOrigin}); returned without its fragment.
     */
    String pageUrl(String siteOrigin) throws BadFrameException {
        if (!(fields.get("url") instanceof String url) || url.length() > MAX_PAGE_URL) {
            throw new BadFrameException(ErrorCode.BAD_FRAME,
                    "'url' must be an address of at most " + MAX_PAGE_URL + " characters.");
        }
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'url' must be an address.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
                || uri.getRawUserInfo() != null) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'url' must be an http or https address.");
        }
        String origin = scheme + "://" + uri.getRawAuthority().toLowerCase(java.util.Locale.ROOT);
        if (siteOrigin == null || !origin.equals(siteOrigin)) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'url' must be on the site the chat is embedded in.");
        }
        int fragment = url.indexOf('#');
        return fragment < 0 ? url : url.substring(0, fragment);
    }

    /** The title of a {@code page} frame as plain text: control characters dropped, spaces collapsed; null for none. */
    String pageTitle() throws BadFrameException {
        Object title = fields.get("title");
        if (title == null) {
            return null;
        }
        if (!(title instanceof String text) || text.length() > MAX_PAGE_TITLE) {
            throw new BadFrameException(ErrorCode.BAD_FRAME,
                    "'title' must be a string of at most " + MAX_PAGE_TITLE + " characters.");
        }
        String plain = text.replaceAll("[\\p{Cc}\\p{Cf}\\s]+", " ").strip();
        return plain.isEmpty() ? null : plain;
    }

    /** The greeting a {@code greeting} frame answers: its id, as the server gave it. */
    String greetingId() throws BadFrameException {
        if (fields.get("id") instanceof String id && CLIENT_ID.matcher(id).matches()) {
            return id;
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'id' must be the id of the greeting.");
    }

    /** Whether a {@code greeting} frame opens ({@code "accept"}) or dismisses ({@code "dismiss"}) it. */
    boolean greetingAccepted() throws BadFrameException {
        Object answer = fields.get("answer");
        if ("accept".equals(answer) || "dismiss".equals(answer)) {
            return "accept".equals(answer);
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'answer' must be \"accept\" or \"dismiss\".");
    }

    /**
     * The rating of a {@code rate} frame: {@code rating} {@code "good"}, {@code "bad"} or null (taken
     * back), and an optional {@code comment} of at most {@link Rating#MAX_COMMENT} characters.
     */
    Rating rating() throws BadFrameException {
        Object given = fields.get("rating");
        Rating.Score score;
        if (given == null) {
            score = null;
        } else if ("good".equals(given)) {
            score = Rating.Score.GOOD;
        } else if ("bad".equals(given)) {
            score = Rating.Score.BAD;
        } else {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'rating' must be \"good\", \"bad\" or null.");
        }
        Object comment = fields.get("comment");
        if (comment != null && !(comment instanceof String)) {
            throw new BadFrameException(ErrorCode.BAD_FRAME, "'comment' must be a string.");
        }
        String text = comment == null ? null : ((String) comment).strip();
        if (text != null && text.codePointCount(0, text.length()) > Rating.MAX_COMMENT) {
            throw new BadFrameException(ErrorCode.TOO_LONG,
                    "A comment may be at most " + Rating.MAX_COMMENT + " characters long.");
        }
        return new Rating(score, text == null || text.isEmpty() ? null : text);
    }

    String optionalText(String field, int maxLength) throws BadFrameException {
        Object value = fields.get(field);
        if (value == null || (value instanceof String text && text.isBlank())) {
            return null;
        }
        if (!(value instanceof String text) || text.length() > maxLength) {
            throw new BadFrameException(ErrorCode.BAD_FRAME,
                    "'" + field + "' must be a string of at most " + maxLength + " characters.");
        }
        return text.strip();
    }

    /** The optional e-mail address of a start; a bad one is refused naming the start's message. */
    String email(String clientId) throws BadFrameException {
        String email;
        try {
            email = optionalText("email", MAX_EMAIL);
        } catch (BadFrameException e) {
            throw new BadFrameException(ErrorCode.BAD_EMAIL, e.getMessage(), clientId);
        }
        if (email != null && !EMAIL.matcher(email).matches()) {
            throw new BadFrameException(ErrorCode.BAD_EMAIL, "'email' must be an e-mail address.", clientId);
        }
        return email;
    }

    /** The e-mail address a message left for later is answered at: required, and refused naming the message. */
    String requiredEmail(String clientId) throws BadFrameException {
        String email = email(clientId);
        if (email == null) {
            throw new BadFrameException(ErrorCode.BAD_EMAIL, "'email' is required to leave a message.", clientId);
        }
        return email;
    }

    /** A whole number field of at least 0 and at most {@code max}. */
    long number(String field, long max) throws BadFrameException {
        try {
            if (fields.get(field) instanceof BigDecimal number && number.signum() >= 0
                    && number.compareTo(BigDecimal.valueOf(max)) <= 0) {
                return number.longValueExact();
            }
        } catch (ArithmeticException e) {
            // not a whole number: refused below
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'" + field + "' must be a whole number from 0 to " + max + ".");
    }

    OptionalInt group() throws BadFrameException {
        Object group = fields.get("group");
        if (group == null) {
            return OptionalInt.empty();
        }
        try {
            if (group instanceof BigDecimal number && number.signum() >= 0) {
                return OptionalInt.of(number.intValueExact());
            }
        } catch (ArithmeticException e) {
            // not a small whole number: refused below
        }
        throw new BadFrameException(ErrorCode.BAD_FRAME, "'group' must be a whole number of 0 or more.");
    }
}
