package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.parley.logs.ConversationLog;
import io.parley.testing.AgentApi;
import io.parley.testing.Eventually;
import io.parley.testing.TestServer;
import io.parley.testing.TestTab;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** What Parley writes to its log over a chat, as an operator greps it. */
class LogLinesTest {

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // takes the logging context now, on the thread that logged
            super.append(event);
        }
    };

    @BeforeEach
    void capture() {
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void release() {
        root.detachAppender(logs);
    }

    @Test
    void linesAboutAChatCarryItsOwnIdAndNoTextAndJulIsBridged() throws Exception {
        try (TestServer server = TestServer.start(Map.of("emulator-demo-agent", "false"))) {
            assertTrue(SLF4JBridgeHandler.isInstalled(), "Parley bridges java.util.logging while it runs");
            java.util.logging.Logger.getLogger("org.example.library").warning("A library that logs through JUL");
            assertTrue(events().stream().anyMatch(e -> e.getLoggerName().equals("org.example.library")
                    && e.getFormattedMessage().equals("A library that logs through JUL")), "the JUL record reached SLF4J");

            AgentApi agent = new AgentApi(server);
            try (TestTab tab = TestTab.chatting(server.webSocketUri(), "Logged Visitor", "s1", "My card is 4111 1111")) {
                agent.close(agent.awaitChatNumberOf("Logged Visitor"));
                tab.await(frame -> "closed".equals(frame.get("state")));
            }
            // Written on the upstream client's threads: the id is there because the relay put it there.
            ILoggingEvent started = awaitEvent("started a chat");
            String id = (String) started.getArgumentArray()[0];
            assertEquals(id, started.getMDCPropertyMap().get(ConversationLog.KEY));
            assertEquals(id, awaitEvent("chat closed by agent").getMDCPropertyMap().get(ConversationLog.KEY));
            assertTrue(id.length() < 16, "a short id of Parley's own: " + id);

            // Parley's own lines at every level; the rest at the production level, INFO (a debug
            // line of an HTTP client may show a body, and is for debugging only).
            List<String> lines = events().stream()
                    .filter(e -> e.getLoggerName().startsWith("io.parley") || e.getLevel().isGreaterOrEqual(Level.INFO))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertFalse(lines.stream().anyMatch(line -> line.contains("4111")), "no message text in the log: " + lines);
        }
        assertFalse(SLF4JBridgeHandler.isInstalled(), "the bridge is gone with Parley");
    }

    /** What was logged so far; the appender adds under its own lock. */
    private List<ILoggingEvent> events() {
        synchronized (logs) {
            return List.copyOf(logs.list);
        }
    }

    private ILoggingEvent awaitEvent(String part) {
        Instant deadline = Instant.now().plus(Eventually.DEADLINE);
        while (true) {
            for (ILoggingEvent event : events()) {
                if (event.getFormattedMessage().contains(part)) {
                    return event;
                }
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("no log line with '" + part + "'");
            }
            Thread.onSpinWait();
        }
    }
}
