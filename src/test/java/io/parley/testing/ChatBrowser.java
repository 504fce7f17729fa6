package io.parley.testing;

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

    /**
     * Brings the page to rest: new messages finish rising into view at once. Waiting for them
     * instead never ends in a tab Chromium does not paint (a background window on a busy
     * machine), where animations do not advance.
     */
    public void finishAnimations() {
        js("document.getAnimations().forEach(a => { try { a.finish(); } catch (infinite) { /* never ends */ } });");
    }
}
