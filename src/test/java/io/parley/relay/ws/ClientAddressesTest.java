package io.parley.relay.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientAddressesTest {

    @Test
    void anIpv6AddressCountsByItsSlash64AndAnythingElseAsItIs() {
        assertEquals("2001:db8:85a3:1::/64", ClientAddresses.limitKey("2001:db8:85a3:1:8a2e:370:7334:1"));
        assertEquals("2001:db8:85a3:1::/64", ClientAddresses.limitKey("[2001:DB8:85A3:1::99]"));
        assertEquals("fe80:0:0:0::/64", ClientAddresses.limitKey("fe80::1%eth0"));
        assertEquals("192.0.2.7", ClientAddresses.limitKey("::ffff:192.0.2.7"), "an IPv4-mapped address is the IPv4 one");
        assertEquals("192.0.2.7", ClientAddresses.limitKey("192.0.2.7"));
        assertEquals("not:an:address:zz", ClientAddresses.limitKey("not:an:address:zz"));
        assertEquals("proxy.example", ClientAddresses.limitKey("proxy.example"), "never looked up");
    }
}
