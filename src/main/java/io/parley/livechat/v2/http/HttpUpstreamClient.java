package io.parley.livechat.v2.http;

import io.parley.livechat.v2.CloseResult;
import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.SendResult;
import io.parley.livechat.v2.StartResult;
import io.parley.livechat.v2.UpstreamClient;
import io.parley.livechat.v2.UpstreamFailure;
import io.parley.livechat.v2.UpstreamSession;
import io.parley.logs.LogText;
import io.parley.upstream.ChatStart;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Visitors Chat API v2 over HTTP. Calls are non-blocking (no thread waits for an answer),
 * share a pool of connections, and each has a deadline. Every outcome, including broken
 * connections and nonsense answers, completes the future normally with a typed result.
 *
 * <pre>
 * curl https://api.livechatinc.com/visitors/5863759023/chat/start -H X-API-Version:2 \
 *      -d "licence_id=123&amp;welcome_message=Hi"
 * </pre>
 */
public final class HttpUpstreamClient implements UpstreamClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpUpstreamClient.class);
    private static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private final Supplier<URI> baseUrl;
    private final String licenceId;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final AnswerReader answers = new AnswerReader();

    /**
     * @param baseUrl the API's base URL without a trailing slash, e.g. {@code https://api.livechatinc.com};
     *                asked on every call, and null while it is not known yet (demo mode before the
     *                server has learnt its own address)
     * @param timeout the deadline of each call, connecting included
     * @param maxConnections the most pooled connections; calls beyond wait in a queue
     */
    public HttpUpstreamClient(Supplier<URI> baseUrl, String licenceId, Duration timeout, int maxConnections,
            Clock clock) {
        this(baseUrl, licenceId, timeout, maxConnections, 1024, clock);
    }

    /**
     * @param maxQueued the most calls waiting for a connection; a call beyond fails at once as a
     *                  connection failure. The relay makes at most a start, a poll and a send at a
     *                  time per conversation, so three per conversation never overflows.
     */
    public HttpUpstreamClient(Supplier<URI> baseUrl, String licenceId, Duration timeout, int maxConnections,
            int maxQueued, Clock clock) {
        this.baseUrl = baseUrl;
        this.licenceId = licenceId;
        this.timeout = timeout;
        this.clock = clock;
        QueuedThreadPool threads = new QueuedThreadPool(Math.max(8, Runtime.getRuntime().availableProcessors() * 4), 2);
        threads.setName("parley-upstream");
        threads.setDaemon(true);
        http = new HttpClient();
        http.setExecutor(threads);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setMaxRequestsQueuedPerDestination(maxQueued);
        http.setConnectTimeout(timeout.toMillis());
        http.setFollowRedirects(false);
        http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Parley"));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot start the upstream HTTP client: " + e.getMessage(), e);
        }
    }

    /** Adds a listener to every HTTP request made, e.g. to measure them. */
    public void addRequestListener(Request.Listener listener) {
        http.getRequestListeners().addListener(listener);
    }

    @Override
    public CompletableFuture<StartResult> start(String visitorId, ChatStart chat) {
        Fields form = new Fields();
        form.put("licence_id", licenceId);
        form.put("welcome_message", chat.welcomeMessage());
        if (chat.name() != null) {
            form.put("name", chat.name());
        }
        if (chat.email() != null) {
            form.put("email", chat.email());
        }
        chat.group().ifPresent(group -> form.put("group", Integer.toString(group)));
        Redactor redactor = text -> UpstreamSession.redact(text, visitorId);
        return post(visitorId, "start", form, redactor, whole(body -> answers.startAnswer(body)
                .<StartResult>map(sessionId -> new StartResult.Started(new UpstreamSession(visitorId, sessionId)))
                .orElseGet(StartResult.Banned::new)))
                // there is no session yet that could be gone: a 404 here refuses the call itself
                .thenApply(result -> result instanceof UpstreamFailure.SessionGone gone
                        ? new UpstreamFailure.Rejected(gone.status(), gone.message()) : result);
    }

    @Override
    public CompletableFuture<PollResult> poll(UpstreamSession session, long afterMessageId) {
        return call(session.visitorId(), "get_pending_messages", HttpMethod.GET, request -> {
            request.param("licence_id", licenceId).param("secured_session_id", session.securedSessionId());
            if (afterMessageId > 0) {
                request.param("last_message_id", Long.toString(afterMessageId));
            }
        }, session::redact, (body, cut) -> answers.events(body, clock.instant(), cut));
    }

    @Override
    public CompletableFuture<SendResult> send(UpstreamSession session, String text) {
        Fields form = sessionForm(session);
        form.put("message", text);
        return post(session.visitorId(), "send_message", form, session::redact, whole(body -> {
            answers.requireSuccess(body);
            return new SendResult.Sent();
        }));
    }

    @Override
    public CompletableFuture<CloseResult> close(UpstreamSession session) {
        return post(session.visitorId(), "close", sessionForm(session), session::redact, whole(body -> {
            answers.requireSuccess(body);
            return new CloseResult.Closed();
        }));
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the upstream HTTP client failed: {}", e.toString());
        }
    }

    private Fields sessionForm(UpstreamSession session) {
        Fields form = new Fields();
        form.put("licence_id", licenceId);
        form.put("secured_session_id", session.securedSessionId());
        return form;
    }

    private <R> CompletableFuture<R> post(String visitorId, String call, Fields form, Redactor redactor,
            AnswerHandler<R> onSuccess) {
        return call(visitorId, call, HttpMethod.POST,
                request -> request.body(new FormRequestContent(form, StandardCharsets.UTF_8)), redactor, onSuccess);
    }

    private <R> CompletableFuture<R> call(String visitorId, String call, HttpMethod method,
            Consumer<Request> parameters, Redactor redactor, AnswerHandler<R> onSuccess) {
        URI base = baseUrl.get();
        if (base == null) {
            return CompletableFuture.completedFuture(
                    widen(new UpstreamFailure.NotSent("the upstream address is not known yet")));
        }
        Request request = http.newRequest(URI.create(base + path(visitorId, call))).method(method);
        parameters.accept(request);
        return exchange(request, redactor, onSuccess);
    }

    private <R> CompletableFuture<R> exchange(Request request, Redactor redactor, AnswerHandler<R> onSuccess) {
        CompletableFuture<R> future = new CompletableFuture<>();
        BoundedBody body = new BoundedBody(MAX_ANSWER_BYTES) {
            @Override
            public void onComplete(Result result) {
                // Whatever is thrown, the future completes: a call that never completes would
                // stop its chat for good and hold a slot of the poller.
                try {
                    future.complete(outcome(result, this, redactor, onSuccess));
                } catch (Throwable e) {
                    future.complete(widen(new UpstreamFailure.MalformedAnswer(status(result),
                            "the answer could not be read (" + e.getClass().getSimpleName() + ")")));
                }
            }
        };
        request.headers(headers -> headers.put("X-API-Version", "2"))
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .onRequestBegin(begun -> body.begun()) // from here on, bytes may reach the upstream
                .send(body);
        return future;
    }

    private static int status(Result result) {
        return result.getResponse() == null ? 0 : result.getResponse().getStatus();
    }

    private <R> R outcome(Result result, BoundedBody body, Redactor redactor, AnswerHandler<R> onSuccess) {
        int status = status(result);
        if (result.isFailed() && !body.cut()) {
            if (!body.mayHaveLeft()) {
                // Nothing reached the upstream: not ambiguous, whatever the cause.
                return widen(new UpstreamFailure.NotSent(result.getFailure() instanceof TimeoutException
                        ? "timed out waiting for a connection" : result.getFailure().getClass().getSimpleName()));
            }
            return widen(failure(result.getFailure(), status, redactor));
        }
        if (status == 200) {
            try {
                return onSuccess.apply(body.text(), body.cut());
            } catch (MalformedAnswerException e) {
                return widen(new UpstreamFailure.MalformedAnswer(status, LogText.clip(e.getMessage())));
            }
        }
        // Text from outside, kept for log lines and readiness: clipped here, once, where it comes in.
        String message = LogText.clip(redactor.redact(answers.errorMessage(body.text())));
        if (status == 404) {
            return widen(new UpstreamFailure.SessionGone(status, message));
        }
        if (status >= 400 && status < 500) {
            return widen(new UpstreamFailure.Rejected(status, message));
        }
        if (status >= 500) {
            return widen(new UpstreamFailure.ServerError(status, message));
        }
        return widen(new UpstreamFailure.MalformedAnswer(status, "unexpected status"));
    }

    private UpstreamFailure failure(Throwable cause, int status, Redactor redactor) {
        if (cause instanceof TimeoutException) {
            return new UpstreamFailure.TimedOut(timeout);
        }
        String detail = cause.getMessage() == null ? "" : ": " + LogText.clip(redactor.redact(cause.getMessage()));
        return new UpstreamFailure.ConnectionFailed(cause.getClass().getSimpleName() + detail);
    }

    /** A failure is a result of every call (it implements all four result types). */
    @SuppressWarnings("unchecked")
    private static <R> R widen(UpstreamFailure failure) {
        return (R) failure;
    }

    private static String path(String visitorId, String call) {
        return "/visitors/" + URLEncoder.encode(visitorId, StandardCharsets.UTF_8).replace("+", "%20") + "/chat/" + call;
    }

    /** Removes upstream ids from text that may end in a log or a failure. */
    @FunctionalInterface
    private interface Redactor {
        String redact(String text);
    }

    /**
     * Reads a 200 answer into the call's success result, or says it is malformed; {@code cut}
     * when the answer was larger than {@link #MAX_ANSWER_BYTES} and only its beginning is there.
     */
    @FunctionalInterface
    private interface AnswerHandler<R> {
        R apply(String body, boolean cut) throws MalformedAnswerException;
    }

    /** A handler for the answers that are only of use whole. */
    private static <R> AnswerHandler<R> whole(WholeAnswerHandler<R> handler) {
        return (body, cut) -> {
            if (cut) {
                throw new MalformedAnswerException("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
            }
            return handler.apply(body);
        };
    }

    /** Reads a whole 200 answer. */
    @FunctionalInterface
    private interface WholeAnswerHandler<R> {
        R apply(String body) throws MalformedAnswerException;
    }
}
