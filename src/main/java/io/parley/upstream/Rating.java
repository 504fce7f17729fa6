package io.parley.upstream;

import java.util.Locale;

/**
 * The visitor's rating of the chat that ended ({@link Capability#RATING}): good or bad, with an
 * optional comment; a null {@code score} takes the rating back (and its comment with it).
 *
 * @param score   good or bad, or null for no rating
 * @param comment what the visitor added, non-blank, or null
 */
public record Rating(Score score, String comment) {

    /** How long the visitor may change their rating after the chat ended (and only until they start another). */
    public static final java.time.Duration CHANGEABLE_FOR = java.time.Duration.ofHours(24);

    /** The longest comment taken, in characters (Unicode code points). */
    public static final int MAX_COMMENT = 1000;

    public Rating {
        if (score == null) {
            comment = null; // a rating taken back takes its comment too
        } else if (comment != null && comment.isBlank()) {
            comment = null;
        }
    }

    /** Good or bad. */
    public enum Score {
        GOOD, BAD;

        /** The lower-case name, as tabs say it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
