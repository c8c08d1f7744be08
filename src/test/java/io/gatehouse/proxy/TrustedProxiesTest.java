package io.gatehouse.proxy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-address walk of {@link TrustedProxies}, as nginx's real_ip_recursive and Kong's trusted_ips do it. */
class TrustedProxiesTest {
    private final TrustedProxies lbs = TrustedProxies.of(List.of("10.0.0.0/8", " 192.168.1.7 ", "fd00::/8"));

    private String client(String peer, String... forwardedFor) {
        return lbs.clientIp(peer, List.of(forwardedFor));
    }

    @Test
    void theRightMostUntrustedEntryIsTheClient() {
        assertEquals("203.0.113.7", client("10.1.2.3", "203.0.113.7"));
        // What the client wrote itself sits left of what the trusted hop appended: never chosen.
        assertEquals("203.0.113.7", client("10.1.2.3", "6.6.6.6, 203.0.113.7"));
        // Through two trusted hops, and with the chain split over two header lines.
        assertEquals("203.0.113.7", client("10.1.2.3", "6.6.6.6, 203.0.113.7", "192.168.1.7, 10.9.9.9"));
        // All trusted: the left-most.
        assertEquals("10.5.5.5", client("10.1.2.3", "10.5.5.5, 192.168.1.7"));
        // No header: the (trusted) peer itself.
        assertEquals("10.1.2.3", client("10.1.2.3"));
    }

    @Test
    void portsBracketsAndIpv6() {
        assertEquals("203.0.113.7", client("10.1.2.3", "203.0.113.7:51234"));
        assertEquals("2001:db8:0:0:0:0:0:1", client("fd00::1", "[2001:db8::1]:443"));
        assertEquals("2001:db8:0:0:0:0:0:1", client("10.1.2.3", "2001:db8::1, fd12::5"));
    }

    @Test
    void anEntryThatIsNoAddressEndsTheWalkAtTheLastTrustedHop() {
        assertEquals("10.1.2.3", client("10.1.2.3", "unknown"));
        assertEquals("10.9.9.9", client("10.1.2.3", "203.0.113.7, face.bad, 10.9.9.9"));
        assertEquals("10.1.2.3", client("10.1.2.3", "999.1.1.1"));
        assertEquals("10.1.2.3", client("10.1.2.3", ""));
    }

    @Test
    void badEntriesAreRefusedByName() {
        for (String bad : List.of("example.com", "10.0.0.0/33", "10.0.0.0/x", "fd00::/129", "10.0.0", "1.2.3.256")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.of(List.of(bad)));
            assertTrue(e.getMessage().startsWith("gatehouse.proxy.trusted-proxies: '" + bad + "'"), e.getMessage());
        }
        assertTrue(TrustedProxies.of(List.of()).isEmpty());
        assertTrue(TrustedProxies.of(List.of(" ")).isEmpty());
    }

    @Test
    void prefixLengthsAreExact() {
        TrustedProxies narrow = TrustedProxies.of(List.of("172.16.0.0/12"));
        assertEquals("1.1.1.1", narrow.clientIp("172.31.255.255", List.of("1.1.1.1")));
        // 172.32.0.1 is outside /12: the client.
        assertEquals("172.32.0.1", narrow.clientIp("172.16.0.1", List.of("172.32.0.1")));
    }
}
