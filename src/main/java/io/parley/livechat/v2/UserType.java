package io.parley.livechat.v2;

import java.util.Locale;

/** Who an upstream event comes from ({@code user_type}). */
public enum UserType {
    AGENT, VISITOR, SUPERVISOR, UNKNOWN;

    /** The type for a {@code user_type} value; {@link #UNKNOWN} for a missing or new one. */
    public static UserType of(String userType) {
        if (userType == null) {
            return UNKNOWN;
        }
        switch (userType.toLowerCase(Locale.ROOT)) {
            case "agent": return AGENT;
            case "visitor": return VISITOR;
            case "supervisor": return SUPERVISOR;
            default: return UNKNOWN;
        }
    }
}
