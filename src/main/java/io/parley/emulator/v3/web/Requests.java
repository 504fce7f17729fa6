package io.parley.emulator.v3.web;

import io.parley.emulator.v3.V3Error;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading the v3 HTTP requests: their JSON body, their bearer token, where they came through. */
final class Requests {

    /** Bodies past this are refused: the largest documented payload is far smaller. */
    static final int MAX_BODY = 1 << 20;

    private Requests() {
    }

    /** The body parsed as JSON (maps, lists, BigDecimal numbers); null when empty. */
    static Object json(HttpServletRequest request) {
        String body = body(request);
        if (body.isBlank()) {
            return null;
        }
        try {
            return HttpAnswer.JSONB.fromJson(body, Object.class);
        } catch (JsonbException e) {
            throw V3Error.validation("Invalid message: the body is not JSON");
        }
    }

    static String body(HttpServletRequest request) {
        try (InputStream in = request.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BODY + 1);
            if (bytes.length > MAX_BODY) {
                throw new V3Error(413, "entity_too_large", "Request too large");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw V3Error.validation("The body could not be read");
        }
    }

    /** The token of {@code Authorization: Bearer <token>}, or null. */
    static String bearer(String header) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        return value.regionMatches(true, 0, "Bearer ", 0, 7) ? value.substring(7).strip() : null;
    }

    /**
     * Scheme, host, context path and Parley's mount path: where the emulator's assets are, for
     * the agents' avatars. {@code below} is this servlet's path below the mount path.
     */
    static String siteUrl(HttpServletRequest request, String below) {
        String host = request.getHeader("Host");
        String servletPath = request.getServletPath();
        String mount = servletPath.endsWith(below) ? servletPath.substring(0, servletPath.length() - below.length()) : "";
        return request.getScheme() + "://" + (host == null ? request.getServerName() + ":" + request.getServerPort() : host)
                + request.getContextPath() + mount;
    }
}
