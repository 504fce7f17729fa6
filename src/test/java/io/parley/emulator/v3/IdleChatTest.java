package io.parley.emulator.v3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.Eventually;
import io.parley.testing.RunningParley;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A v3 chat is deactivated when its customer has had no logged-in RTM socket for
 * {@code emulator-chat-timeout}, as a v2 chat closes without polls.
 */
class IdleChatTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of("emulator-demo-agent", "false",
            "emulator-chat-timeout", "1s"));

    private final CustomerClient client = new CustomerClient(PARLEY.server());

    @SuppressWarnings("unchecked")
    private boolean active(String token, String chatId) throws Exception {
        return (Boolean) ((Map<String, Object>) client.ok(token, "get_chat", "{\"chat_id\":\"" + chatId + "\"}")
                .get("thread")).get("active");
    }

    @Test
    void aConnectedCustomerKeepsItsChatAndALeftOneLosesIt() throws Exception {
        String kept = client.customerToken();
        String left = client.customerToken();
        try (RtmClient rtm = RtmClient.loggedIn(PARLEY.server(), kept)) {
            rtm.ok("update_customer", Map.of("name", "Kept"));
            String keptChat = (String) rtm.ok("start_chat", Map.of()).get("chat_id");
            String leftChat = (String) client.ok(left, "start_chat", "{}").get("chat_id");
            Eventually.await("the chat without a socket deactivated", () -> !active(left, leftChat));
            assertEquals(true, active(kept, keptChat), "started earlier, kept alive by its socket");
            rtm.close();
            Eventually.await("the chat deactivated once its socket left", () -> !active(kept, keptChat));
            Map<String, Object> console = PARLEY.agent().chat(PARLEY.agent().chatNumberOf("Kept"));
            assertEquals("closed", console.get("state"));
            assertEquals("timeout", console.get("closed_by"));
        }
    }
}
