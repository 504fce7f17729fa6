package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** JSON answers of the emulator, written with JSON-B. */
final class JsonAnswers {

    private static final Jsonb JSONB = JsonbBuilder.create();

    private JsonAnswers() {
    }

    static String toJson(Object value) {
        return JSONB.toJson(value);
    }

    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = toJson(body).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** {@code {"error": {"type": ..., "message": ..., "parameter": ...}}} */
    static Map<String, Object> error(ApiError error) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("type", error.type());
        details.put("message", error.getMessage());
        if (error.parameter() != null) {
            details.put("parameter", error.parameter());
        }
        return Map.of("error", details);
    }
}
