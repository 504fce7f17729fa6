package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.ParleyProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A server that freezes (a long pause, a node of a cluster stopped) keeps the chat page's
 * connection open and answers nothing: the page must give up on it when its ping goes
 * unanswered, without waiting for the browser's own closing handshake (a minute in Chromium),
 * and come back once a server answers. The page's timers of ten seconds and more run ten times
 * faster here, so that the test waits seconds, not minutes.
 */
class FrozenServerBrowserTest {

    /** Every timer of 10 s or more, as the page sets it, a tenth as long. */
    private static final String FASTER_TIMERS = """
            (function () {
              var timeout = window.setTimeout, interval = window.setInterval;
              function faster(delay) { return delay >= 10000 ? delay / 10 : delay; }
              window.setTimeout = function (run, delay) {
                var rest = Array.prototype.slice.call(arguments, 2);
                return timeout.apply(window, [run, faster(delay)].concat(rest));
              };
              window.setInterval = function (run, delay) {
                var rest = Array.prototype.slice.call(arguments, 2);
                return interval.apply(window, [run, faster(delay)].concat(rest));
              };
            })();
            """;
    /**
     * Far more than the page needs once its ping goes unanswered (3 s and 1 s here), and far less
     * than Chromium waits for a frozen server to answer a close (60 s).
     */
    private static final Duration GIVES_UP_WITHIN = Duration.ofSeconds(30);

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();

    @TempDir
    Path home;

    @Test
    void thePageLeavesAFrozenServerAfterAnUnansweredPingAndComesBackWhenItWakes() throws Exception {
        ChromeDriver browser = chrome.driver();
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", FASTER_TIMERS));
        Path log = Files.createTempFile("parley-frozen", ".log");
        try (ParleyProcess parley = ParleyProcess.start(home, Map.of("emulator-demo-agent", "false"), log)) {
            AgentApi agent = new AgentApi(parley.uri("/emulator"));
            browser.get(parley.uri("/").toString()); // the demo page: the chat page's origin, so its timers are these
            chrome.awaitWidget();
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.startChat("Frieda", "Are you there?");
            int chat = agent.awaitChatNumberOf("Frieda");
            agent.say(chat, "Yes, Frieda");
            chrome.awaitTranscript("Yes, Frieda");

            parley.freeze();
            try {
                new WebDriverWait(browser, GIVES_UP_WITHIN).until(driver -> lost(driver));
            } finally {
                parley.thaw();
            }

            chrome.waiting().until(driver -> !lost(driver));
            agent.say(chat, "Back again");
            chrome.awaitTranscript("Back again");
            assertTrue(browser.findElement(By.id("transcript")).getText().contains("Are you there?"));
        }
    }

    /** The page says its connection is lost, and is trying again. */
    private static boolean lost(org.openqa.selenium.WebDriver driver) {
        return driver.findElement(By.id("status")).getAttribute("class").contains("error")
                && driver.findElement(By.id("status")).isDisplayed();
    }
}
