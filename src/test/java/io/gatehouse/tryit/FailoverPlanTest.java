package io.gatehouse.tryit;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** "Try it" with a tier down: which hosts of which tier would share the traffic, and how (plain JUnit). */
class FailoverPlanTest {

    private static String describe(List<FailoverPlan.TierDown> plan) {
        StringBuilder b = new StringBuilder();
        for (FailoverPlan.TierDown t : plan) {
            b.append(t.down()).append(" down -> ").append(t.tier()).append(':');
            t.hosts().forEach(h -> b.append(' ').append(h.letter()).append('=').append(h.url()).append('@')
                    .append(Math.round(h.configuredShare() * 100)));
            b.append('\n');
        }
        return b.toString();
    }

    @Test
    void eachTierBelowTheHighestIsWhereTrafficGoesWithEveryTierAboveDown() {
        Balancer pool = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, List.of(
                new Host("http://10.0.0.1:80", 3, 10), new Host("http://10.0.0.2:80", 1, 0),
                new Host("http://10.0.0.3:80", 1, 10), new Host("http://10.0.0.4:80", 3, 0),
                new Host("http://10.0.0.5:80", 1, -5)), null, new HostRegistry());
        assertEquals("""
                [10] down -> 0: b=http://10.0.0.2:80@25 d=http://10.0.0.4:80@75
                [10, 0] down -> -5: e=http://10.0.0.5:80@100
                """, describe(FailoverPlan.of(pool)));
        assertEquals(10, pool.priorityInUse());
    }

    @Test
    void onePoolOfOneTierHasNoPlan() {
        Balancer pool = Balancer.create(BalancerType.ROUND_ROBIN, List.of(new Host("http://10.0.0.1:80", 3),
                new Host("http://10.0.0.2:80", 1)), null, new HostRegistry());
        assertEquals(List.of(), FailoverPlan.of(pool));
    }
}
