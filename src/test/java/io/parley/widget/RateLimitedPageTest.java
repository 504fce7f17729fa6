package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.TestServer;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.html.HtmlTextInput;
import org.junit.jupiter.api.Test;

/**
 * A message refused by the limit stays pending while a notice in the page's language says how long
 * to wait (state changes meanwhile do not hide it), and goes out once the wait is over.
 */
class RateLimitedPageTest {

    @Test
    void aRefusedMessageIsSentAgainAfterTheWaitTheServerNames() throws Exception {
        try (TestServer server = TestServer.start(Map.of("emulator-demo-agent", "false", "messages-per-visitor", "2/20s",
                "poll-fast-interval", "100ms", "poll-interval", "200ms", "poll-idle-interval", "300ms"));
             WebClient browser = new WebClient()) {
            AgentApi agent = new AgentApi(server);
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(new URL(server.uri("/chat?lang=de").toString()));
            await(browser, page, p -> !p.getElementById("prechat").hasAttribute("hidden"));
            ((HtmlTextInput) page.getElementById("pc-name")).type("Eager");
            ((HtmlTextArea) page.getElementById("pc-text")).type("eins");
            page.getElementById("start").click();
            await(browser, page, p -> !p.getElementById("composer").hasAttribute("hidden"));
            for (String text : List.of("zwei", "drei")) {
                ((HtmlTextArea) page.getElementById("composer-text")).type(text);
                page.getElementById("send").click();
                await(browser, page, p -> p.getElementById("transcript").getTextContent().contains(text));
            }
            await(browser, page, p -> p.getElementById("status").getTextContent().matches("Zu viele Versuche\\. "
                    + "Neuer Versuch in \\d+ s\\."));
            int chat = agent.awaitChatNumberOf("Eager");
            agent.awaitChat(chat, Duration.ofSeconds(20), c -> c.toString().contains("drei"));
            assertEquals(List.of("eins", "zwei", "drei"), visitorTexts(agent.chat(chat)));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> visitorTexts(Map<String, Object> chat) {
        return ((List<Map<String, Object>>) chat.get("events")).stream()
                .filter(e -> "visitor".equals(e.get("user_type")) && "message".equals(e.get("type")))
                .map(e -> (String) e.get("text")).toList();
    }

    private static void await(WebClient browser, HtmlPage page, Predicate<HtmlPage> condition) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!condition.test(page)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the page never got there: " + page.asNormalizedText());
            }
            browser.waitForBackgroundJavaScript(100);
        }
    }
}
