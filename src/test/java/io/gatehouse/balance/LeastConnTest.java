package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LeastConnTest {

    private final HostRegistry registry = new HostRegistry();

    private Balancer lc(List<Host> hosts) {
        return Balancer.create(BalancerType.LEAST_CONN, hosts, null, registry);
    }

    private void inFlight(Balancer b, Host h, int n) {
        for (int i = 0; i < n; i++) {
            b.onStart(h);
        }
    }

    @Test
    void idleEqualHostsAreTakenInTurn() {
        assertEquals("a b c a b c", sequence(lc(hosts(1, 1, 1)), 6));
    }

    @Test
    void lowestInFlightPlusOneOverWeightWins() {
        List<Host> h = hosts(1, 1, 1);
        Balancer b = lc(h);
        inFlight(b, h.get(0), 2);
        inFlight(b, h.get(1), 1);
        inFlight(b, h.get(2), 3);
        for (int i = 0; i < 5; i++) {
            assertEquals("b", name(b.pick(RequestAttributes.NONE)));
        }
    }

    @Test
    void weightDividesTheLoad() {
        List<Host> h = hosts(1, 4);
        Balancer b = lc(h);
        // idle: a = 1/1, b = 1/4 -> b
        assertEquals("b", name(b.pick(RequestAttributes.NONE)));
        inFlight(b, h.get(1), 3); // b = 4/4 = 1, a = 1/1 = 1: a tie, broken in turn
        String first = name(b.pick(RequestAttributes.NONE));
        String second = name(b.pick(RequestAttributes.NONE));
        assertEquals(Set.of("a", "b"), Set.of(first, second));
        inFlight(b, h.get(1), 1); // b = 5/4 > a = 1
        assertEquals("a a a", sequence(b, 3));
        inFlight(b, h.get(0), 1); // a = 2/1 > b = 5/4
        assertEquals("b", name(b.pick(RequestAttributes.NONE)));
    }

    @Test
    void endingARequestLowersTheCount() {
        List<Host> h = hosts(1, 1);
        Balancer b = lc(h);
        inFlight(b, h.get(0), 2);
        inFlight(b, h.get(1), 1);
        assertEquals("b b", sequence(b, 2));
        b.onEnd(h.get(0), 1_000_000);
        b.onEnd(h.get(0), 1_000_000); // a = 0 now
        assertEquals("a a", sequence(b, 2));
        assertEquals(0, registry.state(h.get(0).url()).inFlight());
    }

    @Test
    void downHostsAreSkippedEvenWhenIdle() {
        List<Host> h = hosts(1, 1, 1);
        Balancer b = lc(h);
        inFlight(b, h.get(1), 5);
        inFlight(b, h.get(2), 5);
        markDown(registry, h.get(0));
        assertEquals("b c b c", sequence(b, 4));
        markDown(registry, h.get(1));
        markDown(registry, h.get(2));
        assertNull(b.pick(RequestAttributes.NONE));
    }

    @Test
    void countsOutliveARecompile() {
        List<Host> h = hosts(1, 1);
        Balancer before = lc(h);
        inFlight(before, h.get(0), 3);
        Balancer after = lc(h); // a publish builds a new balancer over the same registry
        assertEquals("b b b", sequence(after, 3));
        after.onEnd(h.get(0), 0); // a request started under the old snapshot ends
        assertEquals(2, registry.state(h.get(0).url()).inFlight());
    }

    @Test
    void retryExcludesTheTriedHost() {
        List<Host> h = hosts(1, 1);
        Balancer b = lc(h);
        inFlight(b, h.get(1), 9);
        assertEquals("b", name(b.pick(RequestAttributes.NONE, Set.of(h.get(0).url()))));
    }
}
