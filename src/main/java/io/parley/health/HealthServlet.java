package io.parley.health;

import io.parley.relay.Relay;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /healthz} answers whether this node is alive (200, else 503: restart it), and
 * {@code /healthz/ready} whether it should get traffic (200, else 503: send visitors elsewhere).
 * Both answer a short JSON object that says why; neither needs the upstream to be called.
 */
public final class HealthServlet extends HttpServlet {

    /** Longer than this without a heartbeat, and the relay's scheduler is taken for stuck. */
    static final Duration STUCK_AFTER = Duration.ofSeconds(10);

    private final transient Relay relay;
    private final transient Heartbeat heartbeat;
    private final transient UpstreamHealth upstream;
    private final transient Jsonb json = JsonbBuilder.create();

    /** This node as a member of a cluster (its view and whether partitions have settled); null for a node alone. */
    private final transient io.parley.cluster.Cluster cluster;

    public HealthServlet(Relay relay, Heartbeat heartbeat, UpstreamHealth upstream) {
        this(relay, heartbeat, upstream, null);
    }

    /** As above, for a member of a cluster (null: a node alone), which is ready only while it is with a majority. */
    public HealthServlet(Relay relay, Heartbeat heartbeat, UpstreamHealth upstream, io.parley.cluster.Cluster cluster) {
        this.cluster = cluster;
        this.relay = relay;
        this.heartbeat = heartbeat;
        this.upstream = upstream;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null || path.equals("/")) {
            live(response);
        } else if (path.equals("/ready")) {
            ready(response);
        } else {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        }
    }

    private void live(HttpServletResponse response) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        Duration silent = heartbeat.sinceLastBeat();
        boolean alive = silent.compareTo(STUCK_AFTER) <= 0;
        answer.put("status", alive ? "up" : "down");
        if (!alive) {
            answer.put("reason", "the relay's scheduler has not run for " + silent.toSeconds() + "s");
        }
        write(response, alive, answer);
    }

    private void ready(HttpServletResponse response) throws IOException {
        Map<String, Object> answer = new LinkedHashMap<>();
        io.parley.cluster.Cluster.View view = cluster == null ? null : cluster.view();
        boolean ready;
        String reason = null;
        if (!relay.accepting()) {
            ready = false;
            reason = "stopping";
        } else if (upstream.unready()) {
            ready = false;
            reason = "every upstream call has failed for " + upstream.failingFor().orElseThrow().toSeconds() + "s";
        } else if (view != null && !view.safe()) {
            ready = false; // it drives nothing: its tabs are better served by the majority
            reason = "not with a majority of the cluster (" + view.members() + " members seen)";
        } else if (relay.storeFailure().isPresent()) {
            ready = false; // visitors' messages would wait unacknowledged here: send them to another node
            reason = relay.storeFailure().get();
        } else {
            ready = true;
        }
        answer.put("status", ready ? "ready" : "not_ready");
        if (reason != null) {
            answer.put("reason", reason);
        }
        Map<String, Object> up = new LinkedHashMap<>();
        up.put("state", upstream.failingFor().isPresent() ? "failing" : upstream.sinceLastAnswer().isPresent() ? "ok" : "unknown");
        upstream.failingFor().ifPresent(d -> up.put("failing_for_s", d.toSeconds()));
        upstream.lastFailure().ifPresent(f -> up.put("last_failure", f));
        upstream.sinceLastAnswer().ifPresent(d -> up.put("last_answer_s_ago", d.toSeconds()));
        answer.put("upstream", up);
        answer.put("conversations", relay.conversations());
        answer.put("unreachable_chats", relay.unreachableChats());
        answer.put("tabs", relay.tabs());
        if (view != null) {
            Map<String, Object> members = new LinkedHashMap<>();
            members.put("members", view.members());
            members.put("majority", view.safe());
            members.put("driven_here", view.driven());
            members.put("failovers", view.failovers());
            members.put("migrations", view.migrations());
            members.put("settled", cluster.settled());
            answer.put("cluster", members);
        }
        write(response, ready, answer);
    }

    private void write(HttpServletResponse response, boolean ok, Map<String, Object> answer) throws IOException {
        response.setStatus(ok ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().write(json.toJson(answer));
    }
}
