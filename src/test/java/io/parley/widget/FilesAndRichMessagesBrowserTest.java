package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.emulator.SampleFiles;
import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.TestServer;
import io.parley.testing.TestedUpstream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Files and rich messages in Chromium, on the Customer Chat API v3 (v2 has neither): an image
 * sent with the attach button shows as a thumbnail and reaches the agent; the agent's image
 * shows; a file the page refuses says why; a card's button reaches the agent as a postback.
 * axe-core finds nothing in each state, in English and in Arabic (right to left), and each
 * state is photographed to {@code target/screenshots/}.
 */
class FilesAndRichMessagesBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static TestServer parley;
    private static AgentApi agent;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(TestedUpstream.current() == TestedUpstream.V3, "files and rich messages are v3's");
        parley = TestServer.start(Map.of("demo-upstream", "v3", "emulator-demo-agent", "false"));
        agent = new AgentApi(parley);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (parley != null) {
            parley.close();
        }
    }

    @ParameterizedTest(name = "in {0}")
    @ValueSource(strings = {"en", "ar"})
    void filesAndCardsBothWays(String language, @org.junit.jupiter.api.io.TempDir Path files) throws Exception {
        browser = chrome.driver();
        String visitor = "Files " + language;
        browser.get(parley.uri("/chat?lang=" + language).toString());
        chrome.startChat(visitor, "I will send a photo");
        int chat = agent.awaitChatNumberOf(visitor);
        agent.join(chat, "Ada");
        chrome.waiting().until(driver -> driver.findElement(By.id("chat-title")).getText().equals("Ada"));

        // 1. the visitor's image, through the attach button's file input
        chrome.awaitVisible("attach");
        Path photo = Files.write(files.resolve("photo.png"), SampleFiles.image());
        browser.findElement(By.id("file")).sendKeys(photo.toString());
        awaitImage(".msg.visitor.file[data-seq] img.thumb");
        Map<String, Object> seen = agent.awaitChat(chat, ChatBrowser.DEADLINE, c -> ((List<?>) c.get("events")).stream()
                .anyMatch(event -> "file".equals(((Map<?, ?>) event).get("type"))));
        assertTrue(seen.toString().contains("photo.png"), seen.toString());
        check(language, "1-image-sent");

        // 2. the agent's image
        agent.shareImage(chat);
        awaitImage(".msg.agent.file img.thumb");
        check(language, "2-agent-image");

        // 3. a file the page refuses, with a clear message in the status line
        Path page = Files.writeString(files.resolve("page.html"), "<html><script>alert(1)</script></html>",
                StandardCharsets.UTF_8);
        browser.findElement(By.id("file")).sendKeys(page.toString());
        chrome.waiting().until(driver -> !driver.findElements(By.cssSelector(".msg.visitor.file.failed")).isEmpty()
                && driver.findElement(By.id("status")).isDisplayed());
        String refused = browser.findElement(By.id("status")).getText();
        assertEquals(chrome.js("return document.querySelector('#strings [data-k=\"error.file_type_refused\"]').textContent"),
                refused);
        check(language, "3-file-refused");

        // 4. a card from the agent: real buttons, a safe link, a choice reaching the agent
        agent.rich(chat, "title", "How can we help?", "subtitle", "Choose a topic", "buttons", "Billing,Delivery",
                "url", "https://example.com/help", "image", "true");
        chrome.waiting().until(driver -> driver.findElements(By.cssSelector(".msg.rich button.choice")).size() == 2);
        awaitImage(".msg.rich img.thumb");
        WebElement link = browser.findElement(By.cssSelector(".msg.rich a.choice"));
        assertEquals("https://example.com/help", link.getAttribute("href"));
        assertEquals("noopener noreferrer", link.getAttribute("rel"));
        WebElement delivery = browser.findElements(By.cssSelector(".msg.rich button.choice")).get(1);
        delivery.click();
        Map<String, Object> chosen = agent.awaitChat(chat, ChatBrowser.DEADLINE,
                c -> !((List<?>) c.get("postbacks")).isEmpty());
        assertEquals("button_2", ((Map<?, ?>) ((List<?>) chosen.get("postbacks")).get(0)).get("postback_id"));
        assertEquals("true", delivery.getAttribute("aria-pressed"));
        check(language, "4-card-chosen");
    }

    /** Waits until an image is there and loaded (from Parley's own /files/). */
    private void awaitImage(String selector) {
        chrome.waiting().withTimeout(ChatBrowser.DEADLINE.plus(Duration.ofSeconds(15))).until(driver -> Boolean.TRUE.equals(
                chrome.js("var i = document.querySelector(arguments[0]); return !!i && i.complete && i.naturalWidth > 0"
                        + " && new URL(i.src).origin === location.origin", selector)));
    }

    /** axe on the chat page, and a photograph. */
    private void check(String language, String state) throws Exception {
        chrome.checkHere("files-" + language + "-" + state);
    }
}
