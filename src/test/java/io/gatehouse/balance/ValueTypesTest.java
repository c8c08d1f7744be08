package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValueTypesTest {

    @Test
    void hostChecksUrlAndWeight() {
        new Host("http://10.0.0.1:8000", 1);
        new Host("https://api.example.com", 10_000);
        assertThrows(IllegalArgumentException.class, () -> new Host("http://a:80", 0));
        assertThrows(IllegalArgumentException.class, () -> new Host("http://a:80", 10_001));
        assertThrows(IllegalArgumentException.class, () -> new Host("http://a:80/path", 1));
        assertThrows(IllegalArgumentException.class, () -> new Host("http://user@a:80", 1));
        assertThrows(IllegalArgumentException.class, () -> new Host("a:80", 1));
        assertThrows(NullPointerException.class, () -> new Host(null, 1));
    }

    @Test
    void wireNamesRoundTrip() {
        for (BalancerType t : BalancerType.values()) {
            assertEquals(t, BalancerType.fromWireName(t.wireName()));
        }
        assertEquals("weighted_round_robin", BalancerType.WEIGHTED_ROUND_ROBIN.wireName());
        assertEquals("least_response_time", BalancerType.LEAST_RESPONSE_TIME.wireName());
        assertEquals("random", BalancerType.RANDOM.wireName());
        assertThrows(IllegalArgumentException.class, () -> BalancerType.fromWireName("ROUND_ROBIN"));
        assertEquals(TenantFallback.DEFAULT, TenantFallback.fromWireName("default"));
        assertEquals(HashKey.On.COOKIE, HashKey.On.fromWireName("cookie"));
    }

    @Test
    void hashKeyNeedsANameForHeaderAndCookie() {
        assertThrows(IllegalArgumentException.class, () -> new HashKey(HashKey.On.HEADER, null, 150));
        assertThrows(IllegalArgumentException.class, () -> new HashKey(HashKey.On.COOKIE, " ", 150));
        assertThrows(IllegalArgumentException.class, () -> new HashKey(HashKey.On.IP, null, 0));
        assertNull(new HashKey(HashKey.On.PATH, "ignored", 150).name());
    }

    @Test
    void hashKeyFallsBackToClientIp() {
        KeySource header = new HashKey(HashKey.On.HEADER, "X-User-Id", 150).source();
        assertEquals("u1", header.keyOf(Fixtures.Request.ip("1.2.3.4").header("x-user-id", "u1")));
        assertEquals("1.2.3.4", header.keyOf(Fixtures.Request.ip("1.2.3.4")));
        KeySource cookie = new HashKey(HashKey.On.COOKIE, "sid", 150).source();
        assertEquals("s", cookie.keyOf(Fixtures.Request.ip("1.2.3.4").cookie("sid", "s")));
        assertEquals("1.2.3.4", cookie.keyOf(Fixtures.Request.ip("1.2.3.4")));
        KeySource path = new HashKey(HashKey.On.PATH, null, 150).source();
        assertEquals("/x", path.keyOf(Fixtures.Request.ip("1.2.3.4").path("/x")));
        assertEquals("1.2.3.4", HashKey.CLIENT_IP.source().keyOf(Fixtures.Request.ip("1.2.3.4")));
    }

    @Test
    void duplicateHostsAreRejected() {
        HostRegistry registry = new HostRegistry();
        List<Host> dup = List.of(new Host("http://a:1", 1), new Host("http://a:1", 2));
        for (BalancerType t : BalancerType.values()) {
            assertThrows(IllegalArgumentException.class, () -> Balancer.create(t, dup, null, registry));
        }
    }

    @Test
    void emptyPoolPicksNothing() {
        HostRegistry registry = new HostRegistry();
        for (BalancerType t : BalancerType.values()) {
            Balancer b = Balancer.create(t, List.of(), null, registry);
            assertNull(b.pick(RequestAttributes.NONE), t.wireName());
            assertEquals(t, b.type());
        }
    }
}
