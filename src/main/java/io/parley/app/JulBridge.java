package io.parley.app;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging to SLF4J, where the WAR packs jul-to-slf4j; an application that adds
 * Parley's jar does not get it, and keeps its own logging. Records then appear once, in
 * Parley's format, instead of also on the container's console handler. Undone at stop, handlers
 * given back, so that a redeployed Parley leaves nothing of itself behind in the JVM.
 */
final class JulBridge implements AutoCloseable {

    private final Handler[] replaced;

    private JulBridge(Handler[] replaced) {
        this.replaced = replaced;
    }

    /** Installs the bridge unless jul-to-slf4j is absent or a bridge is in place already. */
    static AutoCloseable installIfPackaged() {
        try {
            Class.forName("org.slf4j.bridge.SLF4JBridgeHandler", false, JulBridge.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return () -> { };
        }
        return install();
    }

    private static AutoCloseable install() {
        if (SLF4JBridgeHandler.isInstalled()) {
            return () -> { };
        }
        Logger root = LogManager.getLogManager().getLogger("");
        Handler[] handlers = root.getHandlers();
        for (Handler handler : handlers) {
            root.removeHandler(handler);
        }
        SLF4JBridgeHandler.install();
        return new JulBridge(handlers);
    }

    @Override
    public void close() {
        SLF4JBridgeHandler.uninstall();
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : replaced) {
            root.addHandler(handler);
        }
    }
}
