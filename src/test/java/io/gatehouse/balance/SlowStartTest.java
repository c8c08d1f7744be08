package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slow start: a host that became usable (added, set back to active, back up) weighs 10 % of its weight,
 * rising linearly to 100 % over {@code slow_start_ms}; smooth WRR is exact over the effective weights of
 * each moment, least_conn and least_response_time divide by them too.
 */
class SlowStartTest {

    private static final PoolHealth TEN_SECONDS = new PoolHealth(null, 0, 3, 2, 10_000);

    private final Fixtures.Clock clock = new Fixtures.Clock();
    private final HostRegistry registry = new HostRegistry(clock::get);

    /** Host counts over {@code picks} picks, by short name. */
    private static Map<String, Integer> counts(Balancer b, int picks) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(name(b.pick(RequestAttributes.NONE)), 1, Integer::sum);
        }
        return counts;
    }

    /** a and b have been usable for a long time; c is added now. */
    private List<Host> cAddedNow(int... weights) {
        List<Host> h = hosts(weights);
        registry.state(h.get(0).url());
        registry.state(h.get(1).url());
        clock.advanceMillis(60_000);
        return h;
    }

    @Test
    void anAddedHostRampsAndSmoothWrrIsExactOverEachMomentsEffectiveWeights() {
        List<Host> h = cAddedNow(5, 5, 5);
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, registry, TEN_SECONDS);

        // at 0 s: 500, 500, 50 hundredths; two windows of 1050 picks are exact
        assertEquals(Map.of("a", 500, "b", 500, "c", 50), counts(wrr, 1050));
        assertEquals(Map.of("a", 500, "b", 500, "c", 50), counts(wrr, 1050));

        clock.advanceMillis(5_000); // 10 + 90 * 5/10 = 55 %
        assertEquals(Map.of("a", 500, "b", 500, "c", 275), counts(wrr, 1275));
        assertEquals(Map.of("a", 500, "b", 500, "c", 275), counts(wrr, 1275));

        clock.advanceMillis(4_999); // 10 + 90 * 9.999/10 = 99 %
        assertEquals(Map.of("a", 500, "b", 500, "c", 495), counts(wrr, 1495));

        clock.advanceMillis(1); // done: the configured weights, exact per window of 15
        assertEquals("a b c a b c a b c", sequence(wrr, 9));
        assertEquals(Map.of("a", 5, "b", 5, "c", 5), counts(wrr, 15));
    }

    @Test
    void aHostSetBackToActiveRampsAgain() {
        List<Host> h = cAddedNow(1, 1, 1);
        registry.state(h.get(2).url());
        clock.advanceMillis(60_000);
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, registry, TEN_SECONDS);
        assertEquals("a b c a b c", sequence(wrr, 6));

        registry.admin(Map.of(h.get(2).url(), AdminState.DRAINING));
        assertEquals(Map.of("a", 5, "b", 5), counts(wrr, 10));
        clock.advanceMillis(60_000);
        registry.admin(Map.of());
        // weight 1 ramps too: hundredths, 100 : 100 : 10
        assertEquals(Map.of("a", 100, "b", 100, "c", 10), counts(wrr, 210));
        clock.advanceMillis(2_500); // 32 %
        assertEquals(Map.of("a", 100, "b", 100, "c", 32), counts(wrr, 232));
    }

    @Test
    void aHostBackUpFromDownRampsAgainButOneThatNeverWentDownDoesNot() {
        List<Host> h = cAddedNow(2, 2, 2);
        registry.state(h.get(2).url());
        clock.advanceMillis(60_000);
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, registry, TEN_SECONDS);
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), counts(wrr, 6));

        registry.state(h.get(2).url()).markFailure(1);
        assertEquals(Map.of("a", 2, "b", 2), counts(wrr, 4));
        clock.advanceMillis(30_000);
        registry.state(h.get(2).url()).markSuccess(1); // back up now
        assertEquals(Map.of("a", 200, "b", 200, "c", 20), counts(wrr, 420));
        clock.advanceMillis(10_000);
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), counts(wrr, 6));
    }

    @Test
    void slowStartOffGivesTheFullWeightAtOnce() {
        List<Host> h = cAddedNow(5, 1, 1);
        Balancer wrr = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, h, null, registry, PoolHealth.PASSIVE_ONLY);
        assertEquals("a a b a c a a", sequence(wrr, 7));
    }

    @Test
    void leastConnDividesByTheEffectiveWeight() {
        List<Host> h = cAddedNow(1, 1, 1);
        Balancer lc = Balancer.create(BalancerType.LEAST_CONN, h, null, registry, TEN_SECONDS);
        // requests that never end: (in flight + 1) / weight, with c at 10 % of a's and b's
        for (int i = 0; i < 210; i++) {
            lc.onStart(lc.pick(RequestAttributes.NONE));
        }
        assertEquals(100, registry.state(h.get(0).url()).inFlight());
        assertEquals(100, registry.state(h.get(1).url()).inFlight());
        assertEquals(10, registry.state(h.get(2).url()).inFlight());

        clock.advanceMillis(10_000); // ramped: the idle share goes to c until it catches up
        for (int i = 0; i < 90; i++) {
            lc.onStart(lc.pick(RequestAttributes.NONE));
        }
        assertEquals(100, registry.state(h.get(2).url()).inFlight());
    }

    @Test
    void leastResponseTimeDividesByTheEffectiveWeight() {
        List<Host> h = cAddedNow(1, 1, 1);
        Balancer lrt = Balancer.create(BalancerType.LEAST_RESPONSE_TIME, h, null, registry, TEN_SECONDS);
        registry.state(h.get(0).url()).recordLatency(50_000_000L);
        registry.state(h.get(1).url()).recordLatency(80_000_000L);
        registry.state(h.get(2).url()).recordLatency(10_000_000L);
        // c is 5 times faster than a but weighs 10 % now: 10 ms / 0.1 > 50 ms / 1
        assertEquals("a a a", sequence(lrt, 3));
        clock.advanceMillis(10_000); // ramped (latencies decay alike, so their order holds)
        assertEquals("c c c", sequence(lrt, 3));
    }
}
