package io.parley.livechat.v3;

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
}
