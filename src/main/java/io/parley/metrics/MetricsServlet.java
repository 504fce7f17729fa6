package io.parley.metrics;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * {@code /metrics}: the meters for a Prometheus scrape. With a {@code metrics-token} set, only a
 * request that brings it as a bearer token is answered.
 */
public final class MetricsServlet extends HttpServlet {

    private final transient ParleyMetrics metrics;
    private final transient Optional<byte[]> token;

    public MetricsServlet(ParleyMetrics metrics, Optional<String> token) {
        this.metrics = metrics;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "no-store");
        if (token.isPresent() && !authorized(request.getHeader("Authorization"))) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"metrics\"");
            response.setContentType("text/plain;charset=UTF-8");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.getWriter().write("The metrics need the bearer token set as metrics-token.\n");
            return;
        }
        response.setContentType(ParleyMetrics.CONTENT_TYPE);
        response.getWriter().write(metrics.scrape());
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, token.get()); // takes no time that tells how much matched
    }
}
