package io.parley.emulator.v3.web;

import io.parley.emulator.CallCounts;
import io.parley.emulator.Fault;
import io.parley.emulator.FaultInjector;
import io.parley.emulator.v3.AccountsError;
import io.parley.emulator.v3.DemoAccount;
import io.parley.emulator.v3.Tokens;
import io.parley.emulator.v3.V3Error;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The accounts calls under {@code /emulator/accounts/v2} (authorization/oauth-authorization,
 * "Using the refresh token"; authorization/customer-authorization, "Agent token grant"):
 *
 * <pre>
 * curl http://localhost:8080/emulator/accounts/v2/token -d "grant_type=refresh_token&amp;refresh_token=...&amp;client_id=...&amp;client_secret=..."
 * {"access_token":"dal:...","account_id":"...","expires_in":28800,"organization_id":"...","scope":"customers:own","refresh_token":"...","token_type":"Bearer"}
 * curl http://localhost:8080/emulator/accounts/v2/customer/token -H "Authorization: Bearer dal:..." \
 *      -d '{"grant_type":"agent_token","client_id":"...","response_type":"token"}'
 * {"access_token":"dal:...","client_id":"...","entity_id":"...","expires_in":28800,"token_type":"Bearer","organization_id":"..."}
 * </pre>
 *
 * Bodies may be form-encoded or JSON, whatever the {@code Content-Type} says (the documents' own
 * examples send JSON with curl's form type). Calls are counted as {@code accounts:token} and
 * {@code accounts:customer_token}, and take faults as {@code accounts_token} and
 * {@code accounts_customer_token}.
 */
public final class AccountsServlet extends HttpServlet {

    /** The agent behind the demo account's refresh token. */
    static final String DEMO_AGENT_ACCOUNT = "5f3c2b1a-0e9d-4c8b-a7f6-e5d4c3b2a190";

    private final transient Tokens tokens;
    private final transient FaultInjector faults;
    private final transient CallCounts calls;
    private final transient ScheduledExecutorService scheduler;

    public AccountsServlet(Tokens tokens, FaultInjector faults, CallCounts calls, ScheduledExecutorService scheduler) {
        this.tokens = tokens;
        this.faults = faults;
        this.calls = calls;
        this.scheduler = scheduler;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        String call = switch (path) {
            case "/token" -> "token";
            case "/customer/token" -> "customer_token";
            default -> null;
        };
        HttpAnswer answer;
        Fault fault = Fault.NONE;
        String faultName = "accounts_" + call;
        try {
            if (call == null) {
                throw new AccountsError(404, "invalid_request", "unknown path");
            }
            calls.count("accounts:" + call);
            if (!request.getMethod().equals("POST")) {
                throw new AccountsError(405, "invalid_request", "wrong HTTP method");
            }
            fault = faults.next(faultName);
            answer = null;
            if (fault.takesEffect()) {
                Map<String, String> form = form(request);
                answer = new HttpAnswer(200, call.equals("token") ? refresh(form)
                        : customerToken(form, Requests.bearer(request.getHeader("Authorization"))));
            }
            if (fault.answersError()) {
                answer = faults.pick(faultName, 2) == 0 ? new HttpAnswer(fault.errorStatus(), HttpAnswer.ERROR_PAGE)
                        : new HttpAnswer(fault.errorStatus(), error("server_error", "Injected failure"));
            }
        } catch (AccountsError e) {
            answer = new HttpAnswer(e.status(), error(e.code(), e.getMessage()));
        } catch (V3Error e) {
            answer = new HttpAnswer(e.status(), error("invalid_request", e.getMessage()));
        }
        answer.deliver(request, response, fault, faults, faultName, scheduler);
    }

    private Map<String, Object> refresh(Map<String, String> form) {
        if (!"refresh_token".equals(form.get("grant_type"))) {
            throw form.get("grant_type") == null ? new AccountsError(400, "invalid_request", "missing grant_type")
                    : new AccountsError(400, "unsupported_grant_type", "grant_type must be refresh_token");
        }
        String refreshToken = required(form, "refresh_token");
        Tokens.AgentGrant grant = tokens.refresh(refreshToken, required(form, "client_id"), form.get("client_secret"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", grant.accessToken());
        json.put("account_id", DEMO_AGENT_ACCOUNT);
        json.put("expires_in", grant.expiresIn().toSeconds());
        json.put("organization_id", DemoAccount.ORGANIZATION_ID);
        json.put("scope", "customers:own");
        json.put("refresh_token", grant.refreshToken());
        json.put("token_type", "Bearer");
        return json;
    }

    private Map<String, Object> customerToken(Map<String, String> form, String agentToken) {
        if (!"agent_token".equals(form.get("grant_type"))) {
            throw new AccountsError(400, form.get("grant_type") == null ? "invalid_request" : "unsupported_grant_type",
                    "grant_type must be agent_token");
        }
        if (!"token".equals(form.get("response_type"))) {
            throw new AccountsError(400, "unsupported_response_type", "response_type must be token");
        }
        String clientId = required(form, "client_id");
        String entityId = form.get("entity_id");
        Tokens.CustomerGrant grant = tokens.customerToken(agentToken, clientId,
                entityId == null || entityId.isBlank() ? null : entityId);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("access_token", grant.accessToken());
        json.put("client_id", clientId);
        json.put("entity_id", grant.entityId());
        json.put("expires_in", grant.expiresIn().toSeconds());
        json.put("token_type", "Bearer");
        json.put("organization_id", DemoAccount.ORGANIZATION_ID);
        return json;
    }

    private static String required(Map<String, String> form, String name) {
        String value = form.get(name);
        if (value == null || value.isBlank()) {
            throw new AccountsError(400, "invalid_request", "missing " + name);
        }
        return value;
    }

    /** The body as name → value, from JSON or from a form. */
    private static Map<String, String> form(HttpServletRequest request) {
        String body = Requests.body(request).strip();
        Map<String, String> form = new HashMap<>();
        if (body.startsWith("{")) {
            Object parsed;
            try {
                parsed = HttpAnswer.JSONB.fromJson(body, Object.class);
            } catch (JsonbException e) {
                throw new AccountsError(400, "invalid_request", "invalid HTTP body encoding");
            }
            if (parsed instanceof Map<?, ?> map) {
                map.forEach((name, value) -> {
                    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
                        form.put(String.valueOf(name), String.valueOf(value));
                    }
                });
            }
            return form;
        }
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                try {
                    form.put(URLDecoder.decode(pair.substring(0, equals).strip(), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1).strip(), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw new AccountsError(400, "invalid_request", "invalid HTTP body encoding");
                }
            }
        }
        return form;
    }

    private static Map<String, Object> error(String code, String description) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("error", code);
        json.put("error_description", description);
        return json;
    }
}
