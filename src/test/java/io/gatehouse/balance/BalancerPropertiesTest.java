package io.gatehouse.balance;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Properties over random weight sets (1–20 hosts, weights 1–10000) and random down sets. */
class BalancerPropertiesTest {

    private static int[] toArray(List<Integer> weights) {
        return weights.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A random subset of host indexes to mark down; {@code keepOneUp} leaves at least one up. */
    private static boolean[] downSet(int n, Random random, boolean keepOneUp) {
        boolean[] down = new boolean[n];
        for (int i = 0; i < n; i++) {
            down[i] = random.nextInt(3) == 0;
        }
        if (keepOneUp) {
            down[random.nextInt(n)] = false;
        }
        return down;
    }

    private static void mark(HostRegistry registry, List<Host> hosts, boolean[] down) {
        for (int i = 0; i < down.length; i++) {
            if (down[i]) {
                registry.state(hosts.get(i).url()).markFailure(1);
            }
        }
    }

    @Property(tries = 100)
    void smoothWrrGivesUpHostsExactlyTheirWeightInEveryWindow(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 10_000) Integer> weights,
            @ForAll Random random) {
        int[] w = toArray(weights);
        HostRegistry registry = new HostRegistry();
        List<Host> hosts = Fixtures.hosts(w);
        boolean[] down = downSet(w.length, random, true);
        Balancer b = Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, hosts, null, registry);
        b.pick(RequestAttributes.NONE); // start with everyone up, then lose some mid-sequence
        mark(registry, hosts, down);

        int window = 0;
        for (int i = 0; i < w.length; i++) {
            window += down[i] ? 0 : w[i];
        }
        int[] seq = new int[2 * window];
        for (int p = 0; p < seq.length; p++) {
            seq[p] = hosts.indexOf(b.pick(RequestAttributes.NONE));
        }
        int[] counts = new int[w.length];
        for (int p = 0; p < window; p++) {
            counts[seq[p]]++;
        }
        for (int i = 0; i < w.length; i++) {
            assertEquals(down[i] ? 0 : w[i], counts[i], "host " + i + " of " + Arrays.toString(w));
        }
        // the sequence repeats with period sum(weights), so every sliding window is exact too
        for (int p = 0; p < window; p++) {
            assertEquals(seq[p], seq[p + window]);
        }
    }

    @Property(tries = 60)
    void consistentHashNeverMovesKeysBetweenHostsThatStayUp(
            @ForAll @Size(min = 2, max = 20) List<@IntRange(min = 1, max = 10_000) Integer> weights,
            @ForAll Random random) {
        int[] w = toArray(weights);
        HostRegistry registry = new HostRegistry();
        List<Host> hosts = Fixtures.hosts(w);
        Balancer b = Balancer.create(BalancerType.CONSISTENT_HASH, hosts,
                new HashKey(HashKey.On.HEADER, "X-Key", HashKey.DEFAULT_REPLICAS), registry);
        int keys = 2000;
        String[] key = new String[keys];
        Host[] before = new Host[keys];
        for (int k = 0; k < keys; k++) {
            key[k] = "key-" + random.nextLong();
            before[k] = b.pick(Fixtures.Request.ip("1.1.1.1").header("X-Key", key[k]));
        }
        boolean[] down = downSet(w.length, random, true);
        mark(registry, hosts, down);
        for (int k = 0; k < keys; k++) {
            Host after = b.pick(Fixtures.Request.ip("1.1.1.1").header("X-Key", key[k]));
            assertNotNull(after);
            assertTrue(registry.state(after.url()).isUp());
            if (registry.state(before[k].url()).isUp()) {
                assertEquals(before[k], after, "a key moved between hosts that stayed up");
            } else {
                assertNotEquals(before[k], after);
            }
        }
    }

    @Property(tries = 100)
    void noBalancerEverReturnsADownHost(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 10_000) Integer> weights,
            @ForAll Random random) {
        int[] w = toArray(weights);
        List<Host> hosts = Fixtures.hosts(w);
        boolean[] down = downSet(w.length, random, false);
        boolean allDown = true;
        for (boolean d : down) {
            allDown &= d;
        }
        for (BalancerType type : BalancerType.values()) {
            HostRegistry registry = new HostRegistry();
            Balancer b = Balancer.create(type, hosts, null, registry);
            List<Host> seen = new ArrayList<>();
            for (int p = 0; p < 50; p++) { // some picks and feedback while everyone is up
                Host h = b.pick(Fixtures.Request.ip("10.0." + p + ".1"));
                b.onStart(h);
                seen.add(h);
            }
            for (int p = 0; p < seen.size(); p += 2) {
                b.onEnd(seen.get(p), 1_000L + random.nextInt(1_000_000));
            }
            mark(registry, hosts, down);
            for (int p = 0; p < 200; p++) {
                Host h = b.pick(Fixtures.Request.ip("10.1." + p + ".1"));
                if (allDown) {
                    assertNull(h, type.wireName());
                } else {
                    assertNotNull(h, type.wireName());
                    assertTrue(registry.state(h.url()).isUp(), type.wireName() + " returned a down host");
                }
            }
        }
    }

    @Property(tries = 50)
    void allDownGivesNullAndRetriesNeverRepeatAHost(
            @ForAll @Size(min = 1, max = 20) List<@IntRange(min = 1, max = 10_000) Integer> weights) {
        List<Host> hosts = Fixtures.hosts(toArray(weights));
        for (BalancerType type : BalancerType.values()) {
            HostRegistry registry = new HostRegistry();
            Balancer b = Balancer.create(type, hosts, null, registry);
            // retrying with every tried host excluded visits each host exactly once, then gives null
            java.util.Set<String> tried = new java.util.HashSet<>();
            for (int attempt = 0; attempt < hosts.size(); attempt++) {
                Host h = b.pick(Fixtures.Request.ip("10.9.9.9"), tried);
                assertNotNull(h, type.wireName());
                assertTrue(tried.add(h.url()), type.wireName() + " repeated a tried host");
            }
            assertNull(b.pick(Fixtures.Request.ip("10.9.9.9"), tried), type.wireName());
            hosts.forEach(h -> registry.state(h.url()).markFailure(1));
            assertNull(b.pick(Fixtures.Request.ip("10.9.9.9")), type.wireName());
            assertNull(b.pick(Fixtures.Request.ip("10.9.9.9"), Set.of()), type.wireName());
        }
    }
}
