package io.parley.livechat.v3.http;

import io.parley.livechat.v3.CustomerApi;
import io.parley.livechat.v3.V3Failure;
import io.parley.upstream.Attachment;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.MultiPartRequestContent;
import org.eclipse.jetty.client.PathRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * The Customer Chat Web API over HTTP:
 *
 * <pre>
 * curl -X POST 'https://api.livechatinc.com/v3.6/customer/action/send_event?organization_id=&lt;org&gt;' \
 *      -H 'Content-Type: application/json' -H 'Authorization: Bearer &lt;customer_access_token&gt;' \
 *      -d '{"chat_id":"…","event":{"type":"message","text":"Hi","recipients":"all"}}'
 * </pre>
 *
 * The few actions the API serves on GET only (configuration and properties) go as GET, their
 * payload as query parameters. A token of another region than {@code dal} adds {@code X-Region}.
 * Answers up to {@link #MAX_ANSWER_BYTES} are read (a {@code get_chat} with its events fits).
 */
public final class HttpCustomerApi implements CustomerApi, AutoCloseable {

    /** The largest answer taken; {@code get_chat} and {@code list_threads} return whole threads. */
    public static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    /** What an action's name looks like, so that no caller can reach another path. */
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z_]{0,63}");

    /** The Web API's methods served on GET (the Web API reference's table of endpoints). */
    private static final Set<String> GET_ACTIONS = Set.of("list_license_properties", "list_group_properties",
            "get_dynamic_configuration", "get_configuration", "get_localization");

    private final Supplier<URI> apiUrl;
    private final String organizationId;
    private final String version;
    private final HttpCalls calls;

    /**
     * @param apiUrl the API's base URL without a trailing slash, e.g. {@code https://api.livechatinc.com};
     *               asked on every call, and null while it is not known yet (demo mode before the
     *               server has learnt its own address)
     * @param organizationId the {@code organization_id} every call carries
     * @param apiVersion the API version without its {@code v}, e.g. {@code 3.6}
     * @param timeout the deadline of each call, connecting included
     * @param maxConnections the most pooled connections; calls beyond wait in a queue
     */
    public HttpCustomerApi(Supplier<URI> apiUrl, String organizationId, String apiVersion, Duration timeout,
            int maxConnections) {
        this.apiUrl = apiUrl;
        this.organizationId = organizationId;
        this.version = apiVersion;
        this.calls = new HttpCalls("parley-livechat-api", timeout, maxConnections, MAX_ANSWER_BYTES);
    }

    /** Adds a listener to every call made, e.g. to count the billed ones. */
    public void addCallListener(WebApiCall.Listener listener) {
        calls.addListener(listener);
    }

    @Override
    public CompletableFuture<Map<String, Object>> call(String customerToken, String action, Map<String, Object> payload) {
        if (action == null || !ACTION.matcher(action).matches()) {
            return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                    "not an action name of the API"));
        }
        URI base = apiUrl.get();
        if (base == null) {
            return CompletableFuture.failedFuture(Failures.network(action, "the API's address is not known yet", false));
        }
        Request request;
        try {
            request = request(base, action, payload == null ? Map.of() : payload);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                    action + ": the payload cannot be sent (" + e.getMessage() + ")"));
        }
        if (customerToken != null) {
            request.headers(headers -> {
                headers.put(HttpHeader.AUTHORIZATION, "Bearer " + customerToken);
                String region = Regions.headerFor(customerToken);
                if (region != null) {
                    headers.put(Regions.HEADER, region);
                }
            });
        }
        return calls.exchange(action, request);
    }

    /** How long an upload of the largest file may take: far longer than a call's deadline. */
    private static final long UPLOAD_DEADLINE_MS = 120_000;

    @Override
    public CompletableFuture<Map<String, Object>> upload(String customerToken, Attachment file) {
        URI base = apiUrl.get();
        if (base == null) {
            return CompletableFuture.failedFuture(Failures.network("upload_file", "the API's address is not known yet", false));
        }
        MultiPartRequestContent form = new MultiPartRequestContent();
        try {
            form.addPart(new MultiPart.ContentSourcePart("file", file.name(),
                    HttpFields.build().put(HttpHeader.CONTENT_TYPE, file.contentType()),
                    new PathRequestContent(file.contentType(), file.path())));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                    "upload_file: the spooled file cannot be read (" + e.getClass().getSimpleName() + ")"));
        } finally {
            form.close();
        }
        URI uri = URI.create(base + "/v" + version + "/customer/action/upload_file?organization_id="
                + URLEncoder.encode(organizationId, StandardCharsets.UTF_8));
        Request request = calls.newRequest(uri).method(HttpMethod.POST).body(form)
                .timeout(UPLOAD_DEADLINE_MS, TimeUnit.MILLISECONDS);
        request.headers(headers -> {
            headers.put(HttpHeader.AUTHORIZATION, "Bearer " + customerToken);
            String region = Regions.headerFor(customerToken);
            if (region != null) {
                headers.put(Regions.HEADER, region);
            }
        });
        return calls.exchange("upload_file", request);
    }

    private Request request(URI base, String action, Map<String, Object> payload) {
        URI uri = URI.create(base + "/v" + version + "/customer/action/" + action + "?organization_id="
                + URLEncoder.encode(organizationId, StandardCharsets.UTF_8));
        Request request = calls.newRequest(uri);
        if (GET_ACTIONS.contains(action)) {
            request.method(HttpMethod.GET);
            payload.forEach((name, value) -> request.param(name, queryValue(value)));
            return request;
        }
        return request.method(HttpMethod.POST)
                .body(new StringRequestContent("application/json", JsonText.write(payload), StandardCharsets.UTF_8));
    }

    private static String queryValue(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            return value.toString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        throw new IllegalArgumentException("a GET parameter must be a string, a whole number or a boolean");
    }

    @Override
    public void close() {
        calls.close();
    }
}
