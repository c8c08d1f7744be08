package io.gatehouse.balance;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.balance.Fixtures.hosts;
import static io.gatehouse.balance.Fixtures.name;
import static io.gatehouse.balance.Fixtures.sequence;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostRegistryTest {

    private final HostRegistry registry = new HostRegistry();

    @Test
    void aHostStartsUpIdleAndUntried() {
        HostState s = registry.state("http://a:1");
        assertTrue(s.isUp());
        assertEquals(0, s.inFlight());
        assertFalse(s.tried());
        assertSame(s, registry.state("http://a:1"));
    }

    @Test
    void unhealthyThresholdOfConsecutiveFailuresMarksDown() {
        HostState s = registry.state("http://a:1");
        assertFalse(s.markFailure(3));
        assertFalse(s.markFailure(3));
        assertFalse(s.markSuccess(2)); // a success in between resets the failure streak
        assertFalse(s.markFailure(3));
        assertFalse(s.markFailure(3));
        assertTrue(s.isUp());
        assertTrue(s.markFailure(3)); // third in a row: down (the mark reports the transition)
        assertFalse(s.isUp());
        assertFalse(s.markFailure(3)); // already down: no transition
        assertEquals(4, s.consecutiveFailures());
    }

    @Test
    void healthyThresholdOfConsecutiveSuccessesMarksUpAgain() {
        HostState s = registry.state("http://a:1");
        s.markFailure(1);
        assertFalse(s.isUp());
        assertFalse(s.markSuccess(2));
        assertFalse(s.markFailure(1)); // streak broken
        assertFalse(s.markSuccess(2));
        assertTrue(s.markSuccess(2));
        assertTrue(s.isUp());
        assertThrows(IllegalArgumentException.class, () -> s.markSuccess(0));
    }

    @Test
    void healthMarksOutliveRecreatingTheBalancer() {
        List<Host> h = hosts(1, 1, 1);
        registry.state(h.get(1).url()).markFailure(1);
        for (BalancerType type : BalancerType.values()) {
            Balancer b = Balancer.create(type, h, null, registry); // as after a publish
            for (int i = 0; i < 50; i++) {
                assertFalse("b".equals(name(b.pick(Fixtures.Request.ip("10.0.0." + i)))), type.wireName());
            }
        }
        registry.state(h.get(1).url()).markSuccess(1);
        assertEquals("a b c", sequence(Balancer.create(BalancerType.ROUND_ROBIN, h, null, registry), 3));
    }

    @Test
    void everyTypeSkipsDownHostsWithoutRebuilding() {
        List<Host> h = hosts(3, 2, 1);
        for (BalancerType type : BalancerType.values()) {
            HostRegistry r = new HostRegistry();
            Balancer b = Balancer.create(type, h, null, r);
            r.state(h.get(0).url()).markFailure(1);
            r.state(h.get(2).url()).markFailure(1);
            for (int i = 0; i < 100; i++) {
                assertEquals(h.get(1), b.pick(Fixtures.Request.ip("10.1.0." + i)), type.wireName());
            }
            assertTrue(b.anyUp());
            r.state(h.get(1).url()).markFailure(1);
            assertNull(b.pick(Fixtures.Request.ip("10.1.0.1")), type.wireName());
            assertFalse(b.anyUp());
        }
    }

    @Test
    void inFlightNeverGoesNegativeAndUnknownEndsAreIgnored() {
        Host a = new Host("http://a:1", 1);
        registry.onEnd(a, 5); // never started, never known: ignored
        assertNull(registry.find(a.url()));
        registry.onStart(a);
        registry.onEnd(a, 5);
        registry.onEnd(a, 5);
        assertEquals(0, registry.state(a.url()).inFlight());
    }

    @Test
    void negativeLatencyEndsWithoutASample() {
        Host a = new Host("http://a:1", 1);
        registry.onStart(a);
        registry.onEnd(a, -1);
        assertFalse(registry.state(a.url()).tried());
    }

    @Test
    void retainOnlyForgetsUnreferencedHosts() {
        HostState a = registry.state("http://a:1");
        registry.state("http://b:1");
        registry.retainOnly(Set.of("http://a:1"));
        assertEquals(1, registry.size());
        assertSame(a, registry.state("http://a:1"));
        assertNull(registry.find("http://b:1"));
        assertNotSame(a, registry.state("http://b:1"));
    }

    @Test
    void concurrentStartsAndEndsLoseNoCounts() throws Exception {
        List<Host> h = hosts(1, 1);
        Balancer lc = Balancer.create(BalancerType.LEAST_CONN, h, null, registry);
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    Host picked = lc.pick(RequestAttributes.NONE);
                    lc.onStart(picked);
                    if (i % 2 == 1) { // leave every other request open
                        continue;
                    }
                    lc.onEnd(picked, 1_000);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int open = registry.state(h.get(0).url()).inFlight() + registry.state(h.get(1).url()).inFlight();
        assertEquals(threads * perThread / 2, open);
        // least-conn kept them balanced while racing (pick + onStart is not atomic, so allow a little)
        assertTrue(Math.abs(registry.state(h.get(0).url()).inFlight() - open / 2) < open / 100);
    }

    @Test
    void healthSinceIsTheTimeOfTheLastTransitionOnly() {
        HostState s = new HostRegistry().state("http://a:1");
        long created = s.healthSinceMillis();
        s.markFailure(3);
        s.markFailure(3);
        assertEquals(created, s.healthSinceMillis(), "no transition yet");
        long before = System.currentTimeMillis();
        s.markFailure(3);
        long down = s.healthSinceMillis();
        assertTrue(down >= before && down <= System.currentTimeMillis(), "down since the third failure");
        s.markFailure(3);
        s.markSuccess(2);
        assertEquals(down, s.healthSinceMillis(), "still down");
        s.markSuccess(2);
        assertTrue(s.healthSinceMillis() >= down);
        assertTrue(s.isUp());
    }
}
