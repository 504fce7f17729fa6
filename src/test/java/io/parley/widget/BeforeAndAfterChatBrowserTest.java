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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What the Customer Chat API v3 offers around a chat, in real Chromium on a host page, against
 * the emulator: whether anyone is online before the visitor writes, and a message left for later
 * while nobody is. Each state is photographed into {@code target/screenshots/} and checked with
 * axe-core, in English and in Arabic. It speaks v3 whatever the run: v2 offers none of it.
 */
class BeforeAndAfterChatBrowserTest {

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
        settings.put("availability-interval", "300ms");
        return settings;
    }

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterEach
    void everyoneIsBack() throws Exception {
        agent.groupStatus(0, "online");
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"en", "ar"})
    void whileNobodyIsOnlineTheVisitorLeavesAMessageAndIsToldItWasSent(String language) throws Exception {
        browser = chrome.driver();
        String visitor = "Offline " + language;
        agent.groupStatus(0, "offline");
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\"")) {
            browser.get(site.url("/"));
            chrome.awaitWidget();
            // what the chat page tells the host page, whatever the widget does with it
            chrome.js("window.emitted = []; window.addEventListener('message', function (e) {"
                    + " if (e.data && e.data.parley === 'emit') { window.emitted.push(e.data.name + ':' + e.data.value.online); } });");
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.awaitVisible("off-email");
            assertTrue(!browser.findElement(By.id("prechat")).isDisplayed(), "no chat form while nobody is online");
            check(language, "1-offline-form");

            agent.groupStatus(0, "online");
            chrome.awaitVisible("pc-text");
            assertTrue(!browser.findElement(By.id("offline")).isDisplayed());
            agent.groupStatus(0, "offline");
            chrome.awaitVisible("off-text");
            browser.switchTo().defaultContent();
            // The node reads the statuses every availability-interval: the page may first have been
            // told what was true a moment before, and the first may have come before the listener.
            // Each change is told once, in order, and the last two are the test's own.
            chrome.waiting().withMessage(() -> "told the host page " + chrome.js("return window.emitted")).until(driver -> {
                List<?> emitted = (List<?>) chrome.js("return window.emitted");
                for (int i = 1; i < emitted.size(); i++) {
                    if (emitted.get(i).equals(emitted.get(i - 1))) {
                        return false;
                    }
                }
                return emitted.size() >= 2 && emitted.subList(emitted.size() - 2, emitted.size())
                        .equals(List.of("availability:true", "availability:false"));
            });
            chrome.intoChat();

            browser.findElement(By.id("off-name")).sendKeys(visitor);
            browser.findElement(By.id("off-text")).sendKeys("Please call me back about my order");
            browser.findElement(By.id("leave")).click();
            assertTrue(browser.findElement(By.id("off-email")).getAttribute("validationMessage").length() > 0,
                    "an address is required to answer");
            browser.findElement(By.id("off-email")).sendKeys("offline@example.com");
            browser.findElement(By.id("leave")).click();
            chrome.awaitVisible("left");
            assertTrue(!browser.findElement(By.id("offline")).isDisplayed());
            assertTrue(!browser.findElement(By.id("status")).getText().contains("Waiting"), "never waiting for an agent");
            check(language, "2-message-left");

            int chat = agent.awaitChatNumberOf(visitor);
            Map<String, Object> left = agent.awaitChat(chat, Duration.ofSeconds(30),
                    found -> Boolean.TRUE.equals(found.get("left_offline")));
            assertEquals("offline@example.com", left.get("email"));
            assertEquals(List.of("Please call me back about my order"), AgentApi.visitorTexts(left));
            assertEquals(false, left.get("demo_agent"), "nobody answers a message left for later at once");
        }
    }

    /** axe from the host page (the chat page's frame included), and a photograph. */
    private void check(String language, String state) throws Exception {
        chrome.checkWidget("before-after-" + language + "-" + state);
    }
}
