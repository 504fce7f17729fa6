package io.parley.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OpenConnectionsTest {

    @Test
    void eachAddressHoldsAtMostItsShareAndGetsItBackOnClose() {
        OpenConnections open = new OpenConnections(2);
        assertTrue(open.open("10.0.0.1"));
        assertTrue(open.open("10.0.0.1"));
        assertFalse(open.open("10.0.0.1"));
        assertTrue(open.open("10.0.0.2"), "another address is not crowded out");
        open.closed("10.0.0.1");
        assertTrue(open.open("10.0.0.1"));
        open.closed("10.0.0.1");
        open.closed("10.0.0.1");
        open.closed("10.0.0.2");
        assertEquals(0, open.of("10.0.0.1"));
        open.closed("10.0.0.1"); // a close never counted does not go below nothing
        assertEquals(0, open.of("10.0.0.1"));
    }
}
