package io.parley.widget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.relay.StoredConversation;
import io.parley.relay.VisitorTokens;
import io.parley.store.MvConversationStore;
import io.parley.testing.AgentApi;
import io.parley.testing.ChatBrowser;
import io.parley.testing.Chromium;
import io.parley.testing.Eventually;
import io.parley.testing.HostSite;
import io.parley.testing.RunningParley;
import io.parley.testing.TestServer;
import io.parley.testing.TestedUpstream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * What a visitor meets in real Chromium, each defect found in a real browser now fixed: a
 * mistyped e-mail, unread messages out of view, no way to end a chat, screen readers, text in
 * another direction, a light brand colour, errors in English.
 */
class VisitorExperienceBrowserTest {

    @RegisterExtension
    static final RunningParley PARLEY = RunningParley.polledFast();
    private static TestServer parley;
    private static AgentApi agent;
    private static HostSite site;
    private static HostSite lightSite;

    @RegisterExtension
    final ChatBrowser chrome = new ChatBrowser();
    private ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        parley = PARLEY.server();
        agent = PARLEY.agent();
        site = new HostSite(parley.uri(), "data-lang=\"en\"");
        lightSite = new HostSite(parley.uri(), "data-lang=\"en\" data-color=\"#ffd400\"");
    }

    @AfterAll
    static void stop() {
        if (site != null) {
            site.close();
        }
        if (lightSite != null) {
            lightSite.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = chrome.driver();
    }

    /** Opens the widget on the host site and starts a chat; returns the chat's number in the agent API. */
    private int chatOnHost(String name, String text) throws Exception {
        visitHost(site);
        chrome.js("Parley.open()");
        chrome.intoChat();
        fillForm(name, "", text);
        chrome.awaitVisible("composer-text");
        return agent.awaitChatNumberOf(name);
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private void fillForm(String name, String email, String text) {
        chrome.awaitVisible("pc-text");
        byId("pc-name").clear();
        byId("pc-name").sendKeys(name);
        byId("pc-email").clear();
        byId("pc-email").sendKeys(email);
        byId("pc-text").clear();
        byId("pc-text").sendKeys(text);
        byId("start").click();
    }

    private void visitHost(HostSite host) {
        browser.get(host.url("/"));
        chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js("return !!(window.Parley && window.Parley.loaded)")));
    }

    private Object hostJs(String script) {
        browser.switchTo().defaultContent();
        return chrome.js(script);
    }

    private String badge() {
        return (String) hostJs("var b = document.getElementById('parley-widget').shadowRoot.querySelector('.b');"
                + " return b.hidden ? '' : b.textContent;");
    }

    @Test
    void aMistypedEmailIsCaughtInTheFormInTheVisitorsLanguageAndARefusedStartGivesTheFormBack() throws Exception {
        String invalid = "Bitte geben Sie eine g\u00fcltige E-Mail-Adresse ein oder lassen Sie das Feld leer.";
        browser.get(parley.uri("/chat?lang=de").toString());
        assertFalse(byId("minimize").isDisplayed(), "no minimise button that does nothing on the page on its own");
        fillForm("Kim", "kim.example.com", "Hallo, ich brauche Hilfe");
        assertEquals(invalid, chrome.js("return document.getElementById('pc-email').validationMessage"));
        assertTrue(byId("prechat").isDisplayed(), "the form stays");
        assertEquals(0L, chrome.js("return document.querySelectorAll('#transcript .msg').length"), "nothing was sent");

        // Past the browser's check (as with an address only the server refuses): the form comes back.
        chrome.js("document.getElementById('pc-email').type = 'text'");
        fillForm("Kim", "kim@", "Hallo, ich brauche Hilfe");
        chrome.waiting().until(driver -> driver.findElement(By.id("prechat")).isDisplayed()
                && invalid.equals(driver.findElement(By.id("status")).getText()));
        assertEquals("Hallo, ich brauche Hilfe", byId("pc-text").getAttribute("value"), "the message is kept");
        assertEquals("kim@", byId("pc-email").getAttribute("value"));
        assertEquals(0L, chrome.js("return document.querySelectorAll('#transcript .msg').length"));

        fillForm("Kim", "kim@example.com", "Hallo, ich brauche Hilfe");
        chrome.awaitVisible("composer-text");
        assertTrue(agent.awaitChatNumberOf("Kim") > 0, "the chat starts once the address is right");
    }

    @Test
    void aStartTheUpstreamRefusesAfterItsMessageWasShownGivesTheFormBackWithTheTextAndSaysWhy() throws Exception {
        agent.faults("error_rate", "1", "error_status", "400", "calls", TestedUpstream.current().startCall());
        try {
            browser.get(parley.uri("/chat?lang=en").toString());
            fillForm("Refused Start", "", "Is anyone there?");
            chrome.waiting().until(driver -> driver.findElement(By.id("prechat")).isDisplayed()
                    && driver.findElements(By.cssSelector("#transcript .msg.failed")).size() == 1);
            assertEquals("Is anyone there?", byId("pc-text").getAttribute("value"), "the message is kept in the form");
            assertEquals("Refused Start", byId("pc-name").getAttribute("value"));
            assertTrue(byId("status").getText().contains("could not be started"), byId("status").getText());
            assertTrue(browser.findElement(By.cssSelector("#transcript .msg.failed")).getText().contains("Not delivered"),
                    "the message shown when it was sent says it did not go");
        } finally {
            agent.clearFaults();
        }
        fillForm("Refused Start", "", "Is anyone there?");
        chrome.awaitVisible("composer-text");
        assertTrue(agent.awaitChatNumberOf("Refused Start") > 0, "a second try starts the chat");
    }

    @Test
    void aSiteThatAddsTheScriptAfterItsLoadEventGetsTheWholeWidgetAndWaitsForNothing() throws Exception {
        browser.get(site.url("/after-load"));
        chrome.waiting().until(driver -> Boolean.TRUE.equals(hostJs("return !!window.Parley && !!window.Parley.loaded")));
        String parleyOrigin = parley.uri().getScheme() + "://" + parley.uri().getAuthority();
        assertEquals(Boolean.TRUE, chrome.js("var origin = arguments[0];"
                + " var load = performance.getEntriesByType('navigation')[0].loadEventStart;"
                + " var parleys = performance.getEntriesByType('resource').filter(function (r) {"
                + " return r.name.indexOf(origin) === 0; });"
                + " return parleys.length > 0 && parleys.every(function (r) { return r.startTime >= load; });", parleyOrigin),
                "Parley's script came, and only after the load event");
        chrome.js("Parley.open()");
        chrome.intoChat();
        fillForm("After Load", "", "Hello from a careful site");
        chrome.awaitVisible("composer-text");
        assertTrue(agent.awaitChatNumberOf("After Load") > 0);
    }

    @Test
    void aLongChatShowsTheDayWhereTheDayChanges(@TempDir Path data) throws Exception {
        String token = "stored-visitor-token-0123456789";
        try (MvConversationStore store = MvConversationStore.open(data, Clock.systemUTC())) {
            long day1 = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();
            long day3 = Instant.parse("2026-11-22T12:00:00Z").toEpochMilli();
            store.save(StoredConversation.of(VisitorTokens.key(token), "0badcafe", null, "CLOSED", "AGENT", null, null, 3,
                    List.of(said(1, day1, "visitor", "Is my order on its way?"),
                            said(2, day3, "agent", "It ships today."),
                            StoredConversation.Event.of("closed", 3, day3 + 1000, null, null, null, null, "AGENT",
                                    null, null, null, null)),
                    List.of(), List.of(), null, null, null));
        }
        try (TestServer stored = TestServer.start(Map.of("data-dir", data.toString(), "emulator-demo-agent", "false"))) {
            browser.get(stored.uri("/chat?lang=en").toString());
            // The page keeps the token of its first welcome: ours goes in after it, not before
            chrome.waiting().until(driver -> chrome.js("return localStorage.getItem('parley.token')") != null);
            chrome.js("localStorage.setItem('parley.token', arguments[0])", token);
            browser.navigate().refresh();
            chrome.awaitTranscript("It ships today.");
            List<WebElement> days = browser.findElements(By.cssSelector("#transcript .day"));
            assertEquals(1, days.size(), "one separator, where the day changes");
            assertEquals(chrome.js("return new Intl.DateTimeFormat('en', {dateStyle: 'medium'})"
                    + ".format(new Date(Date.UTC(2026, 10, 22, 12)))"), days.get(0).getText());
            assertEquals(Boolean.TRUE, chrome.js("var d = document.querySelector('#transcript .day');"
                    + " return d.previousElementSibling.textContent.indexOf('on its way') >= 0"
                    + " && d.nextElementSibling.textContent.indexOf('ships today') >= 0"), "between the two days' messages");
        }
    }

    private static StoredConversation.Event said(long seq, long time, String from, String text) {
        return StoredConversation.Event.of("said", seq, time, from, text, null, null, null, null, null, null, null);
    }

    @Test
    void openingTheWidgetShowsTheFirstMessageNotSeenAlsoOnAnotherPage() throws Exception {
        int chat = chatOnHost("Una", "Hello, I have a long question");
        agent.join(chat, "Ada");
        agent.say(chat, "Seen while open");
        chrome.awaitTranscript("Seen while open");

        hostJs("Parley.close()");
        for (int i = 1; i <= 12; i++) {
            agent.say(chat, "Unread " + i + "\nwith a second line\nand a third");
        }
        chrome.waiting().until(driver -> "9+".equals(badge()));
        hostJs("Parley.open()");
        chrome.intoChat();
        assertFirstUnreadInView("Unread 1");

        // Another page of the same site: what was seen there is known here.
        hostJs("Parley.close()");
        agent.say(chat, "Unread on the next page");
        chrome.waiting().until(driver -> "1".equals(badge()));
        visitHost(site);
        chrome.waiting().until(driver -> "1".equals(badge()));
        assertEquals("", hostJs("return document.getElementById('parley-widget').shadowRoot"
                + ".querySelector('[aria-live=polite]').textContent"), "history is counted, not announced again");
        String token = (String) hostJs("return localStorage.getItem('parley.token')");
        hostJs("Parley.open()");
        chrome.intoChat();
        chrome.awaitTranscript("Unread on the next page");
        assertFirstUnreadInView("Unread on the next page");
        String seen = (String) chrome.js("return localStorage.getItem('parley.seen')");
        assertTrue(seen != null && !seen.startsWith(token.substring(0, 8)), "kept by a hash, never a part of the token: " + seen);
    }

    private void assertFirstUnreadInView(String text) {
        chrome.waiting().until(driver -> Boolean.TRUE.equals(chrome.js(
                "var marker = document.querySelector('.unread-marker');"
                + " if (!marker || !marker.nextElementSibling) { return false; }"
                + " var box = document.getElementById('transcript').getBoundingClientRect();"
                + " var first = marker.nextElementSibling.getBoundingClientRect();"
                + " return marker.nextElementSibling.querySelector('.text').textContent.indexOf(arguments[0]) === 0"
                + "   && first.top >= box.top - 1 && first.top < box.bottom;", text)));
        assertEquals("New messages", byId("transcript").findElement(By.className("unread-marker")).getText());
    }

    @Test
    void theVisitorCanEndTheChatAfterConfirmingIt() throws Exception {
        browser.get(parley.uri("/chat?lang=en").toString());
        fillForm("Ending", "", "Just a quick question");
        chrome.awaitVisible("end");
        int chat = agent.awaitChatNumberOf("Ending");
        byId("end").click();
        chrome.awaitVisible("end-confirm");
        byId("end-no").click();
        assertFalse(byId("end-confirm").isDisplayed(), "kept chatting");
        assertTrue(byId("composer-text").isDisplayed());

        byId("end").click();
        byId("end-yes").click();
        chrome.awaitVisible("new-chat");
        assertTrue(byId("download").isDisplayed());
        assertFalse(byId("end").isDisplayed());
        agent.awaitChat(chat, Eventually.DEADLINE, c -> "closed".equals(c.get("state")));
    }

    @Test
    void screenReadersHearWhoWroteEachMessageAndNewMessagesWhileTheWidgetIsClosed() throws Exception {
        int chat = chatOnHost("Rae", "Can you hear me?");
        agent.join(chat, "Ada");
        agent.say(chat, "Loud and clear");
        chrome.awaitTranscript("Loud and clear");
        assertEquals(List.of("You: Can you hear me?", "Ada: Loud and clear"), chrome.js(
                "return Array.from(document.querySelectorAll('#transcript .msg'))"
                + ".map(m => m.querySelector('.visually-hidden').textContent + m.querySelector('.text').textContent)"));

        hostJs("Parley.close()");
        agent.say(chat, "Still there?");
        chrome.waiting().until(driver -> {
            Object announced = hostJs("var live = document.getElementById('parley-widget').shadowRoot"
                    + ".querySelector('[aria-live=polite]'); return live && live.textContent;");
            return "New message from Ada: Still there?".equals(announced);
        });
    }

    @Test
    void textOfAnotherDirectionKeepsItsOwn() throws Exception {
        browser.get(parley.uri("/chat?lang=ar").toString());
        assertEquals("rtl", chrome.js("return document.documentElement.dir"));
        fillForm("Layla", "", "Hi, I'm Layla. Can you help?");
        chrome.awaitTranscript("Hi, I'm Layla. Can you help?");
        int chat = agent.awaitChatNumberOf("Layla");
        agent.say(chat, "Hi, I'm Ada. How can I help?");
        chrome.awaitTranscript("Hi, I'm Ada. How can I help?");
        assertEquals(List.of("ltr", "ltr"), chrome.js("return Array.from(document.querySelectorAll('#transcript .msg .text'))"
                + ".map(t => getComputedStyle(t).direction)"), "English text in an Arabic page reads left to right");
        assertEquals("auto", byId("composer-text").getAttribute("dir"));
        assertEquals("auto", byId("pc-text").getAttribute("dir"));
    }

    @Test
    void aLightBrandColourKeepsTheLauncherAndFocusRingsVisible() throws Exception {
        visitHost(lightSite);
        Map<String, Object> launcher = launcherColours();
        assertEquals("rgb(17, 17, 17)", launcher.get("icon"), "a dark icon on yellow");
        assertTrue(contrast((String) launcher.get("ring"), "rgb(255, 255, 255)") >= 3, "ring " + launcher.get("ring"));

        chrome.js("Parley.open()");
        chrome.intoChat();
        chrome.awaitVisible("pc-name");
        chrome.js("document.getElementById('pc-name').focus({ focusVisible: true })");
        String ring = (String) chrome.js("return getComputedStyle(document.getElementById('pc-name')).outlineColor");
        assertTrue(contrast(ring, "rgb(255, 255, 255)") >= 3, "the field's focus ring " + ring + " on white");
    }

    @Test
    void aClosedChatStaysInViewAndANewOneStartsWithWhatTheVisitorGave() throws Exception {
        browser.get(parley.uri("/chat?lang=en").toString());
        assertEquals(0L, chrome.js("return Math.round(document.getElementById('transcript').getBoundingClientRect().height)"),
                "no empty band above the form");
        fillForm("Noor", "noor@example.com", "Where is my parcel?");
        chrome.awaitVisible("composer-text");
        int chat = agent.awaitChatNumberOf("Noor");
        agent.join(chat, "Ada");
        for (int i = 1; i <= 12; i++) {
            agent.say(chat, "Answer " + i + "\nin two lines, see https://example.com/help.");
        }
        chrome.awaitTranscript("Answer 12");
        agent.close(chat);
        chrome.awaitVisible("new-chat");
        chrome.waiting().withMessage(() -> "the closing notice out of view: " + chrome.js("var t = document.getElementById('transcript');"
                + " var n = document.querySelectorAll('#transcript .notice'); var l = n[n.length - 1];"
                + " return [t.scrollTop, t.scrollHeight, t.clientHeight, JSON.stringify(t.getBoundingClientRect()),"
                + " l && JSON.stringify(l.getBoundingClientRect()), l && l.textContent].join(' | ')"))
                .until(driver -> Boolean.TRUE.equals(chrome.js(
                "var notices = document.querySelectorAll('#transcript .notice'); var last = notices[notices.length - 1];"
                + " var box = document.getElementById('transcript').getBoundingClientRect();"
                + " return !!last && last.getBoundingClientRect().bottom <= box.bottom + 1;")));

        WebElement link = byId("transcript").findElement(By.cssSelector(".msg.agent .text a"));
        assertEquals("https://example.com/help", link.getAttribute("href"), "the full stop is not part of it");
        assertEquals("_blank", link.getAttribute("target"));
        assertEquals("noopener noreferrer", link.getAttribute("rel"));

        chrome.js("window.saved = null; window.savedName = null; var create = URL.createObjectURL;"
                + " URL.createObjectURL = function (blob) { blob.text().then(t => { window.saved = t; }); return create.call(URL, blob); };"
                + " HTMLAnchorElement.prototype.click = function () { window.savedName = this.download; };");
        byId("download").click();
        chrome.waiting().until(driver -> chrome.js("return window.saved && window.savedName") != null);
        String saved = chrome.js("return window.savedName") + "\n" + chrome.js("return window.saved");
        String host = parley.uri().getHost() + ":" + parley.uri().getPort();
        assertTrue(saved.startsWith("chat-" + host.replace(':', '_') + "-"), saved);
        assertTrue(saved.contains("Chat transcript \u2014 " + host), saved);
        assertTrue(saved.contains((String) chrome.js("return '(' + Intl.DateTimeFormat().resolvedOptions().timeZone + ')'")), saved);
        assertTrue(saved.contains("] Noor: Where is my parcel?"), saved);
        assertTrue(saved.contains("] Ada: Answer 1"), saved);

        byId("new-chat").click();
        assertEquals("Chat with us", byId("chat-title").getText(), "the last chat's agent is gone from the header");
        assertFalse(byId("agent-role").isDisplayed());
        assertEquals("Noor", byId("pc-name").getAttribute("value"));
        assertEquals("noor@example.com", byId("pc-email").getAttribute("value"));
        assertEquals("pc-text", browser.switchTo().activeElement().getAttribute("id"), "the first empty field");
    }

    @Test
    void theComposerShrinksBackAndMuteShowsACrossedBell() throws Exception {
        browser.get(parley.uri("/chat?lang=en").toString());
        fillForm("Sam", "", "Hi");
        chrome.awaitVisible("composer-text");
        long oneLine = (Long) chrome.js("return document.getElementById('composer-text').offsetHeight");
        WebElement composer = byId("composer-text");
        composer.sendKeys("first line");
        for (String line : List.of("second", "third", "fourth")) {
            composer.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.SHIFT, org.openqa.selenium.Keys.ENTER), line);
        }
        assertTrue((Long) chrome.js("return document.getElementById('composer-text').offsetHeight") > oneLine);
        composer.sendKeys(org.openqa.selenium.Keys.ENTER);
        chrome.awaitTranscript("fourth");
        assertEquals(oneLine, chrome.js("return document.getElementById('composer-text').offsetHeight"));

        assertFalse(byId("mute").findElement(By.className("slash")).isDisplayed());
        byId("mute").click();
        assertEquals("true", byId("mute").getAttribute("aria-pressed"));
        assertTrue(byId("mute").findElement(By.className("slash")).isDisplayed(), "a crossed bell, not a dimmed one");
    }

    @Test
    void aDarkThemeFollowsTheSystemOrTheSiteAndStaysAccessibleOnTheHostPage() throws Exception {
        browser.get(parley.uri("/chat?lang=en&theme=dark").toString());
        assertEquals("rgb(27, 31, 39)", chrome.js("return getComputedStyle(document.querySelector('.prechat')).backgroundColor"));
        browser.executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features",
                List.of(Map.of("name", "prefers-color-scheme", "value", "dark"))));
        browser.get(parley.uri("/chat?lang=en").toString());
        assertEquals("rgb(27, 31, 39)", chrome.js("return getComputedStyle(document.querySelector('.prechat')).backgroundColor"),
                "dark when the system is");
        browser.get(parley.uri("/chat?lang=en&theme=light").toString());
        assertEquals("rgb(255, 255, 255)", chrome.js("return getComputedStyle(document.querySelector('.prechat')).backgroundColor"),
                "unless the site says light");

        visitHost(site);
        chrome.js("Parley.open()");
        chrome.intoChat();
        chrome.awaitVisible("pc-text");
        browser.switchTo().defaultContent();
        com.deque.html.axecore.results.Results results = new com.deque.html.axecore.selenium.AxeBuilder().analyze(browser);
        assertEquals("", results.getViolations().stream().map(rule -> rule.getId() + ": " + rule.getHelp())
                .collect(java.util.stream.Collectors.joining("; ")), "the host page with the widget open, dark");
    }

    private long frames() {
        return (Long) hostJs("return document.getElementById('parley-widget').shadowRoot.querySelectorAll('iframe').length");
    }

    /** The chat page was asked for only once the host page's load event had begun: it never delays it. */
    private void assertChatPageRequestedAfterLoad() {
        chrome.waiting().until(driver -> Boolean.TRUE.equals(hostJs("var n = performance.getEntriesByType('navigation')[0];"
                + " var c = performance.getEntriesByType('resource').filter(function (r) {"
                + " return r.name.indexOf('/chat?') > 0; })[0]; return !!c && n.loadEventStart > 0")));
        Object order = hostJs("var n = performance.getEntriesByType('navigation')[0];"
                + " var c = performance.getEntriesByType('resource').filter(function (r) {"
                + " return r.name.indexOf('/chat?') > 0; })[0]; return [c.startTime, n.loadEventStart];");
        List<?> times = (List<?>) order;
        assertTrue(((Number) times.get(0)).doubleValue() >= ((Number) times.get(1)).doubleValue(),
                "the chat page was requested at " + times.get(0) + " ms, the load event began at " + times.get(1));
    }

    @Test
    void theChatPageLoadsOnlyWhenOpenedOrWhileAChatIsLive() throws Exception {
        visitHost(site);
        assertEquals(0L, frames(), "a first visit loads nothing but the launcher");
        chrome.js("Parley.open()");
        chrome.intoChat();
        fillForm("Lazy", "", "Is anyone there?");
        chrome.awaitVisible("end");
        hostJs("Parley.close()");

        visitHost(site); // a live chat: the page comes along, after this page's load event
        chrome.waiting().until(driver -> frames() == 1L);
        assertEquals("complete", hostJs("return document.readyState"));
        assertChatPageRequestedAfterLoad();

        hostJs("Parley.open()");
        visitHost(site); // left open: open again on the next page, also after its load event
        chrome.waiting().until(driver -> Boolean.TRUE.equals(hostJs("return document.getElementById('parley-widget')"
                + ".shadowRoot.querySelector('iframe') !== null && !document.getElementById('parley-widget')"
                + ".shadowRoot.querySelector('.p').hidden")));
        assertChatPageRequestedAfterLoad();

        browser.get(site.url("/close-first")); // left open, but the site closes it before it has loaded
        chrome.waiting().until(driver -> Boolean.TRUE.equals(hostJs("return !!(window.Parley && window.Parley.loaded)")));
        assertEquals(Boolean.TRUE, hostJs("return document.getElementById('parley-widget').shadowRoot"
                + ".querySelector('.p').hidden"), "a close before the load event is not undone by it");

        hostJs("Parley.open()");
        chrome.intoChat();
        byId("end").click();
        byId("end-yes").click();
        chrome.awaitVisible("new-chat");
        hostJs("Parley.close()");
        visitHost(site);
        assertEquals(0L, frames(), "no live chat: nothing loads until the visitor opens the widget");
    }

    @Test
    void escapeClosesFromTheLauncherAndTheTitleCountsNewMessagesWhileThePageIsHidden() throws Exception {
        int chat = chatOnHost("Tilly", "Hello?");
        hostJs("document.getElementById('parley-widget').shadowRoot.querySelector('.l').focus()");
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
        chrome.waiting().until(driver -> "false".equals(hostJs("return document.getElementById('parley-widget').shadowRoot"
                + ".querySelector('.l').getAttribute('aria-expanded')")));

        hostJs("window.hiddenNow = true; Object.defineProperty(document, 'hidden', { get: () => window.hiddenNow });");
        agent.say(chat, "Back soon");
        chrome.waiting().until(driver -> "(1) Host shop".equals(hostJs("return document.title")));
        hostJs("window.hiddenNow = false; document.dispatchEvent(new Event('visibilitychange'));");
        assertEquals("Host shop", hostJs("return document.title"));
    }

    @Test
    void thePreviewOfANewMessageCanBeDismissed() throws Exception {
        int chat = chatOnHost("Pia", "Hello");
        hostJs("Parley.close()");
        agent.say(chat, "A preview to dismiss");
        String preview = "document.getElementById('parley-widget').shadowRoot.querySelector('.v')";
        chrome.waiting().until(driver -> Boolean.FALSE.equals(hostJs("return " + preview + ".hidden")));
        assertEquals("A preview to dismiss", hostJs("return " + preview + ".firstChild.textContent"));
        assertEquals("Dismiss", hostJs("return " + preview + ".querySelector('.x').getAttribute('aria-label')"));
        hostJs(preview + ".querySelector('.x').click()");
        assertEquals(true, hostJs("return " + preview + ".hidden"));
        assertEquals("false", hostJs("return document.getElementById('parley-widget').shadowRoot.querySelector('.l')"
                + ".getAttribute('aria-expanded')"), "dismissing does not open the chat");
    }

    @Test
    void atTwiceTheZoomTheFormKeepsARoomyMessageBoxAndItsFirstField() throws Exception {
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(640, 450)); // 1280 x 900 at 200%
        visitHost(site);
        chrome.js("Parley.open()");
        chrome.intoChat();
        chrome.awaitVisible("pc-text");
        chrome.waiting().until(driver -> "pc-name".equals(driver.switchTo().activeElement().getAttribute("id")));
        assertTrue((Long) chrome.js("return document.getElementById('pc-text').offsetHeight") >= 70,
                "three lines or so, not one");
        assertTrue(Boolean.TRUE.equals(chrome.js("var name = document.getElementById('pc-name').getBoundingClientRect();"
                + " return name.top >= 0 && name.bottom <= window.innerHeight + 1;")), "the name field is in view: " + chrome.js("return JSON.stringify([document.getElementById('pc-name').getBoundingClientRect(), window.innerHeight, document.querySelector('.prechat').getBoundingClientRect(), document.querySelector('.prechat').scrollTop])"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> launcherColours() {
        return (Map<String, Object>) hostJs("var l = document.getElementById('parley-widget').shadowRoot.querySelector('.l');"
                + " l.focus({ focusVisible: true }); var s = getComputedStyle(l);"
                + " return { icon: s.color, ring: s.outlineColor };");
    }

    /** WCAG contrast ratio of two {@code rgb(r, g, b)} colours. */
    private static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String rgb) {
        String[] parts = rgb.replaceAll("[^0-9,]", "").split(",");
        double[] weights = {0.2126, 0.7152, 0.0722};
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            double c = Integer.parseInt(parts[i]) / 255.0;
            sum += weights[i] * (c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
        }
        return sum;
    }
}
