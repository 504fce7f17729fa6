package io.parley.emulator.v3.web;

import io.parley.emulator.Fault;
import io.parley.emulator.FaultInjector;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An answer of the v3 HTTP calls, a status and a JSON body, written as the call's injected fault
 * says: late, cut off mid-body, or replaced by something that is not the documented JSON. A late
 * answer waits on the scheduler, not on a thread.
 */
record HttpAnswer(int status, Object body) {

    private static final Logger LOG = LoggerFactory.getLogger(HttpAnswer.class);
    static final Jsonb JSONB = JsonbBuilder.create();

    /** What a proxy in front of a failing upstream answers with. */
    static final String ERROR_PAGE = "<html><head><title>503 Service Unavailable</title></head>"
            + "<body><h1>Service Unavailable</h1><hr><center>nginx</center></body></html>";

    private static final List<String> MALFORMED = List.of(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "",
            "[]",
            "{\"chat_id\":42,\"thread_id\":{\"oops\":true},\"event_id\":[],\"access_token\":7,\"threads\":\"x\"}");

    void deliver(HttpServletRequest request, HttpServletResponse response, Fault fault, FaultInjector faults,
            String call, ScheduledExecutorService scheduler) throws IOException {
        if (fault.latencyMillis() <= 0) {
            write(response, fault, faults, call);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        scheduler.schedule(() -> {
            try {
                write(response, fault, faults, call);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Delayed emulator answer not delivered: {}", e.toString());
            } finally {
                async.complete();
            }
        }, fault.latencyMillis(), TimeUnit.MILLISECONDS);
    }

    private void write(HttpServletResponse response, Fault fault, FaultInjector faults, String call)
            throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (body == ERROR_PAGE) {
            bytes(response, status, "text/html;charset=UTF-8", ERROR_PAGE.getBytes(StandardCharsets.UTF_8), 0);
            return;
        }
        byte[] json = JSONB.toJson(body).getBytes(StandardCharsets.UTF_8);
        Fault.Kind kind = status == 200 ? fault.kind() : Fault.Kind.NONE;
        switch (kind) {
            case DROP -> // promise more than is sent, so the container has to break the connection
                    bytes(response, status, "application/json", java.util.Arrays.copyOf(json, json.length / 2), 64 + json.length / 2);
            case MALFORMED -> {
                // variants chosen from the call's repeatable sequence; a truncated copy of the real answer among them
                int pick = faults.pick(call, MALFORMED.size() + 1);
                byte[] nonsense = pick == MALFORMED.size() ? java.util.Arrays.copyOf(json, json.length / 2)
                        : MALFORMED.get(pick).getBytes(StandardCharsets.UTF_8);
                bytes(response, 200, nonsense.length > 0 && nonsense[0] == '<' ? "text/html" : "application/json",
                        nonsense, 0);
            }
            default -> bytes(response, status, "application/json;charset=UTF-8", json, 0);
        }
    }

    private static void bytes(HttpServletResponse response, int status, String type, byte[] body, int extraLength)
            throws IOException {
        response.setStatus(status);
        response.setContentType(type);
        response.setContentLength(body.length + extraLength);
        response.getOutputStream().write(body);
        if (extraLength > 0) {
            response.flushBuffer();
        }
    }
}
