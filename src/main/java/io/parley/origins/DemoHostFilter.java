package io.parley.origins;

import io.parley.limits.Refusals;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Answers a request for a host name {@link DemoHosts} does not allow with 421 Misdirected
 * Request, before anything else sees it. Mounted in demo mode only.
 */
public final class DemoHostFilter extends HttpFilter {

    private static final byte[] REFUSAL = ("This demo answers only on localhost, an IP address or an allowed "
            + "site's host.\n").getBytes(StandardCharsets.UTF_8);

    private final DemoHosts hosts;
    private final Refusals refusals;

    public DemoHostFilter(DemoHosts hosts, Refusals refusals) {
        this.hosts = hosts;
        this.refusals = refusals;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (hosts.allows(request.getHeader("Host"))) {
            chain.doFilter(request, response);
            return;
        }
        refusals.refused(Refusals.Reason.HOST);
        response.setStatus(421);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(REFUSAL.length);
        response.getOutputStream().write(REFUSAL);
    }
}
