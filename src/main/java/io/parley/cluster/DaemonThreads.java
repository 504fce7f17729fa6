package io.parley.cluster;

import java.util.concurrent.ThreadFactory;

/** The cluster's own background threads: named for a thread dump, and never what keeps a JVM alive. */
final class DaemonThreads {

    private DaemonThreads() {
    }

    static ThreadFactory named(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
