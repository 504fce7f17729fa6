package io.parley.emulator.web;

import io.parley.emulator.AgentProfile;
import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedChat;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.FaultPlan;
import io.parley.emulator.v3.CustomerChatApi;
import io.parley.emulator.v3.Groups;
import io.parley.emulator.v3.V3Faults;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The agents' side of the emulator as JSON, for scripts and tests, under
 * {@code /emulator/agent/api}. Parameters are form-encoded. Chats of both APIs are here by their
 * console number (a v3 chat shows as one console chat per thread); never a token or upstream id.
 *
 * <pre>
 * curl http://localhost:8080/emulator/agent/api/chats
 * curl http://localhost:8080/emulator/agent/api/chats/1/messages -d "text=Hello from the agent"
 * curl http://localhost:8080/emulator/agent/api/chats/1/events -d "type=rating"
 * curl http://localhost:8080/emulator/agent/api/chats/1/typing -d "is_typing=true"
 * curl http://localhost:8080/emulator/agent/api/chats/1/seen -X POST
 * curl http://localhost:8080/emulator/agent/api/chats/1/greeting -d "text=Can I help?"
 * curl http://localhost:8080/emulator/agent/api/chats/1/queue -d "position=3&amp;wait_time=120"
 * curl http://localhost:8080/emulator/agent/api/chats/1/leave -X POST
 * curl http://localhost:8080/emulator/agent/api/chats/1/files -X POST
 * curl http://localhost:8080/emulator/agent/api/chats/1/rich -d "title=Pick one&amp;buttons=Yes,No&amp;url=https://example.com" 
 * curl http://localhost:8080/emulator/agent/api/groups/0/status -d "status=offline"
 * curl http://localhost:8080/emulator/agent/api/rtm/drop -X POST
 * curl http://localhost:8080/emulator/agent/api/faults -d "error_rate=0.2&amp;latency_ms=300"
 * curl http://localhost:8080/emulator/agent/api/faults -d "token_lifetime_s=5&amp;push_loss_rate=0.1"
 * </pre>
 *
 * <p>Faults of calls ({@code POST /faults}): {@code latency_ms}, {@code error_rate},
 * {@code error_status}, {@code error_after_rate}, {@code drop_rate}, {@code malformed_rate},
 * {@code disorder_rate}, {@code seed}, and {@code calls}: the v2 calls ({@code start},
 * {@code get_pending_messages}, {@code send_message}, {@code close}), the v3 actions by name
 * over the Web API and RTM alike ({@code login}, {@code start_chat}, {@code send_event}, ...), the
 * accounts calls ({@code accounts_token}, {@code accounts_customer_token}); all when none named.
 *
 * <p>Faults of the v3 sockets and tokens, which belong to no call (a {@code POST} naming only
 * these leaves the calls' plans alone; {@code DELETE} clears everything):
 * <ul>
 *   <li>{@code rtm_drop_rate}: share of pushes after which the socket is dropped (close 1011, no push);</li>
 *   <li>{@code push_loss_rate}: share of pushes never sent;</li>
 *   <li>{@code token_lifetime_s}: lifetime of access tokens issued from now on (1–28800); an expired
 *       customer token ends its sockets with {@code customer_disconnected}
 *       {@code access_token_expired}, and the Web API answers 401 {@code authentication};</li>
 *   <li>{@code rotate_refresh_tokens}: {@code true} makes each refresh answer a new refresh token
 *       and refuse the used one (the demo account's own stays good);</li>
 *   <li>{@code rtm_idle_timeout_ms}: how long a socket opened from now on may stay silent (30000).</li>
 * </ul>
 */
public final class AgentApiServlet extends HttpServlet {

    private final transient EmulatedUpstream upstream;
    private final transient FaultInjector faults;
    private final transient CustomerChatApi v3;

    public AgentApiServlet(EmulatedUpstream upstream, FaultInjector faults, CustomerChatApi v3) {
        this.upstream = upstream;
        this.faults = faults;
        this.v3 = v3;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "/" : request.getPathInfo();
        List<String> parts = Arrays.stream(path.split("/")).filter(part -> !part.isEmpty()).collect(Collectors.toList());
        String method = request.getMethod();
        try {
            JsonAnswers.write(response, 200, route(parts, method, request));
        } catch (ApiError e) {
            JsonAnswers.write(response, e.status(), JsonAnswers.error(e));
        }
    }

    private Object route(List<String> parts, String method, HttpServletRequest request) {
        String first = parts.isEmpty() ? "" : parts.get(0);
        if (first.equals("chats") && parts.size() == 1 && method.equals("GET")) {
            return upstream.chats().stream().map(ChatJson::summary).collect(Collectors.toList());
        }
        if (first.equals("chats") && parts.size() == 2 && method.equals("GET")) {
            return ChatJson.detail(chat(parts.get(1)));
        }
        if (first.equals("chats") && parts.size() == 3 && method.equals("POST")) {
            return chatAction(chat(parts.get(1)), parts.get(2), request);
        }
        if (first.equals("faults") && parts.size() == 1) {
            return faults(method, request);
        }
        if (first.equals("calls") && parts.size() == 1 && method.equals("GET")) {
            return upstream.calls().snapshot();
        }
        if (first.equals("poll-gaps") && parts.size() == 1 && method.equals("DELETE")) {
            upstream.restartGapMeasurement();
            return Map.of("success", true);
        }
        if (first.equals("groups") && parts.size() == 3 && parts.get(2).equals("status") && method.equals("POST")) {
            return groupStatus(parts.get(1), request.getParameter("status"));
        }
        if (first.equals("rtm") && parts.size() == 2 && parts.get(1).equals("drop") && method.equals("POST")) {
            return Map.of("dropped", v3.dropAll());
        }
        if (first.equals("reset") && parts.size() == 1 && method.equals("POST")) {
            upstream.reset();
            v3.reset();
            faults.clear();
            return Map.of("success", true);
        }
        throw new ApiError(404, "not_found", "Unknown agent API call " + method + " /" + String.join("/", parts), null);
    }

    private Object chatAction(EmulatedChat chat, String action, HttpServletRequest request) {
        switch (action) {
            case "messages":
                String text = request.getParameter("text");
                if (text == null || text.isBlank()) {
                    throw ApiError.missing("text");
                }
                return Map.of("message_id", upstream.replyAsPerson(chat.number(), text).messageId());
            case "join":
                AgentProfile standard = AgentProfile.person(chat.siteUrl());
                AgentProfile agent = new AgentProfile(
                        orDefault(request.getParameter("name"), standard.name()),
                        orDefault(request.getParameter("job_title"), standard.jobTitle()),
                        orDefault(request.getParameter("avatar"), standard.avatar()));
                return Map.of("message_id", upstream.join(chat.number(), agent, true).messageId());
            case "events":
                String type = request.getParameter("type");
                if (type == null || !type.matches("[a-z_]{1,40}")) {
                    throw ApiError.invalid("type", "must be 1 to 40 lower-case letters or _");
                }
                return Map.of("message_id", upstream.addEvent(chat.number(), type,
                        orDefault(request.getParameter("user_type"), "agent")).messageId());
            case "close":
                return Map.of("message_id", upstream.closeAsAgent(chat.number()).messageId());
            case "typing":
                String typing = request.getParameter("is_typing");
                if (!"true".equals(typing) && !"false".equals(typing)) {
                    throw ApiError.invalid("is_typing", "must be true or false");
                }
                upstream.typing(chat.number(), Boolean.parseBoolean(typing));
                return Map.of("success", true);
            case "seen":
                upstream.seen(chat.number());
                return Map.of("success", true);
            case "queue":
                upstream.queue(chat.number(), whole(request, "position", 1, 10_000),
                        whole(request, "wait_time", 0, 86_400));
                return Map.of("success", true);
            case "leave":
                upstream.leave(chat.number());
                return Map.of("success", true);
            case "files":
                return Map.of("message_id", AgentShares.image(upstream, chat).messageId());
            case "rich":
                return Map.of("message_id", AgentShares.rich(upstream, chat, request.getParameter("template"),
                        request.getParameter("title"), request.getParameter("subtitle"), request.getParameter("buttons"),
                        request.getParameter("url"), "true".equals(request.getParameter("image"))).messageId());
            case "greeting":
                String greeting = request.getParameter("text");
                if (greeting == null || greeting.isBlank()) {
                    throw ApiError.missing("text");
                }
                return Map.of("success", true, "delivered", upstream.greet(chat.number(), greeting.strip()));
            case "ban":
                upstream.ban(chat.number());
                return Map.of("success", true);
            default:
                throw new ApiError(404, "not_found", "Unknown chat action " + action, null);
        }
    }

    private Object faults(String method, HttpServletRequest request) {
        if (method.equals("DELETE")) {
            faults.clear();
            v3.faults(V3Faults.NONE);
        } else if (method.equals("POST") || method.equals("PUT")) {
            boolean perCall = FaultForm.PER_CALL.stream().anyMatch(name -> request.getParameter(name) != null);
            boolean ofV3 = FaultForm.V3.stream().anyMatch(name -> request.getParameter(name) != null);
            V3Faults v3Faults = ofV3 ? FaultForm.readV3(request, v3.faults()) : null; // both read before either is set
            FaultPlan plan = perCall || !ofV3 ? FaultForm.read(request) : null;
            if (plan != null) {
                faults.apply(plan);
            }
            if (v3Faults != null) {
                v3.faults(v3Faults);
            }
        } else if (!method.equals("GET")) {
            throw new ApiError(405, "method_not_allowed", "Use GET, POST or DELETE on /faults", null);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        faults.plans().forEach((call, plan) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("latency_ms", plan.latencyMillis());
            one.put("error_rate", plan.errorRate());
            one.put("error_status", plan.errorStatus());
            one.put("error_after_rate", plan.errorAfterRate());
            one.put("drop_rate", plan.dropRate());
            one.put("malformed_rate", plan.malformedRate());
            one.put("disorder_rate", plan.disorderRate());
            one.put("seed", plan.seed());
            json.put(call, one);
        });
        V3Faults now = v3.faults();
        if (!now.equals(V3Faults.NONE)) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("rtm_drop_rate", now.rtmDropRate());
            one.put("push_loss_rate", now.pushLossRate());
            one.put("token_lifetime_s", now.lifetime().toSeconds());
            one.put("rotate_refresh_tokens", now.rotateRefreshTokens());
            one.put("rtm_idle_timeout_ms", now.rtmIdleTimeout().toMillis());
            one.put("seed", now.seed());
            json.put("v3", one);
        }
        return json;
    }

    private Object groupStatus(String group, String status) {
        if (!group.matches("\\d{1,9}")) {
            throw ApiError.invalid("group", "must be a group number");
        }
        if (status == null || !Groups.STATUSES.contains(status)) {
            throw ApiError.invalid("status", "must be online, offline or online_for_queue");
        }
        v3.groups().set(Integer.parseInt(group), status);
        return Map.of("success", true);
    }

    private EmulatedChat chat(String number) {
        try {
            return upstream.chat(Integer.parseInt(number))
                    .orElseThrow(() -> new ApiError(404, "chat_not_found", "No chat number " + number, null));
        } catch (NumberFormatException e) {
            throw ApiError.invalid("chat", "must be a chat number");
        }
    }

    private static int whole(HttpServletRequest request, String name, int min, int max) {
        String value = request.getParameter(name);
        if (value == null || !value.matches("\\d{1,9}") || Integer.parseInt(value) < min || Integer.parseInt(value) > max) {
            throw ApiError.invalid(name, "must be a whole number from " + min + " to " + max);
        }
        return Integer.parseInt(value);
    }

    private static String orDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    /** Reads a {@link FaultPlan} or {@link V3Faults} from form parameters, answering 400 on a bad one. */
    private static final class FaultForm {

        static final List<String> PER_CALL = List.of("latency_ms", "error_rate", "error_status", "error_after_rate",
                "drop_rate", "malformed_rate", "disorder_rate", "calls");
        static final List<String> V3 = List.of("rtm_drop_rate", "push_loss_rate", "token_lifetime_s",
                "rotate_refresh_tokens", "rtm_idle_timeout_ms");

        /** The v3 faults: what the form names, the current values for what it does not. */
        static V3Faults readV3(HttpServletRequest request, V3Faults current) {
            try {
                String lifetime = request.getParameter("token_lifetime_s");
                String rotate = request.getParameter("rotate_refresh_tokens");
                if (rotate != null && !rotate.equals("true") && !rotate.equals("false")) {
                    throw ApiError.invalid("rotate_refresh_tokens", "must be true or false");
                }
                Duration tokenLifetime = lifetime == null ? current.tokenLifetime()
                        : Duration.ofSeconds(number(request, "token_lifetime_s", 0).longValue());
                return new V3Faults(
                        number(request, "rtm_drop_rate", current.rtmDropRate()).doubleValue(),
                        number(request, "push_loss_rate", current.pushLossRate()).doubleValue(),
                        tokenLifetime,
                        rotate == null ? current.rotateRefreshTokens() : Boolean.parseBoolean(rotate),
                        Duration.ofMillis(number(request, "rtm_idle_timeout_ms",
                                current.rtmIdleTimeout().toMillis()).longValue()),
                        number(request, "seed", current.seed()).longValue());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "invalid_parameter", e.getMessage(), null);
            }
        }

        static FaultPlan read(HttpServletRequest request) {
            try {
                String calls = request.getParameter("calls");
                return new FaultPlan(
                        number(request, "latency_ms", 0).longValue(),
                        number(request, "error_rate", 0).doubleValue(),
                        number(request, "error_status", 500).intValue(),
                        number(request, "error_after_rate", 0).doubleValue(),
                        number(request, "drop_rate", 0).doubleValue(),
                        number(request, "malformed_rate", 0).doubleValue(),
                        number(request, "disorder_rate", 0).doubleValue(),
                        calls == null || calls.isBlank() ? Set.of()
                                : Arrays.stream(calls.split(",")).map(String::strip).collect(Collectors.toSet()),
                        number(request, "seed", 1).longValue());
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, "invalid_parameter", e.getMessage(), null);
            }
        }

        private static Number number(HttpServletRequest request, String name, Number fallback) {
            String value = request.getParameter(name);
            if (value == null || value.isBlank()) {
                return fallback;
            }
            try {
                return Double.valueOf(value.strip());
            } catch (NumberFormatException e) {
                throw ApiError.invalid(name, "must be a number");
            }
        }
    }
}
