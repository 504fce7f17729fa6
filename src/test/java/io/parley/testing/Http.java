package io.parley.testing;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain blocking HTTP for tests, with answers read as JSON when asked. */
public final class Http {

    private static final Jsonb JSONB = JsonbBuilder.create();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** A status, the body, its headers, and the body read as JSON (maps, lists, BigDecimal numbers). */
    public record Answer(int status, String body, String contentType, HttpHeaders headers) {

        /** The first value of a header, or "" when absent. */
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        public Object json() {
            return JSONB.fromJson(body, Object.class);
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return (Map<String, Object>) json();
        }
    }

    public static Map<String, String> form(String... pairs) {
        Map<String, String> form = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            form.put(pairs[i], pairs[i + 1]);
        }
        return form;
    }

    public static Answer get(URI uri, String... headers) throws IOException, InterruptedException {
        return send(request(uri, headers).GET().build());
    }

    public static Answer post(URI uri, Map<String, String> form, String... headers)
            throws IOException, InterruptedException {
        return send(request(uri, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build());
    }

    /** A form body exactly as given, e.g. the seed's with its trailing {@code &}. */
    public static Answer postRaw(URI uri, String body, String... headers) throws IOException, InterruptedException {
        return send(request(uri, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public static Answer delete(URI uri) throws IOException, InterruptedException {
        return send(request(uri).DELETE().build());
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static HttpRequest.Builder request(URI uri, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Eventually.DEADLINE);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    private static Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(),
                response.headers().firstValue("Content-Type").orElse(""), response.headers());
    }
}
