package io.parley.relay.ws;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * The address a request came from, for per-address limits: the connection's, or behind a
 * trusted reverse proxy the last entry of the header it sets (earlier entries are whatever the
 * client claimed, and are ignored).
 */
public final class ClientAddresses {

    private final Optional<String> trustedHeader;

    public ClientAddresses(Optional<String> trustedHeader) {
        this.trustedHeader = trustedHeader;
    }

    public String of(HttpServletRequest request) {
        if (trustedHeader.isPresent()) {
            String header = request.getHeader(trustedHeader.get());
            if (header != null) {
                String[] hops = header.split(",");
                String last = hops[hops.length - 1].strip();
                if (!last.isEmpty() && last.length() <= 64) {
                    return last;
                }
            }
        }
        return request.getRemoteAddr();
    }
}
