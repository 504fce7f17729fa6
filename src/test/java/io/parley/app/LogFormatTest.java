package io.parley.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import io.parley.logs.ConversationLog;
import io.parley.settings.SettingSource;
import io.parley.settings.Settings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/** The WAR's own logging configuration, {@code logback.xml}, as an operator's log shipper reads it. */
class LogFormatTest {

    @Test
    void eachEventIsOneLineNamingItsConversation() throws Exception {
        List<String> lines = logWith(null);
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-]\\d\\d:\\d\\d) INFO  \\[[^]]+] "
                + "io\\.parley\\.example - Parley started"), lines.get(0));
        assertTrue(lines.get(1).contains(" io.parley.example conversation=k3x9 - Conversation k3x9 could not be saved: "
                + "disk full, really | java.lang.IllegalStateException: boom | at "), lines.get(1));
        assertTrue(lines.get(1).contains("Caused by: java.io.IOException: no space"), lines.get(1));
        assertTrue(lines.get(2).endsWith(" - Poll answered"), "no trailing separator without a stack trace: " + lines.get(2));
    }

    @Test
    void jsonIsOneObjectALine() throws Exception {
        List<String> lines = logWith("json");
        assertEquals(3, lines.size(), String.join("\n", lines));
        JsonObject failure = Json.createReader(new StringReader(lines.get(1))).readObject();
        assertEquals("ERROR", failure.getString("level"));
        assertEquals("k3x9", failure.getJsonObject("mdc").getString(ConversationLog.KEY));
        assertTrue(failure.getJsonObject("throwable").getString("className").endsWith("IllegalStateException"));
    }

    @Test
    void anUnknownFormatStillLeavesAPlaceToSaySo() throws Exception {
        System.setProperty("parley.log-format", "bogus");
        LoggerContext own;
        try {
            own = configured("src/main/resources/logback.xml");
        } finally {
            System.clearProperty("parley.log-format");
        }
        ch.qos.logback.classic.Logger root = own.getLogger(Logger.ROOT_LOGGER_NAME);
        assertTrue(!root.iteratorForAppenders().hasNext(), "the file finds no appender of that name");
        LogbackSettings.ensureOutput(own);
        assertEquals("text", root.iteratorForAppenders().next().getName());
        own.stop();

        LoggerContext hosts = configured("src/test/resources/logback-test.xml");
        hosts.getLogger(Logger.ROOT_LOGGER_NAME).detachAndStopAllAppenders();
        LogbackSettings.ensureOutput(hosts);
        assertTrue(!hosts.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(),
                "an application's own logging is left alone");
        hosts.stop();
    }

    @Test
    void contextParametersSetTheLevelAndFormatOfTheWarsOwnLoggingOnly() throws Exception {
        Settings settings = Settings.load(SettingSource.initParameters(
                Map.of("parley.log-format", "json", "parley.log-level", "WARN")::get,
                () -> List.of("parley.log-format", "parley.log-level")));
        LoggerContext own = configured("src/main/resources/logback.xml");
        LogbackSettings.apply(settings, own);
        ch.qos.logback.classic.Logger root = own.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        assertEquals("json", root.iteratorForAppenders().next().getName());
        own.stop();

        LoggerContext hosts = configured("src/test/resources/logback-test.xml"); // not Parley's file
        LogbackSettings.apply(settings, hosts);
        assertEquals(Level.INFO, hosts.getLogger(Logger.ROOT_LOGGER_NAME).getLevel(), "an application's own logging is left alone");
        hosts.stop();
    }

    private static LoggerContext configured(String file) throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(Path.of(file).toFile());
        return context;
    }

    /**
     * Configures a fresh Logback from the WAR's file, then writes what its root appender writes,
     * with the same encoder, to a buffer instead of the console.
     */
    @SuppressWarnings("unchecked")
    private static List<String> logWith(String format) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        LogbackMDCAdapter mdc = new LogbackMDCAdapter(); // a context of one's own needs an MDC of its own
        context.setMDCAdapter(mdc);
        try {
            if (format != null) {
                System.setProperty("parley.log-format", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
            ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.iteratorForAppenders().next();
            assertEquals(format == null ? "text" : format, console.getName());
            OutputStreamAppender<ILoggingEvent> capture = new OutputStreamAppender<>();
            capture.setContext(context);
            capture.setEncoder(console.getEncoder());
            capture.setOutputStream(captured);
            capture.start();
            root.detachAppender(console);
            root.addAppender(capture);

            Logger log = context.getLogger("io.parley.example");
            log.info("Parley started");
            mdc.put(ConversationLog.KEY, "k3x9");
            log.error("Conversation {} could not be saved: {}", "k3x9", "disk full,\nreally",
                    new IllegalStateException("boom", new IOException("no space")));
            mdc.remove(ConversationLog.KEY);
            log.info("Poll answered");
        } finally {
            context.stop();
            System.clearProperty("parley.log-format");
        }
        return captured.toString(StandardCharsets.UTF_8).lines().toList();
    }
}
