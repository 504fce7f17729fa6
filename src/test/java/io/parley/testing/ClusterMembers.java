package io.parley.testing;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** What the tests of several nodes on loopback share: their cluster settings, and each node's own view. */
public final class ClusterMembers {

    private static final Jsonb JSON = JsonbBuilder.create();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final int[] ports;

    /** Members on free ports of 127.0.0.1. */
    public ClusterMembers(int count) throws IOException {
        ports = new int[count];
        for (int i = 0; i < count; i++) {
            try (ServerSocket socket = new ServerSocket(0)) {
                ports[i] = socket.getLocalPort();
            }
        }
    }

    /** The cluster settings of member {@code i}, with these settings besides. */
    public Map<String, String> settings(int i, Map<String, String> besides) {
        StringBuilder members = new StringBuilder();
        for (int port : ports) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(port);
        }
        Map<String, String> settings = new HashMap<>(besides);
        settings.put("cluster-members", members.toString());
        settings.put("cluster-port", Integer.toString(ports[i]));
        settings.put("cluster-interface", "127.0.0.1");
        return settings;
    }

    /**
     * Waits until the node at {@code readiness} ({@code …/healthz/ready}) sees this many members,
     * with a majority, and no partition moving between them (a conversation started meanwhile
     * could move at once). A node busy catching up (just woken, or merging back) may answer a probe
     * late: that is a "not yet", as it is for a load balancer.
     */
    public static void awaitMembers(URI readiness, int members) throws Exception {
        Eventually.await(members + " members seen, with a majority", Duration.ofSeconds(90), () -> {
            Map<?, ?> cluster;
            try {
                cluster = (Map<?, ?>) ready(readiness).get("cluster");
            } catch (java.net.http.HttpTimeoutException late) {
                return false;
            }
            return cluster != null && ((Number) cluster.get("members")).intValue() == members
                    && Boolean.TRUE.equals(cluster.get("majority")) && Boolean.TRUE.equals(cluster.get("settled"));
        });
    }

    /** The node's readiness answer, its view of the cluster among it. */
    public static Map<?, ?> ready(URI readiness) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.fromJson(answer.body(), Map.class);
    }
}
