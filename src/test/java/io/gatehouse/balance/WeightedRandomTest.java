package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeightedRandomTest {

    private static final int PICKS = 100_000;

    private final HostRegistry registry = new HostRegistry();

    private Balancer seeded(List<Host> hosts) {
        SplittableRandom random = new SplittableRandom(20_260_101L);
        return WeightedRandom.withRandom(hosts, registry, () -> random);
    }

    private static Map<String, Integer> count(Balancer b) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(name(b.pick(RequestAttributes.NONE)), 1, Integer::sum);
        }
        return counts;
    }

    /** Each host's share of the picks is within 2% (relative) of its share of the weights. */
    private static void assertWithinTwoPercent(Map<String, Integer> counts, Map<String, Integer> weights) {
        double total = weights.values().stream().mapToInt(Integer::intValue).sum();
        weights.forEach((host, w) -> {
            double expected = PICKS * w / total;
            int got = counts.getOrDefault(host, 0);
            assertTrue(Math.abs(got - expected) <= 0.02 * expected,
                    host + ": " + got + " picks, expected " + expected + " +-2%");
        });
    }

    @Test
    void picksFollowTheWeights() {
        assertWithinTwoPercent(count(seeded(hosts(5, 3, 2))), Map.of("a", 5, "b", 3, "c", 2));
        assertWithinTwoPercent(count(seeded(hosts(1, 1))), Map.of("a", 1, "b", 1));
    }

    @Test
    void downHostsAreSkippedAndTheRestKeepTheirWeights() {
        List<Host> h = hosts(5, 3, 2);
        Balancer b = seeded(h);
        markDown(registry, h.get(0));
        Map<String, Integer> counts = count(b);
        assertFalse(counts.containsKey("a"));
        assertWithinTwoPercent(counts, Map.of("b", 3, "c", 2));
    }

    @Test
    void mostlyDownPoolStillFindsTheUpHost() {
        int[] weights = new int[50];
        java.util.Arrays.fill(weights, 100);
        weights[49] = 1;
        List<Host> h = hosts(weights);
        Balancer b = seeded(h);
        for (int i = 0; i < 49; i++) {
            markDown(registry, h.get(i));
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(h.get(49), b.pick(RequestAttributes.NONE));
        }
        markDown(registry, h.get(49));
        assertNull(b.pick(RequestAttributes.NONE));
    }

    @Test
    void productionSourceWorksAndRetryExcludes() {
        List<Host> h = hosts(1, 1);
        Balancer b = Balancer.create(BalancerType.RANDOM, h, null, registry);
        assertNotNull(b.pick(RequestAttributes.NONE));
        for (int i = 0; i < 100; i++) {
            assertEquals(h.get(1), b.pick(RequestAttributes.NONE, Set.of(h.get(0).url())));
        }
    }
}
