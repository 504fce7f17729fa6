package io.parley.emulator;

/** The fault drawn for one call, with the latency to add before answering and the error status. */
public record Fault(Kind kind, long latencyMillis, int errorStatus) {

    /** What goes wrong with the call. */
    public enum Kind {
        NONE,
        /** Answered with an error; the call does not take effect. */
        ERROR,
        /** Answered with an error after the call took effect: the answer lies. */
        ERROR_AFTER,
        /** The connection breaks mid-answer, after the call took effect. */
        DROP,
        /** A 200 whose body is not the documented answer, after the call took effect. */
        MALFORMED,
        /** Every event twice, newest first (polls only). */
        DISORDER
    }

    public static final Fault NONE = new Fault(Kind.NONE, 0, 500);

    /** Whether the call should take effect: only an injected error before it stops it. */
    public boolean takesEffect() {
        return kind != Kind.ERROR;
    }

    /** Whether the answer is an error status, whatever happened to the call. */
    public boolean answersError() {
        return kind == Kind.ERROR || kind == Kind.ERROR_AFTER;
    }
}
