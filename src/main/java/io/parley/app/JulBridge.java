package io.parley.app;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes java.util.logging to SLF4J. Records then appear once, in Parley's format, instead of
 * also on the container's console handler. Undone at stop, handlers given back, so that a
 * redeployed Parley leaves nothing of itself behind in the JVM. Used only where jul-to-slf4j is
 * present ({@link LoggingSetup}).
 */
final class JulBridge implements AutoCloseable {

    private final Handler[] replaced;

    private JulBridge(Handler[] replaced) {
        this.replaced = replaced;
    }

    /** Installs the bridge unless one is in place already; closing the result undoes it. */
    static AutoCloseable install() {
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
