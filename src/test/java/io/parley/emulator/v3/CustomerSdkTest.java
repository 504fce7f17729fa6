package io.parley.emulator.v3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.NodeScript;
import io.parley.testing.RunningParley;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LiveChat's own Customer SDK (npm {@code @livechat/customer-sdk} 4.0.2, the client LiveChat
 * writes against its Customer Chat API v3.5) holds one whole chat with the emulator, the agent
 * acting through the agent API: {@code src/test/node/customer-sdk/whole-chat.js}. If the
 * emulator answers something the SDK cannot read, or misses a push it waits for, the script fails
 * at that step. Skipped where Node.js or the script's modules are missing, unless
 * {@code PARLEY_REQUIRE_NODE=1}.
 */
class CustomerSdkTest {

    @RegisterExtension
    static final RunningParley PARLEY = RunningParley.polledFast();

    /** The steps the script prints, in order, each with "ok". */
    private static final List<String> STEPS = List.of("accounts", "login", "start chat", "agent typing",
            "agent message", "sneak peek", "customer message", "seen", "deactivate", "resume", "rating", "history",
            "token expiry", "goes on");

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theSdkHoldsAWholeChatWithTheEmulator() throws Exception {
        NodeScript sdk = NodeScript.project("customer-sdk", "@livechat/customer-sdk", "ws");

        NodeScript.Run run = sdk.run("whole-chat.js", Map.of(
                "PARLEY_EMULATOR_URL", PARLEY.server().emulatorUri().toString(),
                "PARLEY_CLIENT_ID", DemoAccount.CLIENT_ID,
                "PARLEY_CLIENT_SECRET", DemoAccount.CLIENT_SECRET,
                "PARLEY_REFRESH_TOKEN", DemoAccount.REFRESH_TOKEN,
                "PARLEY_ORGANIZATION_ID", DemoAccount.ORGANIZATION_ID,
                "PARLEY_CHECK_TIMEOUT_MS", "45000"), Duration.ofSeconds(50));

        assertFalse(run.timedOut(), "the script outlived its bound:\n" + run.output());
        assertEquals(0, run.exitCode(), "the script failed:\n" + run.output());
        List<String> passed = run.lines().stream().filter(line -> line.startsWith("STEP ") && line.contains(" ok ("))
                .map(line -> line.substring("STEP ".length(), line.indexOf(" ok ("))).toList();
        assertEquals(STEPS, passed, "steps passed, in order:\n" + run.output());
        assertTrue(run.lines().contains("PASS whole chat: " + STEPS.size() + " steps"), run.output());

        assertTheEmulatorKeptTheChat(PARLEY.agent());
    }

    /**
     * What the agent's side holds after the run: two threads, each a console chat of the v3 API,
     * the second pointing back to the first; the customer's messages with their custom ids; the
     * sneak peek on the first; the rating on the second; the first closed by the customer
     * (deactivate_chat), the second by the agent.
     */
    private static void assertTheEmulatorKeptTheChat(AgentApi agent) throws Exception {
        List<Map<String, Object>> chats = agent.chats();
        assertEquals(2, chats.size(), "one console chat per thread: " + chats);
        Map<String, Object> first = agent.chat(numberOfThread(chats, 1));
        Map<String, Object> second = agent.chat(numberOfThread(chats, 2));
        for (Map<String, Object> chat : List.of(first, second)) {
            assertEquals("v3", chat.get("api"), chat.toString());
            assertEquals("closed", chat.get("state"), chat.toString());
        }
        assertEquals(first.get("id"), second.get("previous_chat"), second.toString());

        assertStartsWith(List.of("Hello from the SDK", "I would like to return a parcel"), AgentApi.visitorTexts(first));
        assertStartsWith(List.of("One more question", "Still there after the new token"), AgentApi.visitorTexts(second));
        assertTrue(String.valueOf(events(first).get(0).get("custom_id")).startsWith("sdk-1-"), first.toString());
        assertEquals("I would like to ret", first.get("sneak_peek"), first.toString());
        assertEquals("visitor", first.get("closed_by"), first.toString());
        assertEquals("agent", second.get("closed_by"), second.toString());

        Map<?, ?> rating = (Map<?, ?>) ((Map<?, ?>) second.get("thread_properties")).get("rating");
        assertEquals(1, ((Number) rating.get("score")).intValue(), second.toString());
        assertTrue(String.valueOf(rating.get("comment")).startsWith("Quick and kind"), second.toString());
        assertFalse(first.containsKey("thread_properties"), "the rating went to the older thread: " + first);
    }

    private static int numberOfThread(List<Map<String, Object>> chats, int thread) {
        return chats.stream().filter(chat -> Integer.valueOf(thread).equals(number(chat.get("thread"))))
                .map(chat -> number(chat.get("id"))).findFirst()
                .orElseThrow(() -> new AssertionError("no console chat for thread " + thread + ": " + chats));
    }

    private static Integer number(Object value) {
        return value instanceof Number number ? number.intValue() : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> events(Map<String, Object> chat) {
        return ((List<Map<String, Object>>) chat.get("events")).stream()
                .filter(event -> "visitor".equals(event.get("user_type"))).toList();
    }

    /** Each text begins as expected, in order (the script adds a suffix of its run to each). */
    private static void assertStartsWith(List<String> expected, List<String> texts) {
        assertEquals(expected.size(), texts.size(), "the customer's messages: " + texts);
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(texts.get(i).startsWith(expected.get(i)), "message " + (i + 1) + " of " + texts);
        }
    }
}
