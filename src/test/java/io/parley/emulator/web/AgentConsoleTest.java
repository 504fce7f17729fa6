package io.parley.emulator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.parley.livechat.v2.PollResult;
import io.parley.livechat.v2.StartResult;
import io.parley.livechat.v2.UpstreamEvent;
import io.parley.livechat.v2.UpstreamSession;
import io.parley.livechat.v2.UserType;
import io.parley.livechat.v2.http.HttpUpstreamClient;
import io.parley.testing.Eventually;
import io.parley.testing.TestServer;
import io.parley.upstream.ChatStart;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.htmlunit.WebClient;
import org.htmlunit.html.HtmlAnchor;
import org.htmlunit.html.HtmlPage;
import org.htmlunit.html.HtmlTextArea;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent console in a browser (HtmlUnit, with its script): list, transcript, reply, close, ban. */
class AgentConsoleTest {

    private static final String HOSTILE_NAME = "<img src=x onerror=alert(1)>Eve";

    private static TestServer server;
    private static HttpUpstreamClient client;
    private WebClient browser;
    private final List<String> alerts = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(Map.of("emulator-demo-agent", "false"));
        client = new HttpUpstreamClient(server::emulatorUri, "123", Duration.ofSeconds(5), 4, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void openBrowser() {
        browser = new WebClient();
        browser.getOptions().setThrowExceptionOnScriptError(true);
        browser.setAlertHandler((page, message) -> alerts.add(message));
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
        assertEquals(List.of(), alerts, "no script of a visitor's may run in the console");
    }

    private static UpstreamSession startChat(String name) throws Exception {
        StartResult result = client.start("console-" + name.hashCode() + "-" + System.nanoTime(),
                new ChatStart("Hi", name, "eve@example.com", OptionalInt.of(3))).get(30, TimeUnit.SECONDS);
        return assertInstanceOf(StartResult.Started.class, result).session();
    }

    private static List<UpstreamEvent> poll(UpstreamSession session) throws Exception {
        return assertInstanceOf(PollResult.Polled.class, client.poll(session, 0).get(30, TimeUnit.SECONDS)).events();
    }

    @Test
    void aReplyTypedInTheConsoleComesBackOnTheNextPoll() throws Exception {
        UpstreamSession session = startChat(HOSTILE_NAME);

        HtmlPage list = browser.getPage(server.uri("/emulator/agent").toURL());
        assertTrue(list.asNormalizedText().contains(HOSTILE_NAME), "the name is shown as text");
        assertTrue(list.asNormalizedText().contains("eve@example.com"));
        assertTrue(list.getElementsByTagName("img").isEmpty(), "no markup of a visitor's is rendered");

        HtmlAnchor link = list.getAnchorByText(HOSTILE_NAME);
        HtmlPage chat = link.click();
        assertTrue(chat.asNormalizedText().contains("waiting"));
        HtmlTextArea reply = (HtmlTextArea) chat.getElementById("reply-text");
        reply.type("Hello Eve, how can I help?");
        HtmlPage after = chat.getHtmlElementById("reply-send").click();
        assertTrue(after.asNormalizedText().contains("Hello Eve, how can I help?"));

        List<UpstreamEvent> events = poll(session);
        assertEquals("Sam", assertInstanceOf(UpstreamEvent.AgentDetails.class, events.get(0)).name());
        assertEquals(new UpstreamEvent.Message(2, events.get(1).timestamp(), UserType.AGENT, "Hello Eve, how can I help?"),
                events.get(1));

        HtmlPage closed = after.getHtmlElementById("close-chat").click();
        assertEquals("closed", closed.getElementById("chat-state").getTextContent());
        assertInstanceOf(UpstreamEvent.ChatClosed.class, poll(session).get(2));
    }

    @Test
    void banningAVisitorIsConfirmedFirst() throws Exception {
        UpstreamSession session = startChat("Banned Bob");
        HtmlPage list = browser.getPage(server.uri("/emulator/agent").toURL());
        HtmlPage chat = list.getAnchorByText("Banned Bob").click();

        HtmlPage asked = chat.getHtmlElementById("ban-visitor").click();
        assertTrue(asked.asNormalizedText().contains("Ban Banned Bob?"), asked.asNormalizedText());
        HtmlPage back = ((HtmlAnchor) asked.getElementById("ban-cancel")).click();
        assertEquals("waiting", back.getElementById("chat-state").getTextContent(), "not banned without a yes");
        assertInstanceOf(PollResult.Polled.class, client.poll(session, 0).get(30, TimeUnit.SECONDS));

        HtmlPage banned = back.getHtmlElementById("ban-visitor").<HtmlPage>click().getHtmlElementById("ban-confirm").click();
        assertEquals("closed", banned.getElementById("chat-state").getTextContent());
        StartResult again = client.start(session.visitorId(), new ChatStart("Hi", "Banned Bob", null, OptionalInt.empty()))
                .get(30, TimeUnit.SECONDS);
        assertInstanceOf(StartResult.Banned.class, again);
    }

    @Test
    void theListAndTheTranscriptStayLive() throws Exception {
        HtmlPage list = browser.getPage(server.uri("/emulator/agent").toURL());
        UpstreamSession session = startChat("Late Larry");
        awaitText(list, "Late Larry");

        HtmlPage chat = list.getAnchorByText("Late Larry").click();
        client.send(session, "Anyone there?").get(30, TimeUnit.SECONDS);
        awaitText(chat, "Anyone there?");
    }

    /** Lets the page's refresh timer run until the text shows; fails after a deadline. */
    private void awaitText(HtmlPage page, String text) {
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (!page.asNormalizedText().contains(text)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("'" + text + "' never appeared in " + page.getUrl());
            }
            browser.waitForBackgroundJavaScript(250);
        }
    }
}
