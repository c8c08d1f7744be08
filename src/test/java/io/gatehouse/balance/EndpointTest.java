package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A host carries its parsed URL: what the proxy connects to, verifies and sends as Host, read per request. */
class EndpointTest {

    @Test
    void aConfiguredHostIsReachedAtItsUrl() {
        Endpoint plain = new Host("http://a:80", 1).endpoint();
        assertEquals("a", plain.address());
        assertEquals(80, plain.port());
        assertFalse(plain.tls());
        assertNull(plain.serverName());
        assertEquals("a", plain.authority()); // the scheme's default port is left out of Host

        Endpoint tls = new Host("https://api.example.com", 1).endpoint();
        assertEquals("api.example.com", tls.address());
        assertEquals(443, tls.port());
        assertTrue(tls.tls());
        assertEquals("api.example.com", tls.serverName());
        assertEquals("api.example.com", tls.authority());

        Endpoint v6 = new Host("http://[::1]:8080", 1).endpoint();
        assertEquals("::1", v6.address()); // connected to without brackets
        assertEquals("::1", v6.name());
        assertEquals(8080, v6.port());
        assertEquals("[::1]:8080", v6.authority());

        assertEquals("[fd00::5]", new Host("https://[fd00::5]", 1).endpoint().authority());
    }

    @Test
    void aDiscoveredAddressIsConnectedToWhileTheNameStaysHostAndTlsName() {
        Endpoint e = new Host("https://svc.internal:8443", 2).at("10.0.0.7").endpoint();
        assertEquals("10.0.0.7", e.address());
        assertEquals(8443, e.port());
        assertEquals("svc.internal", e.serverName());
        assertEquals("svc.internal:8443", e.authority());
    }

    @Test
    void endpointsAreEqualWhenTheirConnectionsAreInterchangeable() {
        // Plain HTTP: one connection serves any name at the same address and port (the pool's key).
        Endpoint a = new Host("http://a.example:8080", 1).at("10.0.0.1").endpoint();
        Endpoint b = new Host("http://b.example:8080", 1).at("10.0.0.1").endpoint();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a.authority(), b.authority());
        // TLS: the certificate is checked against the name, so the name is part of it.
        assertNotEquals(new Host("https://a.example:8443", 1).at("10.0.0.1").endpoint(),
                new Host("https://b.example:8443", 1).at("10.0.0.1").endpoint());
        assertNotEquals(a, new Host("http://a.example:8081", 1).at("10.0.0.1").endpoint());
    }

    @Test
    void aHostTakesNoEndpointButItsOwn() {
        Endpoint other = new Host("http://b:80", 1).endpoint();
        assertThrows(IllegalArgumentException.class, () -> new Host("http://a:80", 1, 0, null, "http://a:80", other));
        Endpoint own = new Host("http://a:80", 1).endpoint();
        assertEquals(own, new Host("http://a:80", 1, 0, null, "http://a:80", own).endpoint());
        assertThrows(IllegalArgumentException.class, () -> new Host("http://a:port", 1));
    }
}
