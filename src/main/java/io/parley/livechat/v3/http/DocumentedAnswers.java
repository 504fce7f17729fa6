package io.parley.livechat.v3.http;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields the documents say a successful answer carries, for the calls Parley reads them from:
 * a 200 whose JSON lacks them is no answer (a proxy's page, another call's answer), and counts as
 * malformed, not as the upstream working. Answers to other calls are taken as they come.
 */
final class DocumentedAnswers {

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "start_chat", List.of("chat_id", "thread_id"),
            "resume_chat", List.of("thread_id"),
            "send_event", List.of("event_id"),
            "get_chat", List.of("id", "thread"),
            "list_chats", List.of("chats_summary"),
            "token", List.of("access_token"),
            "customer_token", List.of("access_token", "entity_id"));

    private DocumentedAnswers() {
    }

    /** The first documented field this answer of the call lacks, if any. */
    static Optional<String> missing(String call, Map<String, Object> answer) {
        for (String field : REQUIRED.getOrDefault(call, List.of())) {
            if (answer.get(field) == null) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }
}
