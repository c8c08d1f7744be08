package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LeastResponseTimeTest {

    private static final long MS = 1_000_000L;

    private final Fixtures.Clock clock = new Fixtures.Clock();
    private final HostRegistry registry = new HostRegistry(clock::get);

    private Balancer lrt(List<Host> hosts) {
        return Balancer.create(BalancerType.LEAST_RESPONSE_TIME, hosts, null, registry);
    }

    private void sample(Balancer b, Host h, long latencyMs) {
        b.onStart(h);
        b.onEnd(h, latencyMs * MS);
    }

    @Test
    void untriedHostsComeFirstInTurn() {
        List<Host> h = hosts(1, 1, 1);
        Balancer b = lrt(h);
        sample(b, h.get(0), 1); // a is fast, but b and c have never been tried
        assertEquals("b c b c", sequence(b, 4));
        sample(b, h.get(1), 50);
        assertEquals("c c", sequence(b, 2));
        sample(b, h.get(2), 20);
        assertEquals("a a a", sequence(b, 3));
    }

    @Test
    void anUntriedHostTakesOneProbeAtATimeNotTheWholeBurst() {
        List<Host> h = hosts(1, 1);
        Balancer b = lrt(h);
        sample(b, h.get(0), 10);
        Host probe = b.pick(RequestAttributes.NONE);
        assertEquals("b", name(probe));
        b.onStart(probe); // its first answer has not arrived yet
        assertEquals("a a a", sequence(b, 3));
        b.onEnd(probe, 5 * MS);
        assertEquals("b b", sequence(b, 2)); // now tried, and faster
    }

    @Test
    void aFreshPoolSpreadsProbesByInFlight() {
        List<Host> h = hosts(1, 1);
        Balancer b = lrt(h);
        for (int i = 0; i < 4; i++) {
            b.onStart(b.pick(RequestAttributes.NONE));
        }
        assertEquals(2, registry.state(h.get(0).url()).inFlight());
        assertEquals(2, registry.state(h.get(1).url()).inFlight());
    }

    @Test
    void lowestEwmaOverWeightWins() {
        List<Host> h = hosts(1, 4);
        Balancer b = lrt(h);
        sample(b, h.get(0), 10); // 10 / 1 = 10
        sample(b, h.get(1), 30); // 30 / 4 = 7.5
        assertEquals("b b", sequence(b, 2));
        clock.advanceMillis(1);
        sample(b, h.get(1), 1_000_000); // 30 * 0.9999 + 1e6 * 0.0001 = 130 ms: 32.5 per weight
        assertEquals("a a", sequence(b, 2));
    }

    @Test
    void ewmaIsTimeWeightedWithATenSecondDecay() {
        List<Host> h = hosts(1);
        Balancer b = lrt(h);
        HostState s = registry.state(h.get(0).url());
        sample(b, h.get(0), 100);
        assertEquals(100.0 * MS, s.ewmaNanos(), 1e-6);
        clock.advanceMillis(10_000); // one decay time later a 200 ms sample weighs 1 - 1/e
        sample(b, h.get(0), 200);
        double expected = 100 * Math.exp(-1) + 200 * (1 - Math.exp(-1));
        assertEquals(expected * MS, s.ewmaNanos(), 1e-3);
        clock.advanceMillis(10_000); // and unused, it decays toward zero: a slow host is probed again later
        assertEquals(expected * Math.exp(-1) * MS, s.ewmaNanos(), 1e-3);
    }

    @Test
    void anIdleSlowHostIsTriedAgainOnceItsAverageHasDecayed() {
        List<Host> h = hosts(1, 1);
        Balancer b = lrt(h);
        sample(b, h.get(0), 10);
        sample(b, h.get(1), 100);
        assertEquals("a", name(b.pick(RequestAttributes.NONE)));
        for (int second = 0; second < 30; second++) { // a keeps answering in 10 ms, b gets nothing
            clock.advanceMillis(1000);
            sample(b, h.get(0), 10);
        }
        // b: 100 ms * exp(-3) ~ 5 ms < 10 ms
        assertEquals("b", name(b.pick(RequestAttributes.NONE)));
    }

    @Test
    void downHostsAreSkipped() {
        List<Host> h = hosts(1, 1);
        Balancer b = lrt(h);
        sample(b, h.get(0), 1);
        sample(b, h.get(1), 100);
        markDown(registry, h.get(0));
        assertEquals("b b", sequence(b, 2));
        markDown(registry, h.get(1));
        assertNull(b.pick(RequestAttributes.NONE));
    }

    @Test
    void latencyOutlivesARecompile() {
        List<Host> h = hosts(1, 1);
        Balancer before = lrt(h);
        sample(before, h.get(0), 5);
        sample(before, h.get(1), 50);
        assertEquals("a a", sequence(lrt(h), 2));
    }
}
