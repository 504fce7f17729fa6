package io.parley.logs;

/**
 * Text from outside (a request, a frame, an upstream answer) as it may appear in a log line: on
 * one line, and clipped, so that nobody outside decides how long a line is or forges one.
 */
public final class LogText {

    /** The most characters of outside text a log line carries. */
    public static final int MAX_LENGTH = 200;

    private LogText() {
    }

    /** The text with control characters made spaces, clipped to {@link #MAX_LENGTH} with its full length said. */
    public static String clip(Object text) {
        String value = String.valueOf(text);
        int length = value.length();
        String kept = length > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
        kept = kept.replaceAll("\\p{Cntrl}", " ");
        return length > MAX_LENGTH ? kept + "… (" + length + " characters)" : kept;
    }
}
