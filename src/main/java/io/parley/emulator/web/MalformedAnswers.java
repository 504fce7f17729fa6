package io.parley.emulator.web;

import io.parley.emulator.FaultInjector;
import java.util.List;
import java.util.function.Function;

/** The kinds of nonsense a misbehaving upstream or proxy answers with a 200. */
final class MalformedAnswers {

    private static final List<Function<String, String>> VARIANTS = List.of(
            json -> "<html><body><h1>502 Bad Gateway</h1></body></html>",
            json -> json.substring(0, json.length() / 2),
            json -> "",
            json -> "[]",
            json -> "{\"events\":{\"oops\":true},\"success\":\"maybe\",\"secured_session_id\":42}");

    private MalformedAnswers() {
    }

    static String pick(FaultInjector faults, String call, Object answer) {
        return VARIANTS.get(faults.pick(call, VARIANTS.size())).apply(JsonAnswers.toJson(answer));
    }
}
