package io.parley.bench;

import io.parley.emulator.v3.DemoAccount;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which of the emulator's APIs the measured Parley speaks, set up as with a real account: v2
 * (polled, a licence) or v3 (pushed over one RTM socket per chat, the emulator's demo account,
 * its accounts service). Says how the emulator names and counts each one's calls.
 */
enum UpstreamKind {
    V2,
    V3;

    /** {@code v2} or {@code v3}, as the command line and the report name it. */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static List<UpstreamKind> parse(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "v2" -> List.of(V2);
            case "v3" -> List.of(V3);
            case "both" -> List.of(V2, V3);
            default -> throw new IllegalArgumentException("--upstream must be v2, v3 or both, not " + value);
        };
    }

    /** The settings that point Parley at the emulator as at LiveChat (as the tests' {@code TestedUpstream} does). */
    List<String> accountSettings(URI emulator) {
        if (this == V2) {
            return List.of("licence-id=123", "api-url=" + emulator);
        }
        return List.of("organization-id=" + DemoAccount.ORGANIZATION_ID, "client-id=" + DemoAccount.CLIENT_ID,
                "client-secret=" + DemoAccount.CLIENT_SECRET, "refresh-token=" + DemoAccount.REFRESH_TOKEN,
                "api-url=" + emulator, "accounts-url=" + emulator + "/accounts");
    }

    /**
     * Billed requests in the emulator's call counts: on v2 every call (each poll is a request),
     * on v3 the Web API's (RTM requests and the accounts service are not billed per request).
     */
    long billed(Map<String, Long> calls) {
        if (this == V3) {
            return calls.getOrDefault("web:total", 0L);
        }
        return calls.getOrDefault("start", 0L) + calls.getOrDefault("get_pending_messages", 0L)
                + calls.getOrDefault("send_message", 0L) + calls.getOrDefault("close", 0L);
    }

    /** The emulator's count of the visitor's messages sent, as Parley sends them. */
    String sendCount() {
        return this == V2 ? "send_message" : "web:send_event";
    }

    /**
     * Faults while the chats start: one start in ten answered 500 after it landed, one in twenty
     * dropped after; on v3 the customers' tokens also last 20 s from now on, so that every socket
     * of the steady phase meets {@code access_token_expired} a few times.
     */
    String startFaults() {
        String start = "error_after_rate=0.1&error_status=500&drop_rate=0.05&calls=";
        return this == V2 ? start + "start" : start + "start_chat&token_lifetime_s=" + Chaos.V3_TOKEN_LIFETIME_S;
    }

    /** Clears the faults of calls, and on v3 those of sockets and pushes, keeping the token lifetime. */
    String calm() {
        return this == V2 ? "error_rate=0" : "error_rate=0&rtm_drop_rate=0&push_loss_rate=0";
    }
}
