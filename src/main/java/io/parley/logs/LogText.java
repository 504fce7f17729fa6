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

    /**
     * The text with control characters and line breaks made spaces, clipped to
     * {@link #MAX_LENGTH} with its full length said.
     */
    public static String clip(Object text) {
        String value = String.valueOf(text);
        int length = value.length();
        int end = Math.min(length, MAX_LENGTH);
        if (end < length && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--; // not half a character
        }
        // Every control character (C0, DEL, C1 such as NEL) and the Unicode line and paragraph separators.
        String kept = value.substring(0, end).replaceAll("[\\p{Cc}\\p{Zl}\\p{Zp}]", " ");
        return length > MAX_LENGTH ? kept + "… (" + length + " characters)" : kept;
    }
}
