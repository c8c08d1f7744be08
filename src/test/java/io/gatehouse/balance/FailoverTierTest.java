package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.markUp;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failover tiers: a lower priority gets traffic only while every host of every higher one is down,
 * draining or disabled, in every balancer type and in tenant pools; panic is judged within the tier in use.
 */
class FailoverTierTest {

    /** a, b at priority 1 (primary); c, d at priority 0 (backup); e at -5 (last resort). */
    private static List<Host> tiered() {
        return List.of(new Host("http://a:8080", 1, 1), new Host("http://b:8080", 1, 1),
                new Host("http://c:8080", 1, 0), new Host("http://d:8080", 1, 0), new Host("http://e:8080", 1, -5));
    }

    private static Set<String> picked(Balancer b, int picks) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < picks; i++) {
            seen.add(name(b.pick(Fixtures.Request.ip("10.0.0." + i))));
        }
        return seen;
    }

    private static HashKey keyFor(BalancerType type) {
        return type == BalancerType.CONSISTENT_HASH ? HashKey.CLIENT_IP : null;
    }

    @Test
    void everyTypeUsesOnlyTheHighestTierWithAHealthyHost() {
        for (BalancerType type : BalancerType.values()) {
            HostRegistry r = new HostRegistry();
            List<Host> h = tiered();
            Balancer b = Balancer.create(type, h, keyFor(type), r, PoolHealth.PASSIVE_ONLY);
            assertEquals(Set.of("a", "b"), picked(b, 100), type + " all up");

            markDown(r, h.get(0));
            assertEquals(Set.of("b"), picked(b, 100), type + " one primary down");

            markDown(r, h.get(1));
            assertEquals(Set.of("c", "d"), picked(b, 100), type + " primary tier down");

            r.admin(Map.of(h.get(2).url(), AdminState.DRAINING, h.get(3).url(), AdminState.DISABLED));
            assertEquals(Set.of("e"), picked(b, 100), type + " backup tier taken out by the operator");

            markDown(r, h.get(4));
            assertNull(b.pick(RequestAttributes.NONE), type + " nothing left, no panic");

            r.admin(Map.of());
            assertEquals(Set.of("c", "d"), picked(b, 100), type + " backup tier back");

            markUp(r, h.get(1));
            assertEquals(Set.of("b"), picked(b, 100), type + " a primary host healthy again takes it all back");
        }
    }

    @Test
    void smoothWrrRestartsExactlyOnTheTierInUse() {
        HostRegistry r = new HostRegistry();
        List<Host> h = List.of(new Host("http://a:8080", 3, 10), new Host("http://b:8080", 1, 10),
                new Host("http://c:8080", 2, 0), new Host("http://d:8080", 1, 0));
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, r, PoolHealth.PASSIVE_ONLY);
        assertEquals("a a b a a a b a", sequence(wrr, 8));
        markDown(r, h.get(0));
        markDown(r, h.get(1));
        assertEquals("c d c c d c", sequence(wrr, 6));
        markUp(r, h.get(0));
        assertEquals("a a a", sequence(wrr, 3));
    }

    @Test
    void hashKeysStayOnTheirHostWithinATier() {
        HostRegistry r = new HostRegistry();
        List<Host> h = tiered();
        Balancer ring = Balancer.create(BalancerType.CONSISTENT_HASH, h, HashKey.CLIENT_IP, r, PoolHealth.PASSIVE_ONLY);
        // the backup tier's own ring: a pool of c and d alone maps every key the same way
        Balancer backupOnly = Balancer.create(BalancerType.CONSISTENT_HASH, h.subList(2, 4), HashKey.CLIENT_IP,
                new HostRegistry(), PoolHealth.PASSIVE_ONLY);
        Balancer primaryOnly = Balancer.create(BalancerType.CONSISTENT_HASH, h.subList(0, 2), HashKey.CLIENT_IP,
                new HostRegistry(), PoolHealth.PASSIVE_ONLY);
        Map<String, String> before = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            Fixtures.Request req = Fixtures.Request.ip("10.1.0." + i);
            before.put(req.ip, name(ring.pick(req)));
            assertEquals(name(primaryOnly.pick(req)), before.get(req.ip));
        }
        markDown(r, h.get(0));
        markDown(r, h.get(1));
        for (int i = 0; i < 200; i++) {
            Fixtures.Request req = Fixtures.Request.ip("10.1.0." + i);
            assertEquals(name(backupOnly.pick(req)), name(ring.pick(req)), req.ip);
        }
        markUp(r, h.get(0));
        markUp(r, h.get(1));
        for (int i = 0; i < 200; i++) {
            Fixtures.Request req = Fixtures.Request.ip("10.1.0." + i);
            assertEquals(before.get(req.ip), name(ring.pick(req)), "back on the primary tier: " + req.ip);
        }
    }

    @Test
    void aSpareTierIsPreferredToPanicAndTheHighestTierPanicsOnlyWhenNoTierIsHealthy() {
        HostRegistry r = new HostRegistry();
        List<Host> h = tiered();
        PoolHealth panic50 = new PoolHealth(null, 50, 3, 2);
        Balancer rr = Balancer.create(BalancerType.ROUND_ROBIN, h, null, r, panic50);
        markDown(r, h.get(0)); // primary at 50 %: not below the threshold
        assertEquals(Set.of("b"), picked(rr, 50));
        assertEquals(false, rr.inPanic());

        // a pool whose primary tier is 25 % healthy: no panic while the backup tier has a healthy host
        List<Host> four = new ArrayList<>(List.of(new Host("http://p1:8080", 1, 1), new Host("http://p2:8080", 1, 1),
                new Host("http://p3:8080", 1, 1), new Host("http://p4:8080", 1, 1), new Host("http://s:8080", 1, 0)));
        Balancer b = Balancer.create(BalancerType.ROUND_ROBIN, four, null, r, panic50);
        for (int i = 1; i < 4; i++) {
            markDown(r, four.get(i));
        }
        assertEquals("p1 p1 p1", sequence(b, 3));
        assertEquals(false, b.inPanic());
        markDown(r, four.get(4)); // no healthy host below: the tier in use panics over its own hosts
        assertTrue(b.inPanic());
        assertEquals(Set.of("p1", "p2", "p3", "p4"), picked(b, 40));
        markDown(r, four.get(0)); // nothing healthy anywhere: the highest tier panics
        assertTrue(b.inPanic());
        assertEquals(Set.of("p1", "p2", "p3", "p4"), picked(b, 40));
    }

    @Test
    void tenantPoolsHaveTheirOwnTiers() {
        HostRegistry r = new HostRegistry();
        List<Host> defaults = List.of(new Host("http://a:8080", 1));
        List<Host> acme = List.of(new Host("http://t1:8080", 1, 1), new Host("http://t2:8080", 1, 0));
        PoolSet pools = PoolSet.of(BalancerType.LEAST_CONN, defaults, Map.of("acme", acme), TenantFallback.DEFAULT,
                null, r, PoolHealth.PASSIVE_ONLY);
        assertEquals("t1", name(pools.pick("acme", RequestAttributes.NONE)));
        markDown(r, acme.get(0));
        assertEquals("t2", name(pools.pick("acme", RequestAttributes.NONE)));
        markDown(r, acme.get(1));
        assertEquals("a", name(pools.pick("acme", RequestAttributes.NONE)), "every tier down: the default hosts");
        markUp(r, acme.get(0));
        assertEquals("t1", name(pools.pick("acme", RequestAttributes.NONE)));
    }
}
