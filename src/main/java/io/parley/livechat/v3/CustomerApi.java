package io.parley.livechat.v3;

import io.parley.upstream.Attachment;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The Customer Chat API's Web API, as the adapter calls it: one action with a customer's token.
 * Answers are parsed JSON: objects as {@code Map<String, Object>}, arrays as {@code List<Object>},
 * numbers as {@code Number}, strings, booleans and null.
 */
public interface CustomerApi {

    /**
     * Calls {@code action} with this payload. Completes with the answer's JSON object (empty for
     * an empty body), or exceptionally with a {@link V3Failure} that says whether it may have landed.
     */
    CompletableFuture<Map<String, Object>> call(String customerToken, String action, Map<String, Object> payload);

    /**
     * {@code upload_file}: sends the file's bytes as {@code multipart/form-data}. Completes with
     * the answer (its {@code url}), or exceptionally with a {@link V3Failure}; an upload that may
     * have landed is harmless to make again (an unused upload expires upstream).
     */
    default CompletableFuture<Map<String, Object>> upload(String customerToken, Attachment file) {
        return CompletableFuture.failedFuture(new V3Failure(V3Failure.Kind.VALIDATION, null, false,
                "this transport cannot upload files"));
    }
}
