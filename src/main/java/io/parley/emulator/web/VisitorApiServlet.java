package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import io.parley.emulator.EmulatedEvent;
import io.parley.emulator.EmulatedUpstream;
import io.parley.emulator.Fault;
import io.parley.emulator.FaultInjector;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four calls of the Visitors Chat API v2, as the seed documents them, under
 * {@code /emulator/visitors}:
 *
 * <pre>
 * curl http://localhost:8080/emulator/visitors/5863759023/chat/start -H X-API-Version:2 \
 *      -d "licence_id=123&amp;welcome_message=Hi"
 * {"secured_session_id":"CS1764081000.3f2a...","banned":false}
 * </pre>
 *
 * Injected faults are applied here; a delayed answer waits on the scheduler, not on a thread.
 */
public final class VisitorApiServlet extends HttpServlet {

    private static final Logger LOG = LoggerFactory.getLogger(VisitorApiServlet.class);
    private static final int MAX_MESSAGE = 65_536;
    private static final int MAX_NAME = 1024;

    private final transient EmulatedUpstream upstream;
    /** What a proxy in front of a failing upstream answers with. */
    private static final String ERROR_PAGE = "<html><head><title>503 Service Unavailable</title></head>"
            + "<body><h1>Service Unavailable</h1><hr><center>nginx</center></body></html>";

    private final transient FaultInjector faults;
    private final transient ScheduledExecutorService scheduler;

    public VisitorApiServlet(EmulatedUpstream upstream, FaultInjector faults, ScheduledExecutorService scheduler) {
        this.upstream = upstream;
        this.faults = faults;
        this.scheduler = scheduler;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Answer answer = null;
        Fault fault = Fault.NONE;
        String name = "";
        try {
            VisitorCall call = VisitorCall.of(request);
            name = call.name();
            response.setHeader("Allow", call.method());
            upstream.calls().count(call.name());
            fault = faults.next(call.name());
            if (fault.takesEffect()) {
                answer = Answer.ok(handle(call.checkCommon(), fault));
            }
            if (fault.answersError()) {
                answer = faults.pick(name, 2) == 0 ? new Answer(fault.errorStatus(), ERROR_PAGE)
                        : Answer.of(new ApiError(fault.errorStatus(), "internal_error", "Injected failure", null));
            }
        } catch (ApiError e) {
            answer = Answer.of(e);
        }
        deliver(request, response, answer, fault, name);
    }

    private Map<String, Object> handle(VisitorCall call, Fault fault) {
        String visitorId = call.visitorId();
        switch (call.name()) {
            case "start":
                return start(call);
            case "get_pending_messages":
                List<EmulatedEvent> events = upstream.pendingMessages(visitorId,
                        call.required("secured_session_id", 256),
                        Optional.ofNullable(call.optionalNumber("last_message_id")).orElse(0L));
                List<Map<String, Object>> json = new ArrayList<>(events.size());
                events.forEach(event -> json.add(event.toJson()));
                if (fault.kind() == Fault.Kind.DISORDER) {
                    List<Map<String, Object>> repeated = new ArrayList<>(json);
                    Collections.reverse(repeated);
                    repeated.addAll(json);
                    return Map.of("events", repeated);
                }
                return Map.of("events", json);
            case "send_message":
                upstream.sendMessage(visitorId, call.required("secured_session_id", 256),
                        call.required("message", MAX_MESSAGE));
                return Map.of("success", true);
            default:
                upstream.close(visitorId, call.required("secured_session_id", 256));
                return Map.of("success", true);
        }
    }

    private Map<String, Object> start(VisitorCall call) {
        String welcome = call.required("welcome_message", VisitorCall.MAX_WELCOME_MESSAGE);
        String name = call.optional("name", MAX_NAME);
        String email = call.optional("email", 254);
        Long group = call.optionalNumber("group");
        if (group != null && group > Integer.MAX_VALUE) {
            throw ApiError.invalid("group", "is too large");
        }
        Optional<String> session = upstream.start(call.visitorId(), name, email,
                group == null ? null : group.intValue(), welcome, call.siteUrl());
        Map<String, Object> answer = new LinkedHashMap<>();
        session.ifPresent(id -> answer.put("secured_session_id", id));
        answer.put("banned", session.isEmpty());
        return answer;
    }

    private void deliver(HttpServletRequest request, HttpServletResponse response, Answer answer, Fault fault,
            String call) throws IOException {
        if (fault.latencyMillis() <= 0) {
            write(response, answer, fault, call);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        scheduler.schedule(() -> {
            try {
                write(response, answer, fault, call);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Delayed emulator answer not delivered: {}", e.toString());
            } finally {
                async.complete();
            }
        }, fault.latencyMillis(), TimeUnit.MILLISECONDS);
    }

    private void write(HttpServletResponse response, Answer answer, Fault fault, String call) throws IOException {
        switch (answer.status() == 200 ? fault.kind() : Fault.Kind.NONE) {
            case DROP: {
                // Promise more than is sent, so the container has to break the connection.
                byte[] body = JsonAnswers.toJson(answer.body()).getBytes(StandardCharsets.UTF_8);
                response.setStatus(answer.status());
                response.setContentType("application/json;charset=UTF-8");
                response.setContentLength(body.length + 64);
                response.getOutputStream().write(body, 0, body.length / 2);
                response.flushBuffer();
                return;
            }
            case MALFORMED: {
                byte[] body = MalformedAnswers.pick(faults, call, answer.body()).getBytes(StandardCharsets.UTF_8);
                response.setStatus(200);
                response.setContentType(body.length > 0 && body[0] == '<' ? "text/html" : "application/json");
                response.setContentLength(body.length);
                response.getOutputStream().write(body);
                return;
            }
            default:
                if (answer.body() == ERROR_PAGE) {
                    byte[] page = ERROR_PAGE.getBytes(StandardCharsets.UTF_8);
                    response.setStatus(answer.status());
                    response.setContentType("text/html;charset=UTF-8");
                    response.setContentLength(page.length);
                    response.getOutputStream().write(page);
                    return;
                }
                JsonAnswers.write(response, answer.status(), answer.body());
        }
    }

    /** A status and a JSON body. */
    private record Answer(int status, Object body) {
        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer of(ApiError error) {
            return new Answer(error.status(), JsonAnswers.error(error));
        }
    }
}
