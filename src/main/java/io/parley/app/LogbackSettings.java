package io.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import io.parley.settings.Settings;
import java.util.Iterator;
import org.slf4j.LoggerFactory;

/**
 * The WAR's own Logback: applies {@code log-format} and {@code log-level} given where its file
 * cannot see them (servlet context parameters; {@code logback.xml} reads environment variables
 * and system properties as it starts, before Parley does), and stops it with Parley. Only touches
 * the configuration marked by the context property {@code parley.logging}; never that of an
 * application that adds the jar.
 */
final class LogbackSettings {

    /** One line per event, as {@code parley-logback-text.xml} writes it but without its folding of stack traces. */
    private static final String FALLBACK_PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{36} - %replace(%msg){'[\\r\\n]+', ' '}%n";

    private LogbackSettings() {
    }

    /**
     * Applies the settings if Logback is the backend and configured by Parley's file. Call only
     * where Logback's classes are present ({@link LoggingSetup}): this class cannot even load
     * without them.
     */
    static void applyIfOwn(Settings settings) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(settings, context);
        }
    }

    /**
     * Stops Logback if it runs on Parley's own configuration, releasing its threads and files
     * with the application (Logback's own initializer, which would do so, is turned off in
     * {@code web.xml}, as it might stop before Parley's last lines are written).
     */
    static void stopIfOwn() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && "own".equals(context.getProperty("parley.logging"))) {
            context.stop();
        }
    }

    /**
     * Gives the WAR's own Logback a console appender if it has none: {@code logback.xml} picks
     * its appender by the {@code PARLEY_LOG_FORMAT} variable or property, so an unknown format
     * leaves it with nowhere to write, and the line saying that the setting is wrong would be
     * lost. Call before the settings are read.
     */
    static void ensureOutputIfOwn() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            ensureOutput(context);
        }
    }

    static void ensureOutput(LoggerContext context) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!"own".equals(context.getProperty("parley.logging")) || root.iteratorForAppenders().hasNext()) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(FALLBACK_PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> text = new ConsoleAppender<>();
        text.setName("text");
        text.setContext(context);
        text.setEncoder(encoder);
        text.start();
        root.addAppender(text);
    }

    static void apply(Settings settings, LoggerContext context) {
        if (!"own".equals(context.getProperty("parley.logging"))) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        settings.logLevel().ifPresent(level -> root.setLevel(Level.toLevel(level)));
        settings.logFormat().ifPresent(format -> {
            Iterator<Appender<ILoggingEvent>> appenders = root.iteratorForAppenders();
            Appender<ILoggingEvent> current = appenders.hasNext() ? appenders.next() : null;
            // Only json is built here: text is the file's default, so a text setting is in force
            // already unless an environment variable or system property asked for json.
            if (current == null || current.getName().equals(format) || !format.equals("json")) {
                return;
            }
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.start();
            ConsoleAppender<ILoggingEvent> json = new ConsoleAppender<>();
            json.setName("json");
            json.setContext(context);
            json.setEncoder(encoder);
            json.start();
            root.addAppender(json);
            root.detachAppender(current);
            current.stop();
        });
    }
}
