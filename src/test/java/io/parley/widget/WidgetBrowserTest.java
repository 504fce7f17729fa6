package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.Chromium;
import io.parley.testing.Eventually;
import io.parley.testing.HostSite;
import io.parley.testing.RunningParley;
import io.parley.testing.TestServer;
import io.parley.testing.TestedUpstream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The widget end to end in real Chromium: a host page on one origin, under a strict CSP, embeds
 * widget.js from Parley on another; a visitor chats with an agent who answers through the
 * emulator's agent API. Screenshots of each state go to {@code target/screenshots/}.
 */
class WidgetBrowserTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @RegisterExtension
    static final RunningParley PARLEY = RunningParley.polledFast();
    private static TestServer parley;
    private static AgentApi agent;
    private static HostSite site;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        site = new HostSite(parley.uri(), "data-title=\"Chat with us\" data-lang=\"en\" data-color=\"#6b3e26\"");
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = chrome.driver();
    }

    /** Loads the host page and waits for the widget's API. */
    private void visitHost(String path) {
        browser.get(site.url(path));
        chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
    }

    private void startChat(String name, String text) {
        chrome.awaitVisible("pc-text");
        browser.findElement(By.id("pc-name")).sendKeys(name);
        browser.findElement(By.id("pc-text")).sendKeys(text);
        browser.findElement(By.id("start")).click();
        chrome.awaitVisible("composer-text");
    }

    private void screenshot(String name) throws Exception {
        browser.switchTo().defaultContent();
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        chrome.intoChat();
    }

    /**
     * Brings the page to rest: new messages finish rising into view at once. Waiting for them
     * instead never ends in a tab Chromium does not paint (a background window on a busy
     * machine), where animations do not advance.
     */
    private void awaitSettled() {
        chrome.finishAnimations();
        chrome.waiting().withMessage(() -> "animations still running: " + chrome.js("return document.getAnimations()"
                + ".filter(a => a.playState === 'running').map(a => a.animationName || a.constructor.name).join(', ')"))
                .until(driver -> (Boolean) chrome.js("return document.getAnimations().every(a => a.playState !== 'running');"));
    }

    /**
     * axe-core on the chat page as it is now: no violations. Judged once new messages have risen
     * into view: half-way through their fade-in their text is, for a moment, too faint.
     */
    private void assertAccessible(String state) {
        awaitSettled();
        Results results = new AxeBuilder().analyze(browser);
        List<Rule> violations = results.getViolations();
        assertEquals("", violations.stream().map(rule -> rule.getId() + ": " + rule.getHelp())
                .collect(Collectors.joining("; ")), "accessibility violations in state " + state);
    }

    /**
     * How many messages show this text. Counted once new messages have risen into view: Selenium
     * reads no text from an element that is, for a moment, fully transparent.
     */
    private long count(String text) {
        awaitSettled();
        return browser.findElements(By.cssSelector("#transcript .text")).stream()
                .filter(element -> element.getText().equals(text)).count();
    }

    @Test
    void aVisitorChatsWithAnAgentAndAReloadKeepsTheHistory() throws Exception {
        visitHost("/");
        new Actions(browser).sendKeys(Keys.TAB).sendKeys(Keys.ENTER).perform(); // the launcher, by keyboard
        chrome.intoChat();
        chrome.awaitVisible("pc-text");
        // The form's first field, not the third.
        chrome.waiting().until(driver -> driver.switchTo().activeElement().getAttribute("id").equals("pc-name"));
        assertAccessible("pre-chat");
        screenshot("1-pre-chat");

        startChat("Wren", "My order #1042 has not arrived");
        chrome.waiting().until(driver -> driver.findElement(By.id("status")).getText().contains("Waiting for an agent"));
        assertAccessible("waiting");
        screenshot("2-waiting");

        int chat = agent.chatNumberOf("Wren");
        agent.join(chat, "Ada");
        agent.say(chat, "Sorry about that! It left our roastery yesterday <script>alert(1)</script>");
        chrome.awaitTranscript("It left our roastery yesterday <script>alert(1)</script>");
        chrome.waiting().until(driver -> driver.findElement(By.id("chat-title")).getText().equals("Ada"));
        assertAccessible("chatting");
        screenshot("3-chatting");

        browser.navigate().refresh();
        chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
        chrome.intoChat();
        chrome.awaitTranscript("It left our roastery yesterday");
        assertEquals(1, count("My order #1042 has not arrived"), "the history is back once, not twice");

        agent.close(chat);
        chrome.awaitVisible("download");
        chrome.awaitTranscript("The agent ended the chat.");
        assertAccessible("closed");
        screenshot("4-closed");
    }

    @Test
    void twoTabsShareTheConversationAndACutSocketLosesNothing() throws Exception {
        visitHost("/");
        chrome.js("Parley.open()");
        chrome.intoChat();
        startChat("Tove", "Hello from the first tab");
        String first = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.TAB);
        visitHost("/");
        chrome.js("Parley.open()");
        chrome.intoChat();
        chrome.awaitTranscript("Hello from the first tab");
        browser.findElement(By.id("composer-text")).sendKeys("And hello from the second", Keys.ENTER);
        String second = browser.getWindowHandle();

        browser.switchTo().window(first);
        chrome.intoChat();
        chrome.awaitTranscript("And hello from the second");

        int chat = agent.chatNumberOf("Tove");
        parley.parley().relay().disconnectAll();
        browser.findElement(By.id("composer-text")).sendKeys("Typed while the socket was cut", Keys.ENTER);
        agent.say(chat, "Said while the socket was cut");

        for (String tab : new String[] {first, second}) {
            browser.switchTo().window(tab);
            chrome.intoChat();
            chrome.awaitTranscript("Typed while the socket was cut");
            chrome.awaitTranscript("Said while the socket was cut");
            for (String text : new String[] {"Hello from the first tab", "And hello from the second",
                    "Typed while the socket was cut", "Said while the socket was cut"}) {
                assertEquals(1, count(text), text + " shows once in each tab");
            }
        }
        agent.awaitChat(chat, Eventually.DEADLINE, c -> c.toString().contains("Typed while the socket was cut"));
    }

    @Test
    void theJavaScriptApi() throws Exception {
        visitHost("/queued");
        chrome.waiting().until(driver -> chrome.js("return window.queued.join(',')").equals("open,ready"));

        chrome.js("window.seen = []; ['open','close','message','unread','state'].forEach(function (name) {"
                + " Parley.on(name, function (value) { window.seen.push(name + ':' + (value && value.text || value)); }); });"
                + "Parley.setVisitor({name: 'Linnea', email: 'linnea@example.com'});");
        chrome.intoChat();
        chrome.waiting().until(driver -> driver.findElement(By.id("pc-name")).getAttribute("value").equals("Linnea"));
        startChat("", "Hi from the API test");
        browser.switchTo().defaultContent();
        chrome.waiting().until(driver -> seen().contains("state:waiting"));

        chrome.js("Parley.close()");
        int chat = agent.chatNumberOf("Linnea");
        agent.say(chat, "A reply while closed");
        chrome.waiting().until(driver -> seen().contains("message:A reply while closed") && seen().contains("unread:1"));
        chrome.js("Parley.toggle()");
        chrome.waiting().until(driver -> seen().contains("unread:0"));
        assertTrue(seen().containsAll(List.of("close:undefined", "open:undefined")), seen().toString());

        Object loaded = browser.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + " var again = document.createElement('script'); again.src = arguments[0];"
                + " again.onload = function () { done(true); }; again.onerror = function () { done(false); };"
                + " document.body.appendChild(again);", parley.uri("/widget.js").toString());
        assertEquals(true, loaded);
        assertEquals(1L, chrome.js("return document.querySelectorAll('#parley-widget').length"), "loading twice changes nothing");
    }

    @Test
    void aNewAgentMessageSoundsOnceWhateverTheNumberOfTabs() throws Exception {
        String countBeeps = "window.beeps = 0; window.AudioContext = function () { window.beeps++;"
                + " throw new Error('no audio in tests'); };";
        visitHost("/");
        chrome.js("Parley.open()");
        chrome.intoChat();
        startChat("Echo", "Two tabs, one sound please");
        chrome.waiting().until(driver -> driver.findElement(By.id("status")).getText().contains("Waiting for an agent"));
        chrome.js(countBeeps); // in the chat page, which plays the sound
        browser.switchTo().defaultContent();
        chrome.js("Parley.close()");
        String first = browser.getWindowHandle();

        browser.switchTo().newWindow(WindowType.TAB);
        visitHost("/"); // the visitor has a chat going: the iframe is there, closed, counting
        chrome.intoChat();
        chrome.js(countBeeps);
        // hidden, so read its text content rather than its visible text
        chrome.waiting().until(driver -> driver.findElement(By.id("transcript")).getAttribute("textContent").contains("Two tabs"));
        browser.switchTo().defaultContent();
        String second = browser.getWindowHandle();

        int chat = agent.chatNumberOf("Echo");
        agent.say(chat, "Ding");
        long total = 0;
        for (String tab : new String[] {first, second}) {
            total += beepsOnceSettled(tab, "Ding");
        }
        assertEquals(1, total, "one sound for the visitor, not one per tab");

        browser.switchTo().window(first);
        chrome.js("Parley.open()");
        chrome.intoChat();
        browser.findElement(By.id("mute")).click();
        assertEquals("true", browser.findElement(By.id("mute")).getAttribute("aria-pressed"));
        browser.switchTo().defaultContent();
        chrome.js("Parley.close()");
        chrome.waiting().until(driver -> "1".equals(chrome.js("return localStorage.getItem('parley.muted')")));
        agent.say(chat, "Quietly");
        long after = 0;
        for (String tab : new String[] {first, second}) {
            after += beepsOnceSettled(tab, "Quietly");
        }
        assertEquals(1, after, "muted: no further sound");
    }

    /**
     * The tab's beep count once it has shown the message and settled its claim on the sound:
     * the chat page claims the message's Web Lock ("parley-sound" and its number) as it shows
     * it, and a lock asked for after that is granted only once the claim is over.
     */
    private long beepsOnceSettled(String tab, String text) {
        browser.switchTo().window(tab);
        chrome.intoChat();
        chrome.waiting().until(driver -> driver.findElement(By.id("transcript")).getAttribute("textContent").contains(text));
        return ((Number) browser.executeAsyncScript("var done = arguments[arguments.length - 1];"
                + " var shown = Array.from(document.querySelectorAll('#transcript .msg'))"
                + "   .filter(m => m.textContent.indexOf(arguments[0]) >= 0)[0];"
                + " navigator.locks.request('parley-sound' + shown.getAttribute('data-seq'), function () { done(window.beeps); });",
                text)).longValue();
    }

    @Test
    void theWidgetWorksWithParleyMountedInsideAnotherApplication() throws Exception {
        try (TestServer mounted = TestServer.start(Map.of("mount-path", "/support/chat", "emulator-demo-agent", "false",
                     "poll-fast-interval", "100ms", "poll-interval", "200ms", "poll-idle-interval", "300ms"));
             HostSite shop = new HostSite(mounted.uri("/support/chat"), "data-lang=\"en\"")) {
            browser.get(shop.url("/"));
            chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
            chrome.js("Parley.open()");
            chrome.intoChat();
            assertTrue((Boolean) chrome.js("return document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"),
                    "the chat page's styles came from below the mount path");
            startChat("Mounted Visitor", "Hello from below a path");
            AgentApi mountedAgent = new AgentApi(mounted.uri("/support/chat/emulator"));
            int chat = mountedAgent.awaitChatNumberOf("Mounted Visitor");
            mountedAgent.say(chat, "Found you below the path");
            chrome.awaitTranscript("Found you below the path");
        }
    }

    @Test
    void troubleIsShownAndAccessible() throws Exception {
        visitHost("/");
        chrome.js("Parley.open()");
        chrome.intoChat();
        startChat("Trouble", "Is anyone there?");
        chrome.waiting().until(driver -> driver.findElement(By.id("status")).getText().contains("Waiting for an agent"));
        int chat = agent.chatNumberOf("Trouble");
        TestedUpstream.current().cutOff(agent);
        try {
            chrome.waiting().until(driver -> driver.findElement(By.id("status")).getText().contains("having trouble"));
            browser.findElement(By.id("composer-text")).sendKeys("Queued while it is down", Keys.ENTER);
            assertAccessible("upstream unavailable");
            screenshot("6-unavailable");
        } finally {
            agent.clearFaults();
        }
        chrome.waiting().until(driver -> !driver.findElement(By.id("status")).getText().contains("having trouble"));
        agent.awaitChat(chat, Eventually.DEADLINE, c -> c.toString().contains("Queued while it is down"));

        agent.ban(chat);
        chrome.awaitVisible("new-chat");
        browser.findElement(By.id("new-chat")).click();
        chrome.awaitVisible("pc-text");
        browser.findElement(By.id("pc-text")).sendKeys("Let me back in");
        browser.findElement(By.id("start")).click();
        chrome.waiting().until(driver -> driver.findElement(By.id("status")).getText().contains("cannot start a chat"));
        // The message of a start refused as banned does not look delivered.
        chrome.waiting().until(driver -> {
            WebElement refused = driver.findElement(By.xpath("//*[@id='transcript']//*[contains(@class,'msg')]"
                    + "[contains(., 'Let me back in')]"));
            return refused.getAttribute("class").contains("failed") && refused.getText().contains("Not delivered");
        });
        assertAccessible("banned");
        screenshot("7-banned");
    }

    @Test
    void rightToLeftAndMobile() throws Exception {
        try (HostSite arabic = new HostSite(parley.uri(), "data-lang=\"ar\"")) {
            browser.manage().window().setSize(new Dimension(390, 780));
            browser.get(arabic.url("/"));
            chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
            chrome.js("Parley.open()");
            chrome.intoChat();
            chrome.awaitVisible("pc-text");
            assertEquals("rtl", browser.findElement(By.tagName("html")).getAttribute("dir"));
            WebElement input = browser.findElement(By.id("pc-text"));
            assertEquals("16px", input.getCssValue("font-size"), "inputs at 16 px so phones do not zoom");
            browser.switchTo().defaultContent();
            assertEquals(390L, chrome.js("return window.innerWidth"));
            chrome.intoChat();
            assertAccessible("pre-chat, Arabic");
            screenshot("5-mobile-arabic");
        }
    }

    @SuppressWarnings("unchecked")
    private List<String> seen() {
        browser.switchTo().defaultContent();
        return (List<String>) chrome.js("return window.seen || []");
    }
}
