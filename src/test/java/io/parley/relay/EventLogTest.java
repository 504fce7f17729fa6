package io.parley.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventLogTest {

    private static RelayEvent event(long seq) {
        return new RelayEvent.Said(seq, Instant.EPOCH, "agent", "m" + seq, null);
    }

    @Test
    void keepsTheNewestEventsAndKnowsWhenADiffIsPossible() {
        EventLog log = new EventLog(3);
        assertTrue(log.holdsAfter(0));
        for (long seq = 1; seq <= 5; seq++) {
            log.append(event(seq));
        }
        assertEquals(3, log.all().size());
        assertTrue(log.holdsAfter(5));
        assertTrue(log.holdsAfter(2), "3, 4, 5 are held");
        assertEquals(3, log.after(2).size());
        assertFalse(log.holdsAfter(1), "2 is gone");
        assertFalse(log.holdsAfter(6), "a tab ahead of the log must start over");
    }

    @Test
    void refusesGaps() {
        EventLog log = new EventLog(3);
        assertThrows(IllegalStateException.class, () -> log.append(event(2)));
    }
}
