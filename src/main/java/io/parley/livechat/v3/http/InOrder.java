package io.parley.livechat.v3.http;

import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order they were given, on the threads that give them: the
 * first caller runs the queue, later callers only add to it. A socket's handler thus hears its
 * responses, pushes and close in order and never twice at once, without a thread of its own;
 * a task that gives another (a handler closing its socket) finds it run after it returns.
 */
final class InOrder {

    private static final Logger LOG = LoggerFactory.getLogger(InOrder.class);

    private ArrayDeque<Runnable> queue; // null while empty: thousands of idle sockets hold none
    private boolean running;

    void run(Runnable task) {
        synchronized (this) {
            if (queue == null) {
                queue = new ArrayDeque<>(4);
            }
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        while (true) {
            Runnable next;
            synchronized (this) {
                next = queue.poll();
                if (next == null) {
                    queue = null;
                    running = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                LOG.error("A handler of the LiveChat RTM socket failed", e);
            }
        }
    }
}
