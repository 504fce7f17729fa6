package io.parley.livechat.v3.http;

import io.parley.livechat.v3.Accounts;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Fields;

/**
 * LiveChat's accounts service over HTTP (livechat-public-docs, {@code authorization/oauth-authorization}
 * "Using the refresh token" and {@code authorization/customer-authorization} "Agent token grant"):
 *
 * <pre>
 * curl https://accounts.livechat.com/v2/token -X POST \
 *      -d "grant_type=refresh_token&amp;refresh_token=…&amp;client_id=…&amp;client_secret=…"
 * curl https://accounts.livechat.com/v2/customer/token -X POST -H "Authorization: Bearer &lt;agent access token&gt;" \
 *      -H "Content-Type: application/json" \
 *      -d '{"grant_type":"agent_token","client_id":"…","response_type":"token","entity_id":"…"}'
 * </pre>
 */
public final class HttpAccounts implements Accounts, AutoCloseable {

    /** Token answers are a few hundred bytes. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;
    private static final int MAX_CONNECTIONS = 16;

    private final Supplier<URI> accountsUrl;
    private final String clientId;
    private final String clientSecret;
    private final HttpCalls calls;

    /**
     * @param accountsUrl the accounts service's base URL without a trailing slash, e.g.
     *                    {@code https://accounts.livechat.com}; asked on every call, null while unknown
     * @param clientId the OAuth app's client id
     * @param clientSecret the OAuth app's client secret, for refreshing the agent token
     * @param timeout the deadline of each call, connecting included
     */
    public HttpAccounts(Supplier<URI> accountsUrl, String clientId, String clientSecret, Duration timeout) {
        this.accountsUrl = accountsUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.calls = new HttpCalls("parley-livechat-accounts", timeout, MAX_CONNECTIONS, MAX_ANSWER_BYTES);
    }

    /** Adds a listener to every call made (actions {@code token} and {@code customer_token}). */
    public void addCallListener(WebApiCall.Listener listener) {
        calls.addListener(listener);
    }

    @Override
    public CompletableFuture<AgentGrant> refresh(String refreshToken) {
        String action = "token";
        URI base = accountsUrl.get();
        if (base == null) {
            return CompletableFuture.failedFuture(Failures.network(action, "the accounts address is not known yet", false));
        }
        Fields form = new Fields();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        Request request = calls.newRequest(URI.create(base + "/v2/token")).method(HttpMethod.POST)
                .body(new FormRequestContent(form, StandardCharsets.UTF_8));
        return HttpCalls.read(calls.exchange(action, request), answer -> {
            String accessToken = text(action, answer, "access_token");
            // The answer carries the refresh token to keep; should it not, the one used stays good.
            String rotated = answer.get("refresh_token") instanceof String next && !next.isBlank() ? next : refreshToken;
            return new AgentGrant(accessToken, rotated, seconds(action, answer));
        });
    }

    @Override
    public CompletableFuture<CustomerGrant> customerToken(String agentAccessToken, String entityId) {
        String action = "customer_token";
        URI base = accountsUrl.get();
        if (base == null) {
            return CompletableFuture.failedFuture(Failures.network(action, "the accounts address is not known yet", false));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("grant_type", "agent_token");
        body.put("client_id", clientId);
        body.put("response_type", "token");
        if (entityId != null) {
            body.put("entity_id", entityId);
        }
        Request request = calls.newRequest(URI.create(base + "/v2/customer/token")).method(HttpMethod.POST)
                .headers(headers -> headers.put(HttpHeader.AUTHORIZATION, "Bearer " + agentAccessToken))
                .body(new StringRequestContent("application/json", JsonText.write(body), StandardCharsets.UTF_8));
        return HttpCalls.read(calls.exchange(action, request), answer -> new CustomerGrant(
                text(action, answer, "access_token"), text(action, answer, "entity_id"), seconds(action, answer)));
    }

    private static String text(String action, Map<String, Object> answer, String name) {
        if (answer.get(name) instanceof String value && !value.isBlank()) {
            return value;
        }
        throw Failures.malformed(action, "has no " + name, true);
    }

    private static Duration seconds(String action, Map<String, Object> answer) {
        if (answer.get("expires_in") instanceof BigDecimal seconds && seconds.signum() > 0
                && seconds.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0) {
            return Duration.ofSeconds(seconds.longValue());
        }
        throw Failures.malformed(action, "has no expires_in of a positive number of seconds", true);
    }

    @Override
    public void close() {
        calls.close();
    }
}
