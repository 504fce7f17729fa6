package io.parley.emulator.v3;

import static io.parley.emulator.v3.CustomerClient.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo agent greets and answers v3 customers too, and the console shows their chats. */
class DemoAgentV3Test {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-agent-delay", "0s"));

    @Test
    void theDemoAgentGreetsThenAnswersTheFirstMessage() throws Exception {
        CustomerClient client = new CustomerClient(PARLEY.server());
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), client.customerToken())) {
            rtm.ok("update_customer", Map.of("name", "Grace"));
            rtm.ok("start_chat", Map.of("chat", Map.of("thread", Map.of("events",
                    List.of(Map.of("type", "message", "text", "Hello?", "custom_id", "g-1"))))));
            assertEquals("Ada", map(map(rtm.push("user_added_to_chat").get("payload")).get("user")).get("name"));
            Map<String, Object> greeting = rtm.await("the greeting", frame -> "incoming_event".equals(frame.get("action"))
                    && String.valueOf(map(map(frame.get("payload")).get("event")).get("text")).startsWith("Hi Grace"));
            assertTrue(greeting.get("payload") instanceof Map);
            rtm.await("an answer", frame -> "incoming_event".equals(frame.get("action"))
                    && String.valueOf(map(map(frame.get("payload")).get("event")).get("text")).startsWith("Thanks"));
            int number = PARLEY.agent().chatNumberOf("Grace");
            Http.Answer page = Http.get(PARLEY.server().uri("/emulator/agent/chats/" + number));
            assertEquals(200, page.status());
            assertTrue(page.body().contains("Customer Chat API v3"), page.body());
            assertTrue(page.body().contains("Hello?"), page.body());
        }
    }
}
