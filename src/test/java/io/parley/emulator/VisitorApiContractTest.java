package io.parley.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The emulator against the seed: its example requests, answer shapes and documented rules. */
class VisitorApiContractTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false"));

    private static URI call(String visitorId, String call) {
        return PARLEY.server().uri("/emulator/visitors/" + visitorId + "/chat/" + call);
    }

    private static Http.Answer post(String visitorId, String call, String... form) throws Exception {
        return Http.post(call(visitorId, call), Http.form(form), "X-API-Version", "2");
    }

    private static Http.Answer pending(String visitorId, String query) throws Exception {
        return Http.get(URI.create(call(visitorId, "get_pending_messages") + "?" + query), "X-API-Version", "2");
    }

    private static String startChat(String visitorId, String... extra) throws Exception {
        String[] form = new String[extra.length + 4];
        form[0] = "licence_id";
        form[1] = "123";
        form[2] = "welcome_message";
        form[3] = "Hi";
        System.arraycopy(extra, 0, form, 4, extra.length);
        Http.Answer answer = post(visitorId, "start", form);
        assertEquals(200, answer.status(), answer.body());
        return (String) answer.object().get("secured_session_id");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Http.Answer answer) {
        assertEquals(200, answer.status(), answer.body());
        return (List<Map<String, Object>>) answer.object().get("events");
    }

    private static void assertError(Http.Answer answer, int status, String parameter) {
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) answer.object().get("error");
        assertTrue(error.get("message") instanceof String message && !message.isBlank(), answer.body());
        assertEquals(parameter, error.get("parameter"), answer.body());
    }

    @Test
    void theSeedsExamplesGetAnswersOfTheSeedsShape() throws Exception {
        // curl ".../visitors/5863759023/chat/start" -H X-API-Version:2 -d "licence_id=123&welcome_message=Hi"
        Http.Answer start = post("5863759023", "start", "licence_id", "123", "welcome_message", "Hi");
        assertEquals(200, start.status());
        assertTrue(start.contentType().startsWith("application/json"));
        Map<String, Object> started = start.object();
        assertEquals(Set.of("secured_session_id", "banned"), started.keySet());
        assertEquals(false, started.get("banned"));
        String session = (String) started.get("secured_session_id");
        assertTrue(session.matches("CS\\d+\\.[0-9a-f]{16}"), session);

        Http.Answer sent = post("5863759023", "send_message", "licence_id", "123", "secured_session_id", session,
                "message", "Hello!");
        assertEquals(Map.of("success", true), sent.object());

        List<Map<String, Object>> events = events(pending("5863759023", "licence_id=123&secured_session_id=" + session));
        assertEquals(1, events.size());
        assertEquals(Set.of("message_id", "text", "timestamp", "type", "user_type"), events.get(0).keySet());
        assertEquals("visitor", events.get(0).get("user_type"));
        assertEquals("Hello!", events.get(0).get("text"));

        // the seed's close example ends its form with a stray '&'
        Http.Answer closed = Http.postRaw(call("5863759023", "close"),
                "licence_id=123&secured_session_id=" + session + "&", "X-API-Version", "2");
        assertEquals(Map.of("success", true), closed.object());
    }

    @Test
    void messageIdsAreOneSequenceAcrossTypesAndTheCursorIsExclusive() throws Exception {
        String visitor = "seq-" + UUID.randomUUID();
        String session = startChat(visitor, "name", "Sequence");
        int chat = PARLEY.agent().chatNumberOf("Sequence");
        PARLEY.agent().join(chat, "Ada");
        PARLEY.agent().say(chat, "Welcome!");
        post(visitor, "send_message", "licence_id", "123", "secured_session_id", session, "message", "Thanks");
        PARLEY.agent().close(chat);

        List<Map<String, Object>> all = events(pending(visitor, "licence_id=123&secured_session_id=" + session));
        assertEquals(List.of("agent_details", "message", "message", "chat_closed"),
                all.stream().map(e -> e.get("type")).toList());
        assertEquals(List.of("agent", "agent", "visitor", "agent"), all.stream().map(e -> e.get("user_type")).toList());
        assertEquals(List.of(1, 2, 3, 4), all.stream().map(e -> ((BigDecimal) e.get("message_id")).intValue()).toList());
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) all.get(0).get("agent");
        assertEquals(Set.of("avatar", "job_title", "name"), details.keySet());
        assertTrue(((String) details.get("avatar")).startsWith(PARLEY.server().uri().toString()), details.toString());

        List<Map<String, Object>> later = events(pending(visitor,
                "licence_id=123&secured_session_id=" + session + "&last_message_id=2"));
        assertEquals(List.of(3, 4), later.stream().map(e -> ((BigDecimal) e.get("message_id")).intValue()).toList());

        Map<String, Object> shown = PARLEY.agent().chat(chat);
        assertTrue(((BigDecimal) shown.get("longest_poll_gap_ms")).longValue() >= 0);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> withTimes = (List<Map<String, Object>>) shown.get("events");
        assertTrue(withTimes.stream().allMatch(e -> e.get("received_ms") instanceof BigDecimal),
                "the agent API shows when each event was taken in");
        assertTrue(all.stream().noneMatch(e -> e.containsKey("received_ms")), "the visitor API does not");

        assertError(post(visitor, "send_message", "licence_id", "123", "secured_session_id", session,
                "message", "late"), 404, null);
        assertError(pending(visitor, "licence_id=123&secured_session_id=" + session + "&last_message_id=4"), 404, null);
    }

    @Test
    void everyRequiredPartIsCheckedAndNamed() throws Exception {
        String visitor = "v-" + UUID.randomUUID();
        assertError(Http.post(call(visitor, "start"), Http.form("licence_id", "123", "welcome_message", "Hi")),
                400, "X-API-Version");
        assertError(Http.post(call(visitor, "start"), Http.form("licence_id", "123", "welcome_message", "Hi"),
                "X-API-Version", "3"), 400, "X-API-Version");
        assertError(post(visitor, "start", "welcome_message", "Hi"), 400, "licence_id");
        assertError(post(visitor, "start", "licence_id", "abc", "welcome_message", "Hi"), 400, "licence_id");
        assertError(post(visitor, "start", "licence_id", "123"), 400, "welcome_message");
        assertError(post(visitor, "start", "licence_id", "123", "welcome_message", "x".repeat(1025)), 400,
                "welcome_message");
        assertError(post(visitor, "start", "licence_id", "123", "welcome_message", "Hi", "group", "sales"), 400,
                "group");
        assertError(post("v".repeat(1025), "start", "licence_id", "123", "welcome_message", "Hi"), 400, "visitor_id");
        assertEquals(200, post("v".repeat(1024), "start", "licence_id", "123", "welcome_message", "x".repeat(1024))
                .status(), "the documented maxima themselves are accepted");

        String session = startChat(visitor);
        assertError(pending(visitor, "licence_id=123"), 400, "secured_session_id");
        assertError(pending(visitor, "licence_id=123&secured_session_id=" + session + "&last_message_id=x"), 400,
                "last_message_id");
        assertError(post(visitor, "send_message", "licence_id", "123", "secured_session_id", session), 400, "message");
        assertError(post(visitor, "send_message", "licence_id", "123", "message", "hi"), 400, "secured_session_id");
        assertError(post(visitor, "close", "licence_id", "123"), 400, "secured_session_id");
        assertError(pending(visitor, "licence_id=123&secured_session_id=CS0.unknown"), 404, null);
    }

    @Test
    void wrongMethodsAndPathsGetJsonErrors() throws Exception {
        Http.Answer wrongMethod = Http.get(call("v1", "start"), "X-API-Version", "2");
        assertError(wrongMethod, 405, null);
        assertEquals("POST", wrongMethod.header("Allow"));
        Http.Answer wrongPoll = Http.post(call("v1", "get_pending_messages"), Http.form("licence_id", "1"),
                "X-API-Version", "2");
        assertError(wrongPoll, 405, null);
        assertEquals("GET", wrongPoll.header("Allow"));
        assertError(Http.get(PARLEY.server().uri("/emulator/visitors/v1/chat/unknown"), "X-API-Version", "2"), 404, null);
        assertError(Http.get(PARLEY.server().uri("/emulator/visitors/"), "X-API-Version", "2"), 404, null);
    }

    @Test
    void aBannedVisitorGetsBannedTrue() throws Exception {
        String visitor = "ban-" + UUID.randomUUID();
        startChat(visitor, "name", "Banned Visitor");
        PARLEY.agent().ban(PARLEY.agent().chatNumberOf("Banned Visitor"));
        Http.Answer again = post(visitor, "start", "licence_id", "123", "welcome_message", "Hi");
        assertEquals(Map.of("banned", true), again.object());
    }

    @Test
    void faultInjectionRefusesBadPlans() throws Exception {
        assertError(PARLEY.agent().faults("error_rate", "2"), 400, null);
        assertError(PARLEY.agent().faults("error_rate", "0.6", "drop_rate", "0.6"), 400, null);
        assertError(PARLEY.agent().faults("calls", "everything"), 400, null);
        assertError(PARLEY.agent().faults("latency_ms", "soon"), 400, "latency_ms");
        try {
            Http.Answer plan = PARLEY.agent().faults("error_rate", "0.25", "calls", "send_message");
            assertEquals(200, plan.status());
            assertEquals(Set.of("send_message"), plan.object().keySet(), "only the calls named have a plan");
            plan = PARLEY.agent().faults("error_after_rate", "0.5", "calls", "start");
            assertEquals(Set.of("send_message", "start"), plan.object().keySet(), "each call keeps its own plan");
        } finally {
            PARLEY.agent().clearFaults();
        }
    }
}
