package io.parley.testing;

import io.parley.emulator.v3.DemoAccount;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Which of the emulator's APIs a test run puts Parley through: the system property
 * {@code parley.test.upstream} ({@code v3}, the demo's default, or {@code v2}). The build runs
 * the tests of whole chats once per upstream, so each is written once and checked against both;
 * tests of one API's own behaviour pin theirs with {@code demo-upstream}.
 */
public enum TestedUpstream {
    V2("start", "send_message", "close"),
    V3("start_chat", "send_event", "deactivate_chat");

    private final String start;
    private final String send;
    private final String close;

    TestedUpstream(String start, String send, String close) {
        this.start = start;
        this.send = send;
        this.close = close;
    }

    /** The upstream of this run. */
    public static TestedUpstream current() {
        String chosen = System.getProperty("parley.test.upstream", "v3").strip().toLowerCase(Locale.ROOT);
        return switch (chosen) {
            case "v2" -> V2;
            case "v3" -> V3;
            default -> throw new IllegalStateException("parley.test.upstream must be v2 or v3, not " + chosen);
        };
    }

    /** The value of the {@code demo-upstream} setting that chooses it. */
    public String demoUpstream() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The settings of a Parley that talks to this emulator as to LiveChat (not in demo mode): a
     * licence on v2; on v3 the emulator's demo account, its accounts service and its API.
     */
    public Map<String, String> accountSettings(URI emulator) {
        if (this == V2) {
            return Map.of("licence-id", "123", "api-url", emulator.toString());
        }
        return Map.of("organization-id", DemoAccount.ORGANIZATION_ID, "client-id", DemoAccount.CLIENT_ID,
                "client-secret", DemoAccount.CLIENT_SECRET, "refresh-token", DemoAccount.REFRESH_TOKEN,
                "api-url", emulator.toString(), "accounts-url", emulator + "/accounts");
    }

    /** The emulator's name of the call that starts a chat, for its faults and counts. */
    public String startCall() {
        return start;
    }

    /** The emulator's count of chats started (on v3, through the Web API, the way Parley starts them). */
    public String startCount() {
        return this == V2 ? start : "web:" + start;
    }

    /** The emulator's name of the call that sends a visitor's message. */
    public String sendCall() {
        return send;
    }

    /** The emulator's count of visitor messages sent (on v3, through the Web API, as Parley sends them). */
    public String sendCount() {
        return this == V2 ? send : "web:" + send;
    }

    /** The emulator's name of the call that ends a chat from the visitor's side. */
    public String closeCall() {
        return close;
    }

    /**
     * The emulator's faults on how events reach Parley, as {@code /faults} parameters: on v2 its
     * polls fail (errors, dropped connections); on v3 RTM sockets drop and pushes are lost, and
     * every read after a reconnection may fail too.
     */
    public String[] readFaults(String seed) {
        return this == V2
                ? new String[] {"error_rate", "0.3", "error_status", "500", "drop_rate", "0.1",
                    "calls", "get_pending_messages", "seed", seed}
                : new String[] {"error_rate", "0.2", "error_status", "500", "drop_rate", "0.1",
                    "rtm_drop_rate", "0.1", "push_loss_rate", "0.2", "calls", "get_chat", "seed", seed};
    }

    /**
     * Every kind of fault at once on reads and sends, as {@code /faults} parameters: errors,
     * dropped connections, malformed answers and latency; on v2 events also repeated and out of
     * order, on v3 sockets dropped and pushes lost.
     */
    public String[] everyFault(String seed) {
        return this == V2
                ? new String[] {"error_rate", "0.2", "drop_rate", "0.1", "malformed_rate", "0.1", "disorder_rate", "0.2",
                    "latency_ms", "20", "calls", "get_pending_messages,send_message", "seed", seed}
                : new String[] {"error_rate", "0.2", "drop_rate", "0.1", "malformed_rate", "0.1", "latency_ms", "20",
                    "rtm_drop_rate", "0.05", "push_loss_rate", "0.2", "calls", "get_chat,send_event", "seed", seed};
    }

    /**
     * Every answer of the upstream that keeps chats going made unreadable (a 200 whose body is
     * no answer), as {@code /faults} parameters; on v3 the logins too, which sockets dropped
     * with {@link AgentApi#dropSockets()} then make again.
     */
    public String[] malformedEverywhere() {
        return this == V2
                ? new String[] {"malformed_rate", "1", "calls", "get_pending_messages,send_message,start"}
                : new String[] {"malformed_rate", "1", "calls", "login,get_chat,send_event,start_chat"};
    }

    /** The call whose failures a node's readiness shows first: v2's polls, v3's RTM logins. */
    public String keepingCall() {
        return this == V2 ? "poll" : "rtm_login";
    }

    /**
     * Makes the upstream unreachable for every chat until the faults are cleared: every read and
     * send answered 503; on v3 the logins too, and every socket dropped so that they are made.
     */
    public void cutOff(AgentApi agent) throws Exception {
        if (this == V2) {
            agent.faults("error_rate", "1", "error_status", "503", "calls", "get_pending_messages");
        } else {
            agent.faults("error_rate", "1", "error_status", "503", "calls", "login,get_chat,send_event");
            agent.dropSockets();
        }
    }
}
