package io.parley.emulator.v3.web;

import io.parley.emulator.CallCounts;
import io.parley.emulator.Fault;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.v3.CustomerActions;
import io.parley.emulator.v3.CustomerChatApi;
import io.parley.emulator.v3.DemoAccount;
import io.parley.emulator.v3.Payload;
import io.parley.emulator.v3.V3Error;
import io.parley.emulator.UploadedFiles;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The Customer Chat Web API (messaging/customer-chat-api/index.mdx) under
 * {@code /emulator/v3.6/customer/action/<action>} (and {@code v3.5}):
 *
 * <pre>
 * curl 'http://localhost:8080/emulator/v3.6/customer/action/start_chat?organization_id=...' \
 *      -H 'Authorization: Bearer dal:...' -H 'Content-Type: application/json' \
 *      -d '{"chat":{"thread":{"events":[{"type":"message","text":"Hi","custom_id":"m1"}]}}}'
 * {"chat_id":"PJ0MRSHTDG","thread_id":"K600PKZON8","event_ids":["K600PKZON8_1"]}
 * </pre>
 *
 * Every request is counted as {@code web:<action>} (and {@code web:total}): each is billed.
 */
public final class WebApiServlet extends HttpServlet {

    private final transient CustomerChatApi api;
    private final transient FaultInjector faults;
    private final transient CallCounts calls;
    private final transient ScheduledExecutorService scheduler;
    private final String below;

    /** @param below this servlet's path below Parley's mount path, e.g. {@code /emulator/v3.6/customer/action} */
    public WebApiServlet(CustomerChatApi api, FaultInjector faults, CallCounts calls, ScheduledExecutorService scheduler,
            String below) {
        this.api = api;
        this.faults = faults;
        this.calls = calls;
        this.scheduler = scheduler;
        this.below = below;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String action = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
        calls.count("web:total");
        HttpAnswer answer;
        Fault fault = Fault.NONE;
        try {
            if (!action.equals("get_dynamic_configuration") && !CustomerActions.known(action)) {
                throw new V3Error(404, "not_found", "Unknown action");
            }
            calls.count("web:" + action);
            fault = faults.next(action);
            answer = null;
            if (fault.takesEffect()) {
                answer = new HttpAnswer(200, handle(action, request));
            }
            if (fault.answersError()) {
                answer = faults.pick(action, 2) == 0 ? new HttpAnswer(fault.errorStatus(), HttpAnswer.ERROR_PAGE)
                        : error(V3Error.injected(fault.errorStatus()));
            }
        } catch (V3Error e) {
            answer = error(e);
        }
        answer.deliver(request, response, fault, faults, action, scheduler);
    }

    private Map<String, Object> handle(String action, HttpServletRequest request) {
        String organization = request.getParameter("organization_id");
        if (action.equals("get_dynamic_configuration")) {
            requireGet(request, true);
            checkOrganization(organization);
            String group = request.getParameter("group_id");
            if (group != null && !group.matches("\\d{1,9}")) {
                throw V3Error.validation("`group_id` must be a number");
            }
            return api.dynamicConfiguration(group == null ? null : Integer.valueOf(group));
        }
        requireGet(request, false);
        checkOrganization(organization);
        String token = Requests.bearer(request.getHeader("Authorization"));
        if (token == null) {
            throw V3Error.authentication("Missing access token");
        }
        api.customerOf(token); // authentication first, as the service does, then the payload
        if (action.equals("upload_file")) {
            return upload(request);
        }
        Payload payload = Payload.of(Requests.json(request), "The payload");
        return api.run(action, token, payload, Requests.siteUrl(request, below));
    }

    /**
     * {@code upload_file}: one part {@code file} of a {@code multipart/form-data} body, at most
     * 10 MB, not an executable; answers the URL it is kept at, which {@code send_event} shares.
     */
    private Map<String, Object> upload(HttpServletRequest request) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
            throw V3Error.validation("`file` is required, as multipart/form-data");
        }
        Part part;
        byte[] bytes;
        try {
            part = request.getPart("file");
            if (part == null) {
                throw V3Error.validation("`file` is required");
            }
            try (InputStream in = part.getInputStream()) {
                bytes = in.readNBytes(UploadedFiles.MAX_FILE + 1);
            }
        } catch (IllegalStateException e) {
            throw new V3Error(413, "validation", "Maximum file size is 10MB");
        } catch (IOException | ServletException e) {
            throw V3Error.validation("The file could not be read");
        }
        if (bytes.length > UploadedFiles.MAX_FILE) {
            throw new V3Error(413, "validation", "Maximum file size is 10MB");
        }
        if (bytes.length >= 4 && (bytes[0] == 'M' && bytes[1] == 'Z'
                || bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F')) {
            throw V3Error.validation("Executable files are rejected");
        }
        String name = part.getSubmittedFileName() == null || part.getSubmittedFileName().isBlank()
                ? "file" : part.getSubmittedFileName();
        String contentType = part.getContentType() == null ? "application/octet-stream" : part.getContentType();
        String id = api.files().put(name, contentType, bytes);
        return Map.of("url", Requests.siteUrl(request, below) + "/emulator/files/" + id + "/"
                + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static void requireGet(HttpServletRequest request, boolean get) {
        if (get != request.getMethod().equals("GET")) {
            throw new V3Error(405, "validation", "Use " + (get ? "GET" : "POST") + " for this action");
        }
    }

    private static void checkOrganization(String organization) {
        if (organization == null || organization.isBlank()) {
            throw V3Error.validation("`organization_id` is required");
        }
        if (!DemoAccount.ORGANIZATION_ID.equals(organization)) {
            throw new V3Error(404, "license_not_found", "License not found");
        }
    }

    static HttpAnswer error(V3Error error) {
        return new HttpAnswer(error.status(), Map.of("error", Map.of("type", error.type(), "message", error.getMessage())));
    }
}
