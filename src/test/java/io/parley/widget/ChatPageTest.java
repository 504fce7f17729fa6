package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.HtmlPages;
import io.parley.testing.Http;
import io.parley.testing.TestServer;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.htmlunit.html.HtmlTextInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The chat page: its headers, languages and checked parameters, and its flows in HtmlUnit. */
class ChatPageTest {

    private static TestServer server;
    private static AgentApi agent;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("emulator-demo-agent", "false", "poll-fast-interval", "100ms",
                "poll-interval", "200ms", "poll-idle-interval", "300ms"));
        agent = new AgentApi(server);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Answer page(String query, String... headers) throws Exception {
        return Http.get(URI.create(server.uri("/chat") + query), headers);
    }

    @Test
    void theChatPageIsSafeToEmbed() throws Exception {
        Http.Answer answer = page("");
        assertEquals(200, answer.status());
        assertTrue(answer.body().contains("role=\"log\""));
        String csp = answer.header("Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe"), csp);
        assertTrue(csp.contains("frame-ancestors 'self' http://localhost:* http://127.0.0.1:*"), csp);
        assertEquals("nosniff", answer.header("X-Content-Type-Options"));
        assertEquals("no-referrer", answer.header("Referrer-Policy"));
    }

    @Test
    void theFormIsInThePageAsServedSoThatItShowsBeforeTheConnection() throws Exception {
        String body = page("?lang=en").body();
        assertTrue(body.matches("(?s).*<form id=\"prechat\" class=\"prechat\" novalidate>.*"),
                "the pre-chat form is served visible, not revealed by the connection");
        assertTrue(body.contains("<p id=\"status\" class=\"status\" role=\"status\" hidden></p>"),
                "no status band over it while the connection is made behind it");
    }

    @Test
    void theLanguageComesFromTheWidgetOrTheBrowser() throws Exception {
        assertTrue(page("?lang=de").body().contains("Chat starten"));
        assertTrue(page("?lang=pl-PL").body().contains("Rozpocznij czat"));
        Http.Answer arabic = page("?lang=ar");
        assertTrue(arabic.body().contains("dir=\"rtl\"") && arabic.body().contains("lang=\"ar\""));
        Http.Answer french = page("", "Accept-Language", "fr-CH, de;q=0.8");
        assertTrue(french.body().contains("En attente d'un conseiller") || french.body().contains("En attente d&#39;un conseiller"),
                "apostrophes survive the message format");
        assertTrue(page("?lang=xx", "Accept-Language", "ja").body().contains("Start chat"), "English otherwise");
        assertTrue(page("?lang=es").body().contains("Quedan {n} caracteres"), "placeholders are left to the script");
    }

    @Test
    void theSiteOwnerSetsTheGreetingAndTheAnswerTimePerLanguage() throws Exception {
        assertTrue(page("?lang=en").body().contains("We usually answer within a few minutes."), "the page's own by default");
        try (TestServer owned = TestServer.start(Map.of("welcome-message", "Welcome to <b>Kaffee</b>!",
                "welcome-message-de", "Willkommen bei Kaffee & Co!", "answer-time", "We reply within the hour.",
                "answer-time-fr", "none"))) {
            String german = Http.get(URI.create(owned.uri("/chat") + "?lang=de")).body();
            assertTrue(german.contains("Willkommen bei Kaffee &amp; Co!"), german);
            assertTrue(german.contains("We reply within the hour."), "the plain setting for every other language");
            String english = Http.get(URI.create(owned.uri("/chat") + "?lang=en")).body();
            assertTrue(english.contains("Welcome to &lt;b&gt;Kaffee&lt;/b&gt;!"), "text, never HTML");
            String french = Http.get(URI.create(owned.uri("/chat") + "?lang=fr")).body();
            assertFalse(french.contains("We reply within the hour.") || french.contains("quelques minutes"), "none: no promise");
            assertTrue(french.contains("Welcome to"), "the plain greeting");
        }
    }

    @Test
    void parametersAreCheckedAndEscaped() throws Exception {
        String body = page("?origin=https%3A%2F%2Fevil.example&color=red;x&group=abc"
                + "&title=%3Cscript%3Ealert(1)%3C%2Fscript%3E").body();
        assertFalse(body.contains("data-origin="), "an origin not allowed is not talked to");
        assertFalse(body.contains("data-color=") || body.contains("data-group="));
        assertFalse(body.contains("<script>alert(1)"));
        assertTrue(body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        String allowed = page("?origin=http%3A%2F%2F127.0.0.1%3A4000&color=%23ff8800&group=3").body();
        assertTrue(allowed.contains("data-origin=\"http://127.0.0.1:4000\"") && allowed.contains("data-color=\"#ff8800\"")
                && allowed.contains("data-group=\"3\""));
    }

    @Test
    void aVisitorChatsOnTheStandalonePage() throws Exception {
        try (WebClient browser = new WebClient()) {
            browser.getOptions().setThrowExceptionOnScriptError(true);
            HtmlPage page = browser.getPage(new URL(server.uri("/chat?lang=en").toString()));
            HtmlPages.await(browser, page, p -> !isHidden(p, "prechat") && isHidden(p, "status"));

            ((HtmlTextInput) page.getElementById("pc-name")).type("Hedda");
            ((HtmlTextArea) page.getElementById("pc-text")).type("<b>Is the shop open today?</b>");
            page.getElementById("start").click();
            HtmlPages.await(browser, page, p -> p.getElementById("transcript").getTextContent().contains("<b>Is the shop open today?</b>"));
            HtmlPages.await(browser, page, p -> p.getElementById("status").getTextContent().contains("Waiting for an agent"));
            assertTrue(page.getElementById("transcript").getElementsByTagName("b").isEmpty(), "text stays text");

            int chat = agent.chatNumberOf("Hedda");
            agent.join(chat, "Ada");
            agent.say(chat, "Yes, until five.");
            HtmlPages.await(browser, page, p -> p.getElementById("transcript").getTextContent().contains("Yes, until five."));
            assertEquals("Ada", page.getElementById("chat-title").getTextContent());

            ((HtmlTextArea) page.getElementById("composer-text")).type("Thanks!");
            page.getElementById("send").click();
            agent.awaitChat(chat, io.parley.testing.Eventually.DEADLINE, c -> c.toString().contains("Thanks!"));

            agent.close(chat);
            HtmlPages.await(browser, page, p -> !isHidden(p, "closed") && isHidden(p, "composer"));
            assertTrue(page.getElementById("transcript").getTextContent().contains("The agent ended the chat."));
        }
    }

    private static boolean isHidden(HtmlPage page, String id) {
        return page.getElementById(id).hasAttribute("hidden");
    }

}
