package io.parley.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.selenium.AxeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Collectors;
import org.openqa.selenium.OutputType;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A fresh Chromium for each test ({@code @RegisterExtension final ChatBrowser chrome = new ChatBrowser();}),
 * with what every browser test of the widget does: wait, run a script, step into the chat page's
 * frame inside the widget's shadow root, wait for an element or a text there.
 */
public final class ChatBrowser implements BeforeEachCallback, AfterEachCallback {

    /** A real browser on a busy 2-core machine: generous, as each wait ends on an event anyway. */
    public static final Duration DEADLINE = Duration.ofSeconds(45);

    private ChromeDriver browser;

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        browser = Chromium.start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
    }

    public ChromeDriver driver() {
        return browser;
    }

    public WebDriverWait waiting() {
        return new WebDriverWait(browser, DEADLINE);
    }

    public Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) browser).executeScript(script, arguments);
    }

    /** Waits for the embed script to have loaded on the host page (the {@code window.Parley} API). */
    public void awaitWidget() {
        waiting().until(driver -> Boolean.TRUE.equals(js("return !!(window.Parley && window.Parley.loaded)")));
    }

    /** In the chat page: fills the pre-chat form with a name and a first message, and sends it. */
    public void startChat(String name, String text) {
        awaitVisible("pc-text");
        browser.findElement(By.id("pc-name")).sendKeys(name);
        browser.findElement(By.id("pc-text")).sendKeys(text);
        browser.findElement(By.id("start")).click();
    }

    /** Switches into the chat iframe, inside the widget's shadow root, once it is there. */
    public void intoChat() {
        waiting().until(driver -> {
            try {
                driver.switchTo().defaultContent();
                WebElement frame = driver.findElement(By.id("parley-widget")).getShadowRoot()
                        .findElement(By.cssSelector("iframe"));
                driver.switchTo().frame(frame);
                return driver.findElement(By.id("parley-chat")) != null;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    public void awaitVisible(String id) {
        waiting().until(driver -> driver.findElement(By.id(id)).isDisplayed());
    }

    public void awaitTranscript(String text) {
        waiting().until(driver -> driver.findElement(By.id("transcript")).getText().contains(text));
    }

    /** Where browser tests leave a photograph of each state they check. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /**
     * The widget as the visitor sees it now, from the host page (the chat page's frame included):
     * axe-core finds nothing, and a photograph goes to {@code target/screenshots/<name>.png}.
     * Ends inside the chat page's frame, as most steps of a test are.
     */
    public void checkWidget(String name) throws Exception {
        intoChat();
        finishAnimations();
        browser.switchTo().defaultContent();
        checkHere(name);
        intoChat();
    }

    /** As {@link #checkWidget}, on the page or frame the driver is in now. */
    public void checkHere(String name) throws Exception {
        finishAnimations();
        Results results = new AxeBuilder().analyze(browser);
        assertEquals("", results.getViolations().stream().map(rule -> rule.getId() + ": " + rule.getHelp() + " "
                + rule.getNodes().stream().map(node -> node.getHtml() + " " + node.getFailureSummary())
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; ")), name);
        Files.createDirectories(SCREENSHOTS);
        Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Brings the page to rest: new messages finish rising into view at once. Waiting for them
     * instead never ends in a tab Chromium does not paint (a background window on a busy
     * machine), where animations do not advance.
     */
    public void finishAnimations() {
        js("document.getAnimations().forEach(a => { try { a.finish(); } catch (infinite) { /* never ends */ } });");
    }
}
