package io.parley.emulator.web;

import io.parley.emulator.ApiError;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One request to the emulated visitor API, its path and header checked: which call, for which
 * visitor, with typed access to its parameters that answers 400 naming any bad one.
 */
final class VisitorCall {

    static final int MAX_VISITOR_ID = 1024;
    static final int MAX_WELCOME_MESSAGE = 1024;

    private static final Map<String, String> METHODS = Map.of(
            "start", "POST", "get_pending_messages", "GET", "send_message", "POST", "close", "POST");
    private static final Pattern DIGITS = Pattern.compile("\\d{1,18}");

    private final HttpServletRequest request;
    private final String name;
    private final String visitorId;

    private VisitorCall(HttpServletRequest request, String name, String visitorId) {
        this.request = request;
        this.name = name;
        this.visitorId = visitorId;
    }

    /** Reads {@code /<VISITOR_ID>/chat/<call>} below {@code /emulator/visitors}. */
    static VisitorCall of(HttpServletRequest request) {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        int chat = path.lastIndexOf("/chat/");
        String call = chat < 0 ? "" : path.substring(chat + "/chat/".length());
        if (chat < 1 || !path.startsWith("/") || !METHODS.containsKey(call)) {
            throw new ApiError(404, "not_found", "Unknown path; the calls are POST /visitors/<VISITOR_ID>/chat/start, "
                    + "GET .../get_pending_messages, POST .../send_message and POST .../close", null);
        }
        return new VisitorCall(request, call, path.substring(1, chat));
    }

    /** The one HTTP method this call is made with. */
    String method() {
        return METHODS.get(name);
    }

    /** The header, the visitor id and the licence, which every call requires. */
    VisitorCall checkCommon() {
        if (!method().equals(request.getMethod())) {
            throw new ApiError(405, "method_not_allowed", name + " must be called with " + method(), null);
        }
        String version = request.getHeader("X-API-Version");
        if (version == null) {
            throw ApiError.missing("X-API-Version");
        }
        if (!version.strip().equals("2")) {
            throw ApiError.invalid("X-API-Version", "only version 2 is served");
        }
        if (visitorId.isEmpty() || visitorId.length() > MAX_VISITOR_ID) {
            throw ApiError.invalid("visitor_id", "must be 1 to " + MAX_VISITOR_ID + " characters");
        }
        digits("licence_id");
        return this;
    }

    String name() {
        return name;
    }

    String visitorId() {
        return visitorId;
    }

    String required(String parameter, int maxLength) {
        String value = request.getParameter(parameter);
        if (value == null || value.isBlank()) {
            throw ApiError.missing(parameter);
        }
        return checkLength(parameter, value, maxLength);
    }

    String optional(String parameter, int maxLength) {
        String value = request.getParameter(parameter);
        return value == null || value.isEmpty() ? null : checkLength(parameter, value, maxLength);
    }

    String digits(String parameter) {
        String value = required(parameter, 18);
        if (!DIGITS.matcher(value).matches()) {
            throw ApiError.invalid(parameter, "must be a number");
        }
        return value;
    }

    Long optionalNumber(String parameter) {
        String value = optional(parameter, 18);
        if (value != null && !DIGITS.matcher(value).matches()) {
            throw ApiError.invalid(parameter, "must be a number");
        }
        return value == null ? null : Long.valueOf(value);
    }

    /**
     * Where this request was addressed, with scheme and context path: where the emulator's own
     * assets are. (The real upstream gives avatar URLs without a scheme; the emulator gives its
     * scheme so that a demo over plain http shows them.)
     */
    String siteUrl() {
        String host = request.getHeader("Host");
        return request.getScheme() + "://" + (host == null ? request.getServerName() + ":" + request.getServerPort() : host)
                + request.getContextPath() + mountPath(request);
    }

    /** Where Parley is mounted: this servlet's path without its own {@code /emulator/visitors}. */
    private static String mountPath(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        return servletPath.substring(0, Math.max(0, servletPath.length() - Emulator.VISITOR_API.length()));
    }

    private static String checkLength(String parameter, String value, int maxLength) {
        if (value.length() > maxLength) {
            throw ApiError.invalid(parameter, "longer than " + maxLength + " characters");
        }
        return value;
    }
}
