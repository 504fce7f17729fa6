package io.parley.emulator;

/**
 * An error answer of the emulated API: an HTTP status and a JSON body
 * {@code {"error": {"type": ..., "message": ..., "parameter": ...}}}.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String type;
    private final String parameter;

    public ApiError(int status, String type, String message, String parameter) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.parameter = parameter;
    }

    public static ApiError missing(String parameter) {
        return new ApiError(400, "missing_parameter", "Missing required parameter: " + parameter, parameter);
    }

    public static ApiError invalid(String parameter, String problem) {
        return new ApiError(400, "invalid_parameter", "Invalid parameter " + parameter + ": " + problem, parameter);
    }

    public static ApiError sessionNotFound() {
        return new ApiError(404, "session_not_found", "No chat with this secured_session_id for this visitor", null);
    }

    public static ApiError chatClosed() {
        return new ApiError(404, "chat_closed", "The chat is closed", null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /** The parameter at fault, or null. */
    public String parameter() {
        return parameter;
    }
}
