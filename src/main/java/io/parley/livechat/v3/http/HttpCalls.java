package io.parley.livechat.v3.http;

import io.parley.livechat.v3.V3Failure;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side shared by the accounts service and the Web API: one non-blocking, pooled Jetty
 * {@code HttpClient}, a deadline per call, answers bounded in size and read as a JSON object,
 * and every way a call can end turned into a {@link V3Failure} that says whether the call may
 * have taken effect. Listeners hear of every call once it is over.
 */
final class HttpCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpCalls.class);

    private final HttpClient http;
    private final Duration timeout;
    private final int maxAnswerBytes;
    private final List<WebApiCall.Listener> listeners = new CopyOnWriteArrayList<>();

    HttpCalls(String threadName, Duration timeout, int maxConnections, int maxAnswerBytes) {
        this.timeout = timeout;
        this.maxAnswerBytes = maxAnswerBytes;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 2);
        threads.setName(threadName);
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setConnectTimeout(timeout.toMillis());
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Parley"));
        try {
            http.start();
            // No WWW-Authenticate dance (a 401 without its header would be a "protocol violation"),
            // no redirects: a 401's JSON body is the answer. The handlers are added by start().
            http.getProtocolHandlers().clear();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the HTTP client " + threadName + ": " + e.getMessage(), e);
        }
    }

    void addListener(WebApiCall.Listener listener) {
        listeners.add(listener);
    }

    Request newRequest(URI uri) {
        return http.newRequest(uri);
    }

    /**
     * Sends the request; completes with the answer's JSON object (empty for an empty body), or
     * exceptionally with a {@link V3Failure}. Never completes with anything else, whatever comes back.
     */
    CompletableFuture<Map<String, Object>> exchange(String action, Request request) {
        CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
        long started = System.nanoTime();
        Body body = new Body(maxAnswerBytes) {
            @Override
            public void onComplete(Result result) {
                int status = result.getResponse() == null ? 0 : result.getResponse().getStatus();
                V3Failure failure;
                Map<String, Object> answer = null;
                try {
                    answer = outcome(action, result, status, this);
                    failure = null;
                } catch (V3Failure e) {
                    failure = e;
                } catch (RuntimeException e) {
                    failure = Failures.malformed(action, "could not be read (" + e.getClass().getSimpleName() + ")", true);
                }
                tell(new WebApiCall(action, status, Duration.ofNanos(System.nanoTime() - started), failure));
                if (failure == null) {
                    future.complete(answer);
                } else {
                    future.completeExceptionally(failure);
                }
            }
        };
        // a deadline the caller set (an upload's, longer) is kept
        request.timeout(request.getTimeout() > 0 ? request.getTimeout() : timeout.toMillis(), TimeUnit.MILLISECONDS)
                .onRequestBegin(begun -> body.begun()) // from here on, bytes may reach the upstream
                .send(body);
        return future;
    }

    /**
     * The answer read into {@code R} by {@code reader}, which may throw a {@link V3Failure}; the
     * returned future fails with the {@link V3Failure} itself, not wrapped, as callers expect.
     */
    static <R> CompletableFuture<R> read(CompletableFuture<Map<String, Object>> answer,
            java.util.function.Function<Map<String, Object>, R> reader) {
        CompletableFuture<R> result = new CompletableFuture<>();
        answer.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
                return;
            }
            try {
                result.complete(reader.apply(value));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private Map<String, Object> outcome(String action, Result result, int status, Body body) {
        if (result.isFailed() && !body.cut) {
            Throwable cause = result.getFailure();
            if (status >= 400 && status < 500) {
                throw Failures.refused(action, null, status); // refused, though its body broke off
            }
            boolean timedOut = cause instanceof TimeoutException;
            if (!body.begun) {
                // Nothing left for the upstream: not ambiguous, whatever the cause.
                throw timedOut ? Failures.timeout(action, "timed out waiting for a connection", false)
                        : Failures.network(action, "could not connect (" + cause.getClass().getSimpleName() + ")", false);
            }
            throw timedOut ? Failures.timeout(action, "no answer within " + timeout.toMillis() + " ms", true)
                    : Failures.network(action, "the connection failed (" + cause.getClass().getSimpleName() + ")", true);
        }
        if (status >= 200 && status < 300) {
            if (body.cut) {
                throw Failures.malformed(action, "is larger than " + maxAnswerBytes + " bytes", true);
            }
            String text = body.text();
            if (text.isBlank()) {
                return new java.util.LinkedHashMap<>();
            }
            Map<String, Object> answer;
            try {
                answer = JsonText.readObject(text);
            } catch (JsonText.MalformedJsonException e) {
                throw Failures.malformed(action, "is " + e.getMessage(), true);
            }
            String missing = DocumentedAnswers.missing(action, answer).orElse(null);
            if (missing != null) {
                throw Failures.malformed(action, "lacks its " + missing, true);
            }
            return answer;
        }
        if (status >= 400) {
            String type = null;
            if (!body.cut) {
                try {
                    type = Failures.errorType(JsonText.read(body.text()));
                } catch (JsonText.MalformedJsonException e) {
                    type = null; // an error page, not the API's JSON: the status says enough
                }
            }
            throw Failures.refused(action, type, status);
        }
        // 1xx and 3xx (redirects are not followed): not what the API answers.
        throw Failures.malformed(action, "has the unexpected status " + status, status != 0);
    }

    private void tell(WebApiCall call) {
        for (WebApiCall.Listener listener : listeners) {
            try {
                listener.called(call);
            } catch (RuntimeException e) {
                LOG.warn("A listener of upstream calls failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("Stopping an upstream HTTP client failed: {}", e.toString());
        }
    }

    /** Collects an answer's body up to a size; a larger answer is aborted. */
    private abstract static class Body implements Response.Listener {
        private final int maxBytes;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        volatile boolean cut;
        volatile boolean begun;

        Body(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        void begun() {
            begun = true;
        }

        @Override
        public void onContent(Response response, ByteBuffer content) {
            if (cut) {
                return;
            }
            if (content.remaining() > maxBytes - bytes.size()) {
                cut = true;
                response.abort(new IllegalStateException("answer larger than " + maxBytes + " bytes"));
                return;
            }
            byte[] chunk = new byte[content.remaining()];
            content.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
