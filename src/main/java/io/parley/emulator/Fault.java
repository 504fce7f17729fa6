package io.parley.emulator;

/** The fault drawn for one call, with the latency to add before answering. */
public record Fault(Kind kind, long latencyMillis) {

    /** What goes wrong with the call. */
    public enum Kind { NONE, ERROR, DROP, MALFORMED, DISORDER }

    public static final Fault NONE = new Fault(Kind.NONE, 0);

    /** Whether the call should take effect: only an injected error stops it. */
    public boolean takesEffect() {
        return kind != Kind.ERROR;
    }
}
