package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operators' host states: draining and disabled hosts get no new requests in any balancer, not even in panic. */
class AdminStateTest {

    private final HostRegistries registries = new HostRegistries();

    private static Map<String, Map<String, AdminState>> draining(String gateway, Host... hosts) {
        Map<String, AdminState> byUrl = new java.util.HashMap<>();
        for (Host h : hosts) {
            byUrl.put(h.url(), AdminState.DRAINING);
        }
        return Map.of(gateway, byUrl);
    }

    @Test
    void aDrainingHostLeavesTheSmoothSequenceAtOnceAndComesBackExactly() {
        List<Host> h = hosts(5, 1, 1);
        HostRegistry registry = registries.of("shop", "prod");
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, registry, PoolHealth.PASSIVE_ONLY);
        assertEquals("a a b a c a a", sequence(wrr, 7));

        registries.admin(draining("shop", h.get(0)));
        assertEquals("b c b c b c", sequence(wrr, 6));

        registries.admin(Map.of());
        assertEquals("a a b a c a a a a b a c a a", sequence(wrr, 14));
    }

    @Test
    void everyBalancerTypeSkipsADisabledHost() {
        for (BalancerType type : BalancerType.values()) {
            HostRegistries own = new HostRegistries();
            List<Host> h = hosts(1, 1, 1);
            HashKey key = type == BalancerType.CONSISTENT_HASH ? HashKey.CLIENT_IP : null;
            Balancer b = Balancer.create(type, h, key, own.of("shop", "prod"), PoolHealth.PASSIVE_ONLY);
            own.admin(Map.of("shop", Map.of(h.get(1).url(), AdminState.DISABLED)));
            for (int i = 0; i < 60; i++) {
                Host picked = b.pick(Fixtures.Request.ip("10.0.0." + i));
                assertNotEquals("b", name(picked), type + " picked the disabled host");
            }
        }
    }

    @Test
    void aConsistentHashKeyMovesToTheNextHostWhileItsHostDrainsAndComesBack() {
        List<Host> h = hosts(1, 1, 1);
        HostRegistry registry = registries.of("shop", "prod");
        Balancer ring = Balancer.create(BalancerType.CONSISTENT_HASH, h, HashKey.CLIENT_IP, registry, PoolHealth.PASSIVE_ONLY);
        Map<String, Host> before = new java.util.HashMap<>();
        for (int i = 0; i < 100; i++) {
            before.put("10.1.0." + i, ring.pick(Fixtures.Request.ip("10.1.0." + i)));
        }
        Host drained = h.get(0);
        registries.admin(draining("shop", drained));
        for (var e : before.entrySet()) {
            Host now = ring.pick(Fixtures.Request.ip(e.getKey()));
            if (e.getValue().equals(drained)) {
                assertNotEquals(drained, now);
            } else {
                assertEquals(e.getValue(), now, "keys of other hosts never move");
            }
        }
        registries.admin(Map.of());
        before.forEach((ip, host) -> assertEquals(host, ring.pick(Fixtures.Request.ip(ip))));
    }

    @Test
    void panicNeverSpreadsOntoDrainedHostsAndAllDrainedSaysSo() {
        List<Host> h = hosts(1, 1, 1, 1);
        HostRegistry registry = registries.of("shop", "prod");
        PoolHealth panic50 = new PoolHealth(null, 50, 1, 1);
        PoolSet pools = PoolSet.of(BalancerType.ROUND_ROBIN, h, Map.of(), TenantFallback.FAIL, null, registry, panic50);
        // c and d drained; a down: 1 of the 2 hosts left in is healthy, 50 % is not below 50: no panic, only b.
        registries.admin(Map.of("shop", Map.of(h.get(2).url(), AdminState.DRAINING, h.get(3).url(), AdminState.DISABLED)));
        markDown(registry, h.get(0));
        assertFalse(pools.defaults().inPanic());
        for (int i = 0; i < 4; i++) {
            assertEquals("b", name(pools.pick(null, RequestAttributes.NONE)));
        }
        // b down too: panic over the hosts left in (a and b), never c or d.
        markDown(registry, h.get(1));
        assertTrue(pools.defaults().inPanic());
        for (int i = 0; i < 8; i++) {
            String picked = name(pools.pick(null, RequestAttributes.NONE));
            assertTrue(picked.equals("a") || picked.equals("b"), picked);
        }
        // Every host drained or disabled: no host, and the 503 says why.
        registries.admin(Map.of("shop", Map.of(h.get(0).url(), AdminState.DRAINING, h.get(1).url(), AdminState.DRAINING,
                h.get(2).url(), AdminState.DRAINING, h.get(3).url(), AdminState.DISABLED)));
        assertNull(pools.pick(null, RequestAttributes.NONE));
        PoolSet.Pick pick = pools.choose(null, RequestAttributes.NONE, java.util.Set.of());
        PoolSet.NoHost none = assertInstanceOf(PoolSet.NoHost.class, pick);
        assertEquals("every host of the default hosts is draining or disabled", none.detail());
    }

    @Test
    void statesArePerGatewayAndReachStatesCreatedLater() {
        List<Host> h = hosts(1, 1);
        registries.admin(draining("shop", h.get(0)));
        // Registries of the gateway's stages created after the state was set get it too; another gateway does not.
        Balancer shopTest = Balancer.create(BalancerType.ROUND_ROBIN, h, null, registries.of("shop", "test"), PoolHealth.PASSIVE_ONLY);
        Balancer other = Balancer.create(BalancerType.ROUND_ROBIN, h, null, registries.of("other", "prod"), PoolHealth.PASSIVE_ONLY);
        assertEquals("b b b b", sequence(shopTest, 4));
        assertEquals("a b a b", sequence(other, 4));
        assertEquals(AdminState.DRAINING, registries.of("shop", "test").state(h.get(0).url()).admin());
    }
}
