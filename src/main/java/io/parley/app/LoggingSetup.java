package io.parley.app;

import io.parley.settings.Settings;

/**
 * Parley's part in its logging, which depends on how it is deployed. The WAR packs Logback and
 * jul-to-slf4j: then java.util.logging is bridged and the log settings apply. An application
 * that adds Parley's jar has neither from Parley, keeps its own logging, and nothing here runs.
 * The classes that use those libraries are touched only once they are known to be present: the
 * JVM could not even load them otherwise.
 */
final class LoggingSetup {

    private LoggingSetup() {
    }

    /** Bridges java.util.logging to SLF4J where jul-to-slf4j is packed; closing the result undoes it. */
    static AutoCloseable bridgeJavaUtilLogging() {
        return present("org.slf4j.bridge.SLF4JBridgeHandler") ? JulBridge.install() : () -> { };
    }

    /** Makes sure the WAR's own Logback writes somewhere, whatever {@code log-format} says. */
    static void ensureOutput() {
        if (present("ch.qos.logback.classic.LoggerContext")) {
            LogbackSettings.ensureOutputIfOwn();
        }
    }

    /** Applies {@code log-format} and {@code log-level} to the WAR's own Logback configuration. */
    static void apply(Settings settings) {
        if (present("ch.qos.logback.classic.LoggerContext")) {
            LogbackSettings.applyIfOwn(settings);
        }
    }

    /** Stops the WAR's own Logback, last thing, so that what Parley said while stopping is written. */
    static void stop() {
        if (present("ch.qos.logback.classic.LoggerContext")) {
            LogbackSettings.stopIfOwn();
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LoggingSetup.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
