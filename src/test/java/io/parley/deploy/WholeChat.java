package io.parley.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.Scrape;
import io.parley.testing.TestTab;
import java.net.URI;
import java.util.List;

/** A whole demo-mode chat against a deployed Parley, as a website's visitor and an agent have it. */
final class WholeChat {

    private WholeChat() {
    }

    /**
     * Loads the widget, the chat page and its script from {@code base} (e.g.
     * {@code http://127.0.0.1:4711/shop/support/chat}), then chats through {@code base/ws}: the
     * visitor's first message reaches the agent, the agent's answer reaches the visitor, and so
     * does the visitor's next message. Then the node is alive and ready, and its metrics counted
     * the chat.
     */
    static void through(URI base, String visitor) throws Exception {
        Http.Answer widget = Http.get(URI.create(base + "/widget.js"));
        assertEquals(200, widget.status(), "widget.js");
        assertTrue(widget.contentType().startsWith("text/javascript"), widget.contentType());

        Http.Answer page = Http.get(URI.create(base + "/chat?lang=de"));
        assertEquals(200, page.status(), "the chat page");
        assertTrue(page.body().contains("data-ws=\"" + base.getPath() + "/ws\""), "the page's socket address is below "
                + base.getPath() + ": " + page.body());
        assertTrue(page.body().contains("src=\"" + base.getPath() + "/assets/chat.js?v="), "the page's script, by version");
        assertEquals(200, Http.get(URI.create(base + "/assets/chat.js")).status(), "the chat page's script");

        URI ws = URI.create("ws://" + base.getAuthority() + base.getPath() + "/ws");
        AgentApi agent = new AgentApi(URI.create(base + "/emulator"));
        try (TestTab tab = TestTab.chatting(ws, visitor, "m1", "Hello from " + visitor)) {
            int chat = agent.awaitChatNumberOf(visitor);
            assertEquals(200, agent.say(chat, "Hi " + visitor + ", how can I help?").status());
            tab.awaitText("Hi " + visitor + ", how can I help?");
            tab.send("type", "send", "id", "m2", "text", "Just testing " + visitor);
            tab.ack("m2");
            agent.awaitChat(chat, Eventually.DEADLINE, transcript -> AgentApi.visitorTexts(transcript)
                    .equals(List.of("Hello from " + visitor, "Just testing " + visitor)));
        }
        assertEquals(200, Http.get(URI.create(base + "/healthz")).status(), "alive");
        assertEquals(200, Http.get(URI.create(base + "/healthz/ready")).status(), "ready");
        // the demo speaks the Customer Chat API v3: its start is start_chat
        assertEquals(1.0, Scrape.of(URI.create(base + "/metrics")).value("parley_upstream_calls_seconds_count",
                "call=\"start_chat\"", "outcome=\"ok\"").orElse(0), "the chat's start is counted");
    }
}
