package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.HostSite;
import io.parley.testing.RunningParley;
import io.parley.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * axe-core finds nothing, with the widget open on a host page, in every state a visitor meets:
 * the form, a chat, a lost connection, a closed chat and a ban; on a desktop and a phone, in
 * English and in Arabic, in the light theme and the dark one. Each state is photographed into
 * {@code target/screenshots/}.
 */
class AccessibilityMatrixBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final RunningParley PARLEY = RunningParley.polledFast();
    private static TestServer parley;
    private static AgentApi agent;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        Files.createDirectories(SCREENSHOTS);
    }


    @ParameterizedTest(name = "{0} on a {1}")
    @CsvSource({"en, desktop", "en, phone", "ar, desktop", "ar, phone"})
    void everyStateIsAccessibleInBothThemes(String language, String device) throws Exception {
        browser = chrome.driver();
        if (device.equals("phone")) {
            browser.manage().window().setSize(new Dimension(390, 844));
        }
        String visitor = "Axe " + language + " " + device;
        try (HostSite site = new HostSite(parley.uri(), "data-lang=\"" + language + "\" data-color=\"#6b3e26\"")) {
            browser.get(site.url("/"));
            chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.awaitVisible("pc-text");
            check(language, device, "1-pre-chat");

            browser.findElement(By.id("pc-name")).sendKeys(visitor);
            browser.findElement(By.id("pc-text")).sendKeys("Hello, is this accessible?");
            browser.findElement(By.id("start")).click();
            int chat = agent.awaitChatNumberOf(visitor);
            agent.join(chat, "Ada");
            agent.say(chat, "It is. How can I help?");
            chrome.waiting().until(driver -> driver.findElement(By.id("chat-title")).getText().equals("Ada"));
            check(language, device, "2-chatting");

            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", true, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));
            parley.parley().relay().disconnectAll();
            chrome.waiting().until(driver -> driver.findElement(By.id("status")).getAttribute("class").contains("error")
                    && driver.findElement(By.id("status")).isDisplayed());
            check(language, device, "3-reconnecting");
            browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", 0,
                    "downloadThroughput", -1, "uploadThroughput", -1));

            agent.ban(chat);
            chrome.awaitVisible("download");
            check(language, device, "4-closed");

            browser.findElement(By.id("new-chat")).click();
            chrome.awaitVisible("pc-text");
            browser.findElement(By.id("pc-text")).sendKeys("May I come back?");
            browser.findElement(By.id("start")).click();
            chrome.waiting().until(driver -> !driver.findElement(By.id("closed")).getAttribute("class").isEmpty()
                    && driver.findElement(By.id("download")).isDisplayed()
                    && !driver.findElement(By.id("new-chat")).isDisplayed());
            // Said once, plainly: the message that started nothing does not look delivered.
            chrome.waiting().until(driver -> driver.findElements(By.cssSelector(".msg.visitor.failed")).size() == 1);
            check(language, device, "5-banned");
        }
    }

    /** axe from the host page (the chat page's frame included), and a photograph, in each theme. */
    private void check(String language, String device, String state) throws Exception {
        for (String theme : List.of("light", "dark")) {
            browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                    List.of(Map.of("name", "prefers-color-scheme", "value", theme))));
            chrome.intoChat();
            chrome.finishAnimations();
            browser.switchTo().defaultContent();
            Results results = new AxeBuilder().analyze(browser);
            assertEquals("", results.getViolations().stream().map(rule -> rule.getId() + ": " + rule.getHelp())
                    .collect(Collectors.joining("; ")), state + ", " + language + ", " + device + ", " + theme);
            Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(file, SCREENSHOTS.resolve("states-" + language + "-" + device + "-" + theme + "-" + state + ".png"),
                    StandardCopyOption.REPLACE_EXISTING);
            chrome.intoChat();
        }
    }
}
