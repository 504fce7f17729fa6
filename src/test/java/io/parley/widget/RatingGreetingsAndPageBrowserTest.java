package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.HostSite;
import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import io.parley.testing.TestServer;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the Customer Chat API v3 offers around a chat, in real Chromium on a host page, against the
 * emulator: the visitor rates the chat that ended (with a comment, changed, taken back) and the
 * agent's side holds it as the thread's rating; an agent's greeting between chats shows over the
 * launcher, is dismissed or opened into a new chat; agents see the page the visitor is on. Each
 * state is photographed into {@code target/screenshots/} and checked with axe-core, in English and
 * in Arabic. It speaks v3 whatever the run: v2 has none of it.
 */
class RatingGreetingsAndPageBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(settings());
    private static TestServer parley;
    private static AgentApi agent;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(TestServer.POLLED_FAST);
        settings.put("demo-upstream", "v3");
        settings.put("emulator-demo-agent", "false");
        return settings;
    }

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        Files.createDirectories(SCREENSHOTS);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ratingOf(Map<String, Object> chat) {
        Object properties = chat.get("thread_properties");
        return properties instanceof Map<?, ?> map && map.get("rating") instanceof Map<?, ?> rating
                ? (Map<String, Object>) rating : null;
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"en", "ar"})
    void theVisitorRatesTheChatThatEndedWithACommentAndTheAgentSeesIt(String language) throws Exception {
        browser = chrome.driver();
        String visitor = "Rating " + language;
        // The colour of the accessibility matrix (as for the live signals): the default one fails
        // axe on the time of the visitor's own messages, which is not what this test is about.
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\" data-color=\"#6b3e26\"")) {
            browser.get(site.url("/"));
            chrome.awaitWidget();
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.startChat(visitor, "Where is my parcel?");
            int chat = agent.awaitLiveChat(visitor);
            agent.join(chat, "Ada");
            agent.say(chat, "It is on its way.");
            chrome.awaitTranscript("It is on its way.");
            assertTrue(!browser.findElement(By.id("rating")).isDisplayed(), "no rating while the chat is open");

            assertEquals(200, agent.close(chat).status());
            chrome.awaitVisible("rating");
            assertEquals("false", browser.findElement(By.id("rate-good")).getAttribute("aria-pressed"));
            assertTrue(!browser.findElement(By.id("rating-comment")).isDisplayed(), "the comment comes with a rating");
            check(language, "1-rating-offered");

            // Good: pressed, thanked (politely), given upstream as score 1.
            browser.findElement(By.id("rate-good")).click();
            chrome.waiting().until(driver -> driver.findElement(By.id("rating-thanks")).isDisplayed());
            assertEquals("true", browser.findElement(By.id("rate-good")).getAttribute("aria-pressed"));
            assertEquals("false", browser.findElement(By.id("rate-bad")).getAttribute("aria-pressed"));
            assertEquals("status", browser.findElement(By.id("rating-thanks")).getAttribute("role"));
            if (language.equals("en")) {
                assertEquals("Thanks for your feedback!", browser.findElement(By.id("rating-thanks")).getText());
            }
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> ratingOf(shown) != null
                    && BigDecimal.ONE.equals(ratingOf(shown).get("score")));

            // A comment, typed as text: never markup.
            browser.findElement(By.id("rating-comment")).sendKeys("Quick <b>and</b> kind");
            browser.findElement(By.id("rating-send")).click();
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> ratingOf(shown) != null
                    && "Quick <b>and</b> kind".equals(ratingOf(shown).get("comment")));
            check(language, "2-rated-with-comment");

            // Every tab (and the page loaded again) shows the rating held.
            browser.navigate().refresh();
            chrome.awaitWidget();
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.waiting().until(driver -> "true".equals(driver.findElement(By.id("rate-good")).getAttribute("aria-pressed")));
            assertEquals("Quick <b>and</b> kind", browser.findElement(By.id("rating-comment")).getAttribute("value"));

            // Bad instead, then taken back by pressing it again.
            browser.findElement(By.id("rate-bad")).click();
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> ratingOf(shown) != null
                    && BigDecimal.ZERO.equals(ratingOf(shown).get("score")));
            chrome.waiting().until(driver -> "true".equals(driver.findElement(By.id("rate-bad")).getAttribute("aria-pressed")));
            browser.findElement(By.id("rate-bad")).click();
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> ratingOf(shown) == null);
            chrome.waiting().until(driver -> !driver.findElement(By.id("rating-thanks")).isDisplayed());
            assertEquals("false", browser.findElement(By.id("rate-bad")).getAttribute("aria-pressed"));

            // The agent console's chat view shows the rating.
            browser.findElement(By.id("rate-good")).click();
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> ratingOf(shown) != null);
            browser.switchTo().defaultContent();
            browser.get(parley.uri("/emulator/agent/chats/" + chat).toString());
            chrome.waiting().until(driver -> driver.findElement(By.id("thread-rating")).getText()
                    .startsWith("Rated good by " + visitor));
        }
    }

    private Object hostJs(String script) {
        browser.switchTo().defaultContent();
        return chrome.js(script);
    }

    /** The greeting preview's text over the launcher, or null while it is hidden. */
    private String preview() {
        return (String) hostJs("var v = document.getElementById('parley-widget').shadowRoot.querySelector('.v');"
                + " return v.hidden ? null : v.firstChild.textContent;");
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"en", "ar"})
    void aGreetingBetweenChatsShowsOverTheLauncherAndIsDismissedOrOpenedIntoANewChat(String language) throws Exception {
        browser = chrome.driver();
        String visitor = "Greeting " + language;
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\" data-color=\"#6b3e26\"")) {
            browser.get(site.url("/"));
            chrome.awaitWidget();
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.startChat(visitor, "Just browsing");
            int chat = agent.awaitLiveChat(visitor);
            agent.join(chat, "Ada");
            assertEquals(200, agent.close(chat).status());
            chrome.awaitVisible("new-chat");
            hostJs("Parley.close()");

            // Between chats, on the same page: the greeting shows over the launcher; its × cancels it.
            Http.Answer sent = agent.greet(chat, "Hi again! Can I help?");
            assertEquals(true, sent.object().get("delivered"), sent.body());
            chrome.waiting().until(driver -> "Hi again! Can I help?".equals(preview()));
            check(language, "3-greeting-preview");
            hostJs("document.getElementById('parley-widget').shadowRoot.querySelector('.x').click()");
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> shown.get("greeting") instanceof Map<?, ?> greeting
                    && "canceled".equals(greeting.get("state")));
            assertEquals(null, preview());

            // Another, opened: its text shows as the agent's message above the form, and a chat starts from it.
            agent.greet(chat, "One more thing?");
            chrome.waiting().until(driver -> "One more thing?".equals(preview()));
            hostJs("document.getElementById('parley-widget').shadowRoot.querySelector('.v').click()");
            chrome.intoChat();
            chrome.awaitTranscript("One more thing?");
            assertEquals(1, browser.findElements(By.cssSelector(".msg.agent.greeting")).size());
            chrome.awaitVisible("pc-text");
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> shown.get("greeting") instanceof Map<?, ?> greeting
                    && "accepted".equals(greeting.get("state")));
            check(language, "4-greeting-opened");
            browser.findElement(By.id("pc-text")).sendKeys("Yes, about my order");
            browser.findElement(By.id("start")).click();
            chrome.waiting().until(driver -> {
                try {
                    return agent.chatNumberOf(visitor) != chat;
                } catch (Exception e) {
                    return false;
                }
            });
            agent.awaitChat(agent.chatNumberOf(visitor), Duration.ofSeconds(30),
                    shown -> AgentApi.visitorTexts(shown).contains("Yes, about my order"));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> pageOf(Map<String, Object> chat) {
        return chat.get("customer_page") instanceof Map<?, ?> page ? (Map<String, Object>) page : Map.of();
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"en", "ar"})
    void agentsSeeThePageTheVisitorIsOnWithoutItsQueryOrFragmentAsTheyGoFromPageToPage(String language) throws Exception {
        browser = chrome.driver();
        String visitor = "Page " + language;
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\" data-color=\"#6b3e26\"")) {
            String home = site.url("/");
            String origin = home.replaceAll("/$", "");
            browser.get(home);
            chrome.awaitWidget();
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.startChat(visitor, "Do these come in blue?");
            int chat = agent.awaitChatNumberOf(visitor);
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> Map.of("url", origin + "/", "title", "Host shop")
                    .equals(pageOf(shown)));

            // The next page: the chat comes along, and the agent sees the page without its query or fragment.
            browser.get(site.url("/shoes/blue?coupon=SECRET#reviews"));
            chrome.awaitWidget();
            Map<String, Object> moved = agent.awaitChat(chat, Duration.ofSeconds(30),
                    shown -> (origin + "/shoes/blue").equals(pageOf(shown).get("url")));
            assertEquals("Host shop", pageOf(moved).get("title"));
            assertTrue(!moved.toString().contains("SECRET") && !moved.toString().contains("reviews"), moved.toString());
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.awaitTranscript("Do these come in blue?");
            check(language, "5-on-another-page");

            // The agent console's chat view says where the visitor is.
            browser.switchTo().defaultContent();
            browser.get(parley.uri("/emulator/agent/chats/" + chat).toString());
            chrome.waiting().until(driver -> driver.findElement(By.id("customer-page")).getText()
                    .equals("On page: Host shop \u2014 " + origin + "/shoes/blue"));
            Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(),
                    SCREENSHOTS.resolve("rating-" + language + "-6-console-visitor-page.png"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** axe from the host page (the chat page's frame included), and a photograph. */
    private void check(String language, String state) throws Exception {
        chrome.checkWidget("rating-" + language + "-" + state);
    }
}
