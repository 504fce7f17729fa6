package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.HostSite;
import io.parley.testing.RunningParley;
import io.parley.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The live signals of the Customer Chat API v3, end to end against the emulator, in English and
 * in Arabic: the place in the queue shown, updated, and gone when an agent joins; the agent
 * typing shown, then gone with their message; the visitor's draft reaching the agent's side; a
 * "Seen" mark once the agent has seen the visitor's message; and the site's {@code Parley.on}
 * handlers told of each. Each state is photographed into {@code target/screenshots/} and checked
 * with axe-core. v2 has none of these, so this Parley speaks v3 whichever upstream the run tests.
 */
class LiveSignalsBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(v3(TestServer.POLLED_FAST));
    private static TestServer parley;
    private static AgentApi agent;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    private static Map<String, String> v3(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("demo-upstream", "v3");
        return all;
    }

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        Files.createDirectories(SCREENSHOTS);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"en", "ar"})
    void queueTypingDraftAndSeenAreShownBothWays(String language) throws Exception {
        browser = chrome.driver();
        String visitor = "Signals " + language;
        // The colour of the accessibility matrix: the default one fails axe on the time of the
        // visitor's own messages (4.32:1), which is not what this test is about.
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\" data-color=\"#6b3e26\"")) {
            browser.get(site.url("/"));
            chrome.awaitWidget();
            chrome.js("window.heard = []; ['typing', 'seen', 'queue', 'availability'].forEach(function (name) {"
                    + " Parley.on(name, function (value) { window.heard.push(name + ':' + JSON.stringify(value)); }); });");
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.startChat(visitor, "Is anyone there?");
            int chat = agent.awaitLiveChat(visitor);

            // The queue: shown, updated, announced politely, and gone once an agent joins.
            assertEquals(200, agent.queue(chat, 3, 120).status());
            chrome.waiting().until(driver -> driver.findElement(By.id("queue")).isDisplayed()
                    && driver.findElement(By.id("queue")).getText().contains("3"));
            if (language.equals("en")) {
                assertEquals("You are number 3 in the queue (about 2 minutes).", browser.findElement(By.id("queue")).getText());
            }
            assertEquals("status", browser.findElement(By.id("queue")).getAttribute("role"), "a polite live region");
            check(language, "1-queued", null);
            assertEquals(200, agent.queue(chat, 2, 60).status());
            chrome.waiting().until(driver -> driver.findElement(By.id("queue")).getText().contains("2"));
            agent.join(chat, "Ada");
            chrome.waiting().until(driver -> !driver.findElement(By.id("queue")).isDisplayed());

            // The agent typing: shown with their name, then gone with their message.
            assertEquals(200, agent.typing(chat, true).status());
            chrome.waiting().until(driver -> driver.findElement(By.id("typing")).isDisplayed()
                    && driver.findElement(By.id("typing")).getText().contains("Ada"));
            check(language, "2-agent-typing", () -> agent.typing(chat, true));
            agent.say(chat, "Let me look that up.");
            chrome.awaitTranscript("Let me look that up.");
            chrome.waiting().until(driver -> !driver.findElement(By.id("typing")).isDisplayed());

            // The visitor's draft reaches the agent's side as they type.
            browser.findElement(By.id("composer-text")).sendKeys("Where is my parcel");
            agent.awaitChat(chat, Duration.ofSeconds(30), shown -> "Where is my parcel".equals(shown.get("sneak_peek")));
            browser.findElement(By.id("composer-text")).sendKeys("?" + Keys.ENTER);
            chrome.waiting().until(driver -> driver.findElements(By.cssSelector(".msg.visitor.pending")).isEmpty()
                    && driver.findElement(By.id("transcript")).getText().contains("Where is my parcel?"));

            // Seen: under the visitor's last message, once the agent has seen it.
            assertTrue(browser.findElements(By.cssSelector(".seen-mark")).isEmpty(), "nothing seen yet");
            assertEquals(200, agent.seen(chat).status());
            chrome.waiting().until(driver -> !driver.findElements(By.cssSelector(".seen-mark")).isEmpty());
            assertEquals(Boolean.TRUE, chrome.js("var mark = document.querySelector('.seen-mark');"
                    + " var before = mark.previousElementSibling;"
                    + " return before.classList.contains('visitor') && before.textContent.indexOf('Where is my parcel?') >= 0"
                    + " && !mark.nextElementSibling;"), "under the visitor's last message");
            check(language, "3-seen", null);

            browser.switchTo().defaultContent();
            @SuppressWarnings("unchecked")
            List<String> heard = (List<String>) chrome.js("return window.heard;");
            assertTrue(heard.contains("queue:{\"position\":3,\"wait\":120}"), heard.toString());
            assertTrue(heard.contains("queue:{\"position\":2,\"wait\":60}"), heard.toString());
            assertTrue(heard.contains("queue:null"), heard.toString());
            assertTrue(heard.contains("typing:true") && heard.contains("typing:false"), heard.toString());
            assertTrue(heard.contains("seen:true"), heard.toString());
        }
    }

    /** A step to repeat before each photograph, for a state that times out by itself. */
    @FunctionalInterface
    private interface Renewal {
        Object run() throws Exception;
    }

    /** axe from the host page (the chat page's frame included), and a photograph, in each theme. */
    private void check(String language, String state, Renewal renew) throws Exception {
        for (String theme : List.of("light", "dark")) {
            if (renew != null) {
                renew.run();
            }
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
            chrome.checkWidget("signals-" + language + "-" + theme + "-" + state);
        }
    }
}
