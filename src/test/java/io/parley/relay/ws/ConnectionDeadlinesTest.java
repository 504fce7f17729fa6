package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.parley.limits.Refusals;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The deadlines alone, on a clock of the test's own. */
class ConnectionDeadlinesTest {

    private static final class Connection implements ConnectionDeadlines.Watched {
        final long openedAt;
        long lastFrameAt;
        boolean hello;
        Refusals.Reason cut;
        int cuts;

        Connection(long openedAt) {
            this.openedAt = this.lastFrameAt = openedAt;
        }

        @Override
        public long openedAt() {
            return openedAt;
        }

        @Override
        public long lastFrameAt() {
            return lastFrameAt;
        }

        @Override
        public boolean helloSaid() {
            return hello;
        }

        @Override
        public void cut(Refusals.Reason why) {
            cut = why;
            cuts++;
        }
    }

    private final ConnectionDeadlines deadlines = new ConnectionDeadlines(Duration.ofSeconds(10), Duration.ofMinutes(2));

    @Test
    void aConnectionThatNeverSaysHelloIsCutAfterTheHelloTimeoutEvenIfItPings() {
        Connection silent = new Connection(0);
        deadlines.opened(silent);
        silent.lastFrameAt = 9_000; // a ping
        deadlines.check(9_999);
        assertNull(silent.cut);
        deadlines.check(10_000);
        assertEquals(Refusals.Reason.HELLO_TIMEOUT, silent.cut);
        deadlines.check(20_000);
        assertEquals(1, silent.cuts, "cut once");
        assertEquals(0, deadlines.size());
    }

    @Test
    void aFrameTrickledByteByByteNeverCompletesAndTheConnectionIsCutAtTheIdleDeadline() {
        Connection trickling = new Connection(0);
        trickling.hello = true;
        deadlines.opened(trickling);
        // Bytes keep arriving (the container's idle timeout never fires), but no whole frame.
        for (long t = 0; t < Duration.ofMinutes(2).toMillis(); t += 1000) {
            deadlines.check(t);
        }
        assertNull(trickling.cut);
        deadlines.check(Duration.ofMinutes(2).toMillis());
        assertEquals(Refusals.Reason.IDLE, trickling.cut);
    }

    @Test
    void aTabThatPingsStaysAndAClosedOneIsForgotten() {
        Connection tab = new Connection(0);
        tab.hello = true;
        deadlines.opened(tab);
        for (long t = 30_000; t <= 600_000; t += 30_000) {
            tab.lastFrameAt = t;
            deadlines.check(t + 29_999);
        }
        assertNull(tab.cut);
        deadlines.closed(tab);
        assertEquals(0, deadlines.size());
        deadlines.check(Long.MAX_VALUE / 2);
        assertNull(tab.cut);
    }
}
