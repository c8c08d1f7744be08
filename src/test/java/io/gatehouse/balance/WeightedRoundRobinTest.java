package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.markDown;
import static io.gatehouse.balance.Fixtures.markUp;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class WeightedRoundRobinTest {

    private final HostRegistry registry = new HostRegistry();

    private Balancer wrr(List<Host> hosts) {
        return Balancer.create(BalancerType.WEIGHTED_ROUND_ROBIN, hosts, null, registry);
    }

    @Test
    void fiveOneOneIsTheNginxSequenceInEveryWindow() {
        Balancer b = wrr(hosts(5, 1, 1));
        for (int window = 0; window < 5; window++) {
            assertEquals("a a b a c a a", sequence(b, 7), "window " + window);
        }
    }

    @Test
    void everyWindowGivesEachHostExactlyItsWeight() {
        assertExactWindows(new int[]{5, 1, 1}, 4);
        assertExactWindows(new int[]{10_000, 1}, 3);
        assertExactWindows(new int[]{3, 2}, 10);
        assertExactWindows(new int[]{1, 1, 1}, 10);
        assertExactWindows(new int[]{7, 3, 9, 1, 4}, 5);
    }

    @Test
    void threeTwoInterleaves() {
        assertEquals("a b a b a", sequence(wrr(hosts(3, 2)), 5));
        assertEquals("a b c a b c", sequence(wrr(hosts(1, 1, 1)), 6));
    }

    @Test
    void heavyHostIsInterleavedNotBursted() {
        // {10000, 1}: b's single pick lands mid-window (nginx: after ceil(10000/2) a's), not at an edge.
        List<String> seq = picks(wrr(hosts(10_000, 1)), 10_001);
        assertEquals(5000, seq.indexOf("b"));
    }

    @Test
    void oneHostDownFromTheStartKeepsTheOthersExact() {
        List<Host> hosts = hosts(5, 1, 1, 3);
        markDown(registry, hosts.get(3));
        Balancer b = wrr(hosts);
        assertEquals("a a b a c a a", sequence(b, 7));
        assertWindows(picks(b, 7 * 6), Map.of("a", 5, "b", 1, "c", 1));
    }

    @Test
    void hostGoingDownMidSequenceLeavesTheOthersExactFromTheNextPick() {
        List<Host> hosts = hosts(5, 1, 1, 3);
        Balancer b = wrr(hosts);
        picks(b, 4); // mid-window: currents are non-zero
        markDown(registry, hosts.get(3));
        List<String> after = picks(b, 7 * 6);
        assertEquals("a a b a c a a", String.join(" ", after.subList(0, 7)));
        assertWindows(after, Map.of("a", 5, "b", 1, "c", 1));
        markUp(registry, hosts.get(3));
        assertWindows(picks(b, 10 * 4), Map.of("a", 5, "b", 1, "c", 1, "d", 3));
    }

    @Test
    void allDownGivesNull() {
        List<Host> hosts = hosts(2, 1);
        Balancer b = wrr(hosts);
        hosts.forEach(h -> markDown(registry, h));
        assertNull(b.pick(RequestAttributes.NONE));
    }

    @Test
    void retryGetsAnotherHostWithoutDisturbingTheSequence() {
        List<Host> hosts = hosts(5, 1, 1);
        Balancer b = wrr(hosts);
        assertEquals("a", name(b.pick(RequestAttributes.NONE)));
        // the tried host a is excluded: the sequence's next choice among b, c is b
        assertEquals("b", name(b.pick(RequestAttributes.NONE, Set.of(hosts.get(0).url()))));
        assertEquals("a b a c a a", sequence(b, 6));
        assertEquals("a a b a c a a", sequence(b, 7));
    }

    @Test
    void concurrentPicksKeepExactTotals() throws Exception {
        List<Host> hosts = hosts(5, 1, 1);
        Balancer b = wrr(hosts);
        int threads = 4;
        int perThread = 7 * 25_000;
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                Map<String, Integer> local = new HashMap<>();
                start.await();
                for (int i = 0; i < perThread; i++) {
                    local.merge(name(b.pick(RequestAttributes.NONE)), 1, Integer::sum);
                }
                local.forEach((k, v) -> counts.computeIfAbsent(k, x -> new AtomicInteger()).addAndGet(v));
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int windows = threads * perThread / 7;
        assertEquals(5 * windows, counts.get("a").get());
        assertEquals(windows, counts.get("b").get());
        assertEquals(windows, counts.get("c").get());
        // and the shared sequence is still aligned on a window boundary
        assertEquals("a a b a c a a", sequence(b, 7));
    }

    private void assertExactWindows(int[] weights, int windows) {
        List<Host> hosts = hosts(weights);
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < weights.length; i++) {
            expected.put(name(hosts.get(i)), weights[i]);
        }
        int total = expected.values().stream().mapToInt(Integer::intValue).sum();
        assertWindows(picks(wrr(hosts), total * windows), expected);
    }

    static List<String> picks(Balancer b, int n) {
        List<String> seq = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            seq.add(name(b.pick(RequestAttributes.NONE)));
        }
        return seq;
    }

    /** Every window of sum(weights) consecutive picks, sliding by one, has exactly the weights. */
    static void assertWindows(List<String> seq, Map<String, Integer> expected) {
        int w = expected.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < seq.size(); i++) {
            counts.merge(seq.get(i), 1, Integer::sum);
            if (i >= w) {
                counts.merge(seq.get(i - w), -1, Integer::sum);
            }
            if (i >= w - 1) {
                for (Map.Entry<String, Integer> e : expected.entrySet()) {
                    assertEquals(e.getValue(), counts.getOrDefault(e.getKey(), 0),
                            "host " + e.getKey() + " in window ending at pick " + i);
                }
            }
        }
    }
}
