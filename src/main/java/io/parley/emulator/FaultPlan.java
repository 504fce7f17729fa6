package io.parley.emulator;

import java.util.HashSet;
import java.util.Set;

/**
 * Which faults the emulated API injects into some visitor calls. On each call one random draw
 * picks an error before the call takes effect (half of them answered with an HTML error page, as
 * a proxy would), an error after it took effect (the answer lies: it landed), a dropped
 * connection or a malformed answer (both after the call took effect, as on a real network where
 * the answer is what gets lost), events repeated and out of order, or nothing. The added latency
 * applies to every call affected, also after it took effect.
 *
 * @param latencyMillis   delay added before answering
 * @param errorRate       share of calls answered with {@code errorStatus} without taking effect
 * @param errorStatus     the status of injected errors, e.g. 500 or 503
 * @param errorAfterRate  share of calls answered with {@code errorStatus} after taking effect
 * @param dropRate        share of calls whose connection breaks mid-answer
 * @param malformedRate   share of calls answered 200 with a body that is not the documented JSON
 * @param disorderRate    share of {@code get_pending_messages} answers that repeat every event and
 *                        list them newest first
 * @param calls           the calls affected: the v2 calls ({@code start}, {@code get_pending_messages},
 *                        {@code send_message}, {@code close}), the v3 actions by their name, over the
 *                        Web API and RTM alike ({@code start_chat}, {@code send_event}, {@code login},
 *                        ...), and the accounts calls ({@code accounts_token},
 *                        {@code accounts_customer_token}); empty means all
 * @param seed            seed of the random draws, for repeatable runs
 */
public record FaultPlan(long latencyMillis, double errorRate, int errorStatus, double errorAfterRate, double dropRate,
        double malformedRate, double disorderRate, Set<String> calls, long seed) {

    /** The calls of the Visitors Chat API v2. */
    public static final Set<String> V2_CALLS = Set.of("start", "get_pending_messages", "send_message", "close");

    /** The actions of the Customer Chat API v3 the emulator serves, over the Web API and RTM. */
    public static final Set<String> V3_ACTIONS = Set.of("login", "start_chat", "resume_chat", "send_event",
            "get_chat", "list_threads", "list_chats", "deactivate_chat", "get_customer", "update_customer",
            "set_customer_session_fields", "update_customer_page", "list_group_statuses",
            "get_dynamic_configuration", "send_sneak_peek", "mark_events_as_seen", "update_thread_properties",
            "update_chat_properties", "get_form", "get_predicted_agent");

    /** The calls of the accounts service: a refresh of the agent token, a customer token. */
    public static final Set<String> ACCOUNTS_CALLS = Set.of("accounts_token", "accounts_customer_token");

    /** The calls faults can be injected into. Declared before {@link #NONE}, which checks against it. */
    public static final Set<String> CALLS = union(V2_CALLS, V3_ACTIONS, ACCOUNTS_CALLS);

    public static final FaultPlan NONE = new FaultPlan(0, 0, 500, 0, 0, 0, 0, Set.of(), 1);

    public FaultPlan {
        calls = Set.copyOf(calls);
        if (latencyMillis < 0 || latencyMillis > 120_000) {
            throw new IllegalArgumentException("latencyMillis must be between 0 and 120000");
        }
        for (double rate : new double[] {errorRate, errorAfterRate, dropRate, malformedRate, disorderRate}) {
            if (!(rate >= 0 && rate <= 1)) {
                throw new IllegalArgumentException("rates must be between 0 and 1");
            }
        }
        if (errorRate + errorAfterRate + dropRate + malformedRate + disorderRate > 1.0000001) {
            throw new IllegalArgumentException("the rates together must not exceed 1");
        }
        if (errorStatus < 400 || errorStatus > 599) {
            throw new IllegalArgumentException("errorStatus must be between 400 and 599");
        }
        if (!CALLS.containsAll(calls)) {
            throw new IllegalArgumentException("calls must be among " + CALLS);
        }
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }

    boolean affects(String call) {
        return calls.isEmpty() || calls.contains(call);
    }

    /** Whether the plan injects nothing at all. */
    boolean isHarmless() {
        return latencyMillis == 0 && errorRate + errorAfterRate + dropRate + malformedRate + disorderRate == 0;
    }
}
