package io.parley.livechat.v2;

import java.util.Objects;

/**
 * The pair of upstream ids that together give read and write access to one chat. They are
 * secrets: {@link #toString()} never shows them, so a session can be logged by mistake
 * without leaking them.
 */
public final class UpstreamSession {

    private final String visitorId;
    private final String securedSessionId;

    public UpstreamSession(String visitorId, String securedSessionId) {
        this.visitorId = Objects.requireNonNull(visitorId, "visitorId");
        this.securedSessionId = Objects.requireNonNull(securedSessionId, "securedSessionId");
    }

    public String visitorId() {
        return visitorId;
    }

    public String securedSessionId() {
        return securedSessionId;
    }

    /** Replaces every occurrence of either id in a text by a placeholder. */
    public String redact(String text) {
        return redact(redact(text, securedSessionId), visitorId);
    }

    /** Replaces every occurrence of one secret in a text by a placeholder. */
    public static String redact(String text, String secret) {
        if (text == null || secret.isEmpty()) {
            return text;
        }
        return text.replace(secret, "[redacted]");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof UpstreamSession that
                && visitorId.equals(that.visitorId) && securedSessionId.equals(that.securedSessionId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(visitorId, securedSessionId);
    }

    @Override
    public String toString() {
        return "UpstreamSession[ids redacted]";
    }
}
