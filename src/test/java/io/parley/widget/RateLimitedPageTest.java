package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.HtmlPages;
import io.parley.testing.TestServer;
import java.net.URL;
import java.util.List;
import java.util.Map;
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
            HtmlPages.await(browser, page, p -> !p.getElementById("prechat").hasAttribute("hidden"));
            ((HtmlTextInput) page.getElementById("pc-name")).type("Eager");
            ((HtmlTextArea) page.getElementById("pc-text")).type("eins");
            page.getElementById("start").click();
            HtmlPages.await(browser, page, p -> !p.getElementById("composer").hasAttribute("hidden"));
            for (String text : List.of("zwei", "drei")) {
                ((HtmlTextArea) page.getElementById("composer-text")).type(text);
                page.getElementById("send").click();
                HtmlPages.await(browser, page, p -> p.getElementById("transcript").getTextContent().contains(text));
            }
            // A human time, counted down.
            HtmlPages.await(browser, page, p -> p.getElementById("status").getTextContent().matches("Zu viele Versuche\\. "
                    + "Neuer Versuch in \\d+ (Sekunden|s)\\."));
            String first = page.getElementById("status").getTextContent();
            HtmlPages.await(browser, page, p -> {
                String now = p.getElementById("status").getTextContent();
                return now.matches("Zu viele Versuche\\. Neuer Versuch in \\d+ (Sekunden|s)\\.") && seconds(now) < seconds(first);
            });
            int chat = agent.awaitChatNumberOf("Eager");
            agent.awaitChat(chat, Eventually.DEADLINE, c -> c.toString().contains("drei"));
            assertEquals(List.of("eins", "zwei", "drei"), AgentApi.visitorTexts(agent.chat(chat)));
        }
    }

    private static int seconds(String status) {
        return Integer.parseInt(status.replaceAll("\\D", ""));
    }
}
