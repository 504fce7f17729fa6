package io.parley.emulator.v3;

import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.TestServer;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/** The emulator's accounts calls and Web API as Parley's v3 adapter calls them, for tests. */
final class CustomerClient {

    /** A JSON object of an answer, as parsed. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }


    static final Jsonb JSONB = JsonbBuilder.create();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final URI emulator;

    CustomerClient(TestServer server) {
        this.emulator = server.emulatorUri();
    }

    URI uri(String path) {
        return URI.create(emulator + path);
    }

    /** The demo account's refresh: a fresh agent access token. */
    String agentToken() throws Exception {
        Http.Answer answer = Http.post(uri("/accounts/v2/token"), Http.form("grant_type", "refresh_token",
                "refresh_token", DemoAccount.REFRESH_TOKEN, "client_id", DemoAccount.CLIENT_ID,
                "client_secret", DemoAccount.CLIENT_SECRET));
        if (answer.status() != 200) {
            throw new AssertionError(answer.body());
        }
        return (String) answer.object().get("access_token");
    }

    /** The agent-token grant's answer, for a new customer when {@code entityId} is null. */
    Http.Answer customerGrant(String agentToken, String entityId) throws Exception {
        StringBuilder body = new StringBuilder("{\"grant_type\":\"agent_token\",\"client_id\":\"" + DemoAccount.CLIENT_ID
                + "\",\"response_type\":\"token\"");
        if (entityId != null) {
            body.append(",\"entity_id\":\"").append(entityId).append('"');
        }
        body.append('}');
        return json(uri("/accounts/v2/customer/token"), body.toString(), "Authorization", "Bearer " + agentToken);
    }

    /** A new customer's token. */
    String customerToken() throws Exception {
        return (String) customerGrant(agentToken(), null).object().get("access_token");
    }

    /** A Web API call of v3.6 with a JSON payload. */
    Http.Answer call(String token, String action, String payload) throws Exception {
        return json(uri("/v3.6/customer/action/" + action + "?organization_id=" + DemoAccount.ORGANIZATION_ID),
                payload, "Authorization", "Bearer " + token);
    }

    /** A Web API call that must succeed; its answer's object. */
    Map<String, Object> ok(String token, String action, String payload) throws Exception {
        Http.Answer answer = call(token, action, payload);
        if (answer.status() != 200) {
            throw new AssertionError(action + " answered " + answer.status() + ": " + answer.body());
        }
        return answer.object();
    }

    static Http.Answer json(URI uri, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Eventually.DEADLINE)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""), response.headers());
    }

    static String json(Object value) {
        return JSONB.toJson(value);
    }
}
