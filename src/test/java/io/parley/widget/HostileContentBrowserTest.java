package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.emulator.EmulatedChat;
import io.parley.testing.Chromium;
import io.parley.testing.Eventually;
import io.parley.testing.Http;
import io.parley.testing.RunningParley;
import io.parley.testing.TestTab;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.slf4j.LoggerFactory;

/**
 * In real Chromium: what people type, and what an agent's profile says, is shown as text and
 * never runs; and the upstream ids of a whole chat appear in no frame, page or log line.
 */
class HostileContentBrowserTest {

    @RegisterExtension
    static final RunningParley PARLEY = new RunningParley(Map.of(
            "emulator-demo-agent", "false", "messages-per-visitor", "200/1m",
            "poll-fast-interval", "100ms", "poll-interval", "200ms", "poll-idle-interval", "300ms"));

    /** Payloads that would run, open a dialog or inject an element if text were ever HTML or a URL were trusted. */
    static final List<String> PAYLOADS = List.of(
            "<script>alert('xss1')</script>",
            "<script>window.__xss=1</script>",
            "<img src=x onerror=alert('xss3')>",
            "<img src=x onerror=\"window.__xss=4\">",
            "<svg onload=alert('xss5')>",
            "<svg><script>alert('xss6')</script></svg>",
            "<iframe src=\"javascript:alert('xss7')\"></iframe>",
            "<body onload=alert('xss8')>",
            "<a href=\"javascript:alert('xss9')\">click me</a>",
            "<div style=\"background:url(javascript:alert('xss10'))\">x</div>",
            "\"><script>alert('xss11')</script>",
            "'><img src=x onerror=alert('xss12')>",
            "</textarea><script>alert('xss13')</script>",
            "</title><script>alert('xss14')</script>",
            "<input autofocus onfocus=alert('xss15')>",
            "<details open ontoggle=alert('xss16')>",
            "<marquee onstart=alert('xss17')>",
            "<video><source onerror=alert('xss18')></video>",
            "<audio src=x onerror=alert('xss19')>",
            "<object data=\"javascript:alert('xss20')\"></object>",
            "<embed src=\"javascript:alert('xss21')\">",
            "<math><mtext><table><mglyph><style><img src=x onerror=alert('xss22')>",
            "<noscript><p title=\"</noscript><img src=x onerror=alert('xss23')>\">",
            "<form action=\"javascript:alert('xss24')\"><button>go</button></form>",
            "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert('xss25')\">",
            "<link rel=import href=\"data:text/html,<script>alert('xss26')</script>\">",
            "<base href=\"javascript:alert('xss27')//\">",
            "<style>@import 'javascript:alert(28)';</style>",
            "javascript:alert('xss29')",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzMzAnKTwvc2NyaXB0Pg==",
            "&lt;script&gt;alert('xss31')&lt;/script&gt;",
            "&#60;img src=x onerror=alert('xss32')&#62;",
            "\\u003cscript\\u003ealert('xss33')\\u003c/script\\u003e",
            "%3Cscript%3Ealert('xss34')%3C%2Fscript%3E",
            "{{constructor.constructor('alert(35)')()}}",
            "${alert('xss36')}",
            "[(${T(java.lang.Runtime).getRuntime()})]",
            "[[${7*7}]] __${7*7}__",
            "<scr<script>ipt>alert('xss39')</scr</script>ipt>",
            "<IMG SRC=JaVaScRiPt:alert('xss40')>",
            "<img src=`x`onerror=alert('xss41')>",
            "<img \"\"\"><script>alert('xss42')</script>\">",
            "<svg/onload=alert('xss43')//",
            "<x onclick=alert('xss44')>click</x>",
            "\u202e<script>alert('xss45')</script>",
            "<template><script>alert('xss46')</script></template>",
            "<isindex action=javascript:alert('xss47') type=submit>",
            "<!--<img src=\"--><img src=x onerror=alert('xss48')//\">",
            "<![CDATA[<script>alert('xss49')</script>]]>",
            "\"; alert('xss50'); var a=\"",
            "'); alert('xss51'); ('",
            "</script><script>alert('xss52')</script>",
            "<select><option><img src=x onerror=alert('xss53')></option></select>",
            "<keygen autofocus onfocus=alert('xss54')>");

    private ChromeDriver browser;
    private ListAppender<ILoggingEvent> logs;
    private Level previousLevel;
    private Level previousRootLevel;

    @BeforeEach
    void start() throws Exception {
        LoggingPreferences preferences = new LoggingPreferences();
        preferences.enable(LogType.PERFORMANCE, java.util.logging.Level.ALL);
        browser = Chromium.start(options -> options.setCapability("goog:loggingPrefs", preferences));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (logs != null) {
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(logs);
            root.setLevel(previousRootLevel);
            ((Logger) LoggerFactory.getLogger("io.parley")).setLevel(previousLevel);
        }
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(45)); // a real browser on a busy 2-core machine
    }

    private String transcript() {
        return browser.findElement(By.id("transcript")).getText();
    }

    @Test
    void aCorpusOfPayloadsInEveryFieldRendersAsInertText() throws Exception {
        assertTrue(PAYLOADS.size() >= 50);
        browser.get(PARLEY.server().uri("/chat").toString());
        String name = "<img src=x onerror=alert('visitor-name')>";
        browser.findElement(By.id("pc-name")).sendKeys(name);
        browser.findElement(By.id("pc-text")).sendKeys(PAYLOADS.get(0));
        browser.findElement(By.id("start")).click();
        int chat = waiting().until(d -> chatNumberOf(name));
        String token = (String) browser.executeScript("return localStorage.getItem('parley.token')");
        String pageOrigin = "http://127.0.0.1:" + PARLEY.server().uri().getPort();
        try (TestTab other = TestTab.resume(PARLEY.server().webSocketUri(), token, 0, "Origin", pageOrigin)) {
            for (int i = 1; i < PAYLOADS.size(); i++) {
                other.send("type", "send", "id", "p" + i, "text", PAYLOADS.get(i));
                other.ack("p" + i);
            }
        }
        for (int i = 0; i < PAYLOADS.size(); i++) {
            if (i % 5 == 0) {
                join(chat, PAYLOADS.get(i), PAYLOADS.get((i + 1) % PAYLOADS.size()),
                        i % 10 == 0 ? PAYLOADS.get(28) : "https://cdn.example/a.png?\"><script>alert(1)</script>");
            }
            PARLEY.agent().say(chat, PAYLOADS.get(i));
        }
        PARLEY.agent().say(chat, "END OF CORPUS");
        waiting().until(d -> transcript().contains("END OF CORPUS"));

        assertNoScriptRan();
        String shown = (String) browser.executeScript("return document.getElementById('transcript').textContent");
        for (String payload : PAYLOADS) {
            assertTrue(count(shown, payload) >= 2, () -> "shown as text, from the visitor and the agent: " + payload);
        }
        String header = browser.findElement(By.id("agent-avatar")).getAttribute("src");
        assertTrue(header == null || header.isEmpty() || header.startsWith("https://"), "avatar " + header);

        browser.get(PARLEY.server().uri("/emulator/agent/chats/" + chat).toString());
        waiting().until(d -> d.getPageSource().contains("END OF CORPUS"));
        assertNoScriptRan();
    }

    @Test
    void theUpstreamIdsOfAWholeChatReachNoFramePageOrLogLine() throws Exception {
        // Everything Parley logs, down to debug, and everything else at the production level, INFO
        // (whatever other tests in this JVM did to the levels).
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Logger parleyLogger = (Logger) LoggerFactory.getLogger("io.parley");
        previousRootLevel = root.getLevel();
        previousLevel = parleyLogger.getLevel();
        root.setLevel(Level.INFO);
        parleyLogger.setLevel(Level.DEBUG);
        logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);

        browser.get(PARLEY.server().uri("/chat").toString());
        browser.findElement(By.id("pc-name")).sendKeys("Secret Keeper");
        browser.findElement(By.id("pc-text")).sendKeys("Hello there");
        browser.findElement(By.id("start")).click();
        int chat = waiting().until(d -> chatNumberOf("Secret Keeper"));
        PARLEY.agent().join(chat, "Ada");
        PARLEY.agent().say(chat, "Agent here");
        waiting().until(d -> transcript().contains("Agent here"));
        browser.findElement(By.id("composer-text")).sendKeys("Second message");
        browser.findElement(By.id("send")).click();
        PARLEY.agent().awaitChat(chat, Eventually.DEADLINE, c -> c.toString().contains("Second message"));
        PARLEY.agent().close(chat);
        waiting().until(d -> d.findElement(By.id("closed")).isDisplayed());
        browser.navigate().refresh();
        waiting().until(d -> transcript().contains("Agent here"));

        EmulatedChat upstream = PARLEY.server().parley().emulator().orElseThrow().upstream().chat(chat).orElseThrow();
        // v2: the visitor id and the session; v3: the customer id and the thread id
        List<String> secrets = List.of(upstream.visitorId(), upstream.sessionId().replaceFirst("^v3:", ""));

        List<String> seen = new ArrayList<>();
        List<LogEntry> network = browser.manage().logs().get(LogType.PERFORMANCE).getAll();
        network.forEach(entry -> seen.add(entry.getMessage()));
        assertTrue(seen.stream().filter(m -> m.contains("Network.webSocketFrameReceived")).count() >= 5,
                "the frames were recorded");
        seen.add(browser.getPageSource());
        seen.add(String.valueOf(browser.executeScript("return JSON.stringify(localStorage)")));
        for (String path : List.of("/", "/chat", "/widget.js", "/assets/chat.js")) {
            seen.add(Http.get(PARLEY.server().uri(path)).body());
        }
        List<ILoggingEvent> logged;
        synchronized (logs) { // the appender appends under its own lock while the server goes on logging
            logged = List.copyOf(logs.list);
        }
        List<String> logLines = logged.stream().map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage())).toList();
        assertTrue(logLines.stream().anyMatch(line -> line.contains("started a chat")), "the chat was logged");
        seen.addAll(logLines);

        for (String secret : secrets) {
            assertFalse(secret.isBlank());
            List<String> leaks = seen.stream().filter(text -> text.contains(secret)).toList();
            assertEquals(List.of(), leaks, "an upstream id leaked");
        }
    }

    private static Integer chatNumberOf(String visitorName) {
        try {
            return PARLEY.agent().chatNumberOf(visitorName);
        } catch (Exception | AssertionError notYet) {
            return null;
        }
    }

    private void join(int chat, String name, String jobTitle, String avatar) throws Exception {
        Http.post(PARLEY.server().uri("/emulator/agent/api/chats/" + chat + "/join"),
                Http.form("name", name, "job_title", jobTitle, "avatar", avatar));
    }

    private void assertNoScriptRan() {
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert(), "no dialog opened");
        assertNull(browser.executeScript("return window.__xss === undefined ? null : window.__xss"), "no script ran");
        Long injected = (Long) browser.executeScript("return document.querySelectorAll("
                + "'script:not([src]), iframe, object, embed, [onerror], [onload], [onclick], [onfocus], [ontoggle], "
                + "[onstart], a[href^=\"javascript\"], form[action^=\"javascript\"], base, meta[http-equiv]').length");
        assertEquals(0L, injected, "no element was injected");
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
