package io.parley.livechat.v2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeenMessageIdsTest {

    @Test
    void seenIdsDeduplicateAndGiveTheCursor() {
        SeenMessageIds seen = new SeenMessageIds(3);
        assertTrue(seen.add(5));
        assertTrue(seen.add(3), "an older id arriving late is still new");
        assertFalse(seen.add(5));
        seen.add(6);
        seen.add(7);
        assertFalse(seen.add(2), "older than everything kept: taken as seen");
        assertEquals(7, seen.highest());
    }
}
