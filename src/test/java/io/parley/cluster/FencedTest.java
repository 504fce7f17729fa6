package io.parley.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.AbstractMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The changes to shared records, as the partition owner runs them: only the node that claimed a
 * record last, under its epoch, may write or remove it; a claim raises the epoch.
 */
class FencedTest {

    private final Map.Entry<String, Held> entry = new AbstractMap.SimpleEntry<>("key", null);

    @Test
    void aNewConversationIsWrittenUnderTheFirstEpochAndOnlyItsWriterWritesItAgain() {
        assertEquals(1L, new Fenced.Write("a", 0, "{1}").process(entry));
        assertEquals(new Held("a", 1, "{1}"), entry.getValue());
        assertEquals(1L, new Fenced.Write("a", 1, "{2}").process(entry));
        assertEquals("{2}", entry.getValue().json());
        // another node's conversation of the same key, new there: refused, nothing changed
        assertEquals(Fenced.REFUSED, new Fenced.Write("b", 0, "{b}").process(entry).longValue());
        assertEquals(Fenced.REFUSED, new Fenced.Write("b", 1, "{b}").process(entry).longValue());
        assertEquals("{2}", entry.getValue().json());
    }

    @Test
    void aClaimRaisesTheEpochSoThatTheNodeItWasTakenFromWritesNothingMore() {
        new Fenced.Write("a", 0, "{1}").process(entry);
        Held before = new Fenced.Claim("b").process(entry);
        assertEquals(new Held("a", 1, "{1}"), before); // the previous holder: failover or handover
        assertEquals(new Held("b", 2, "{1}"), entry.getValue());
        // a frozen node that wakes up, still believing it drives the conversation
        assertEquals(Fenced.REFUSED, new Fenced.Write("a", 1, "{stale}").process(entry).longValue());
        assertFalse(new Fenced.Remove("a", 1).process(entry));
        assertEquals("{1}", entry.getValue().json());
        assertEquals(2L, new Fenced.Write("b", 2, "{3}").process(entry));
        assertTrue(new Fenced.Remove("b", 2).process(entry));
        assertNull(entry.getValue());
        assertNull(new Fenced.Claim("c").process(entry)); // nothing to claim
        // a record its driver removed (the chat ended) is not brought back by a late write
        assertEquals(Fenced.REFUSED, new Fenced.Write("b", 2, "{late}").process(entry).longValue());
        assertNull(entry.getValue());
    }

    @Test
    void aRecordKeptLocallyIsOfferedOnlyWhereTheClusterHoldsNone() {
        assertTrue(new Fenced.Offer("{kept}").process(entry));
        assertEquals(new Held("", 0, "{kept}"), entry.getValue());
        assertFalse(new Fenced.Offer("{older}").process(entry));
        assertEquals(new Held("", 0, "{kept}"), new Fenced.Claim("a").process(entry));
        assertEquals(new Held("a", 1, "{kept}"), entry.getValue());
    }
}
