package io.gatehouse.traffic;

import io.gatehouse.traffic.TrafficWindow.HostTraffic;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The last minute per stage, group, pool and host, on a settable clock. */
class TrafficWindowTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final TrafficWindow window = new TrafficWindow(now::get);

    private HostTraffic host(String group, String pool, String host) {
        return window.read("shop/prod").get(group).get(pool).get(host);
    }

    @Test
    void countsRequestsErrorsAndSecondsPerHostAndPool() {
        for (int i = 0; i < 3; i++) {
            window.record("shop/prod", null, null, "http://a", 200, 1_000_000);
        }
        window.record("shop/prod", null, null, "http://a", 502, 1_000_000);
        now.addAndGet(1000);
        window.record("shop/prod", null, null, "http://a", 200, 1_000_000);
        window.record("shop/prod", null, "acme", "http://acme-1", 200, 1_000_000);
        window.record("shop/prod", "get_item", null, null, 503, 10_000);

        HostTraffic a = host(TrafficWindow.STAGE_CONFIG, TrafficWindow.DEFAULT_POOL, "http://a");
        assertEquals(5, a.requests());
        assertEquals(1, a.errors());
        assertEquals(4, a.perSecond()[TrafficWindow.SECONDS - 2]);
        assertEquals(1, a.perSecond()[TrafficWindow.SECONDS - 1]);
        assertEquals(1, host(TrafficWindow.STAGE_CONFIG, "acme", "http://acme-1").requests());
        assertEquals(1, host("get_item", TrafficWindow.DEFAULT_POOL, TrafficWindow.NO_HOST).errors());
        assertEquals(Map.of(), window.read("shop/test"));
    }

    @Test
    void answersWithoutARouteAreCountedApartFromAnswersWithoutAHealthyHost() {
        window.record("shop/prod", null, null, null, 404, 10_000);
        window.record("shop/prod", null, null, null, 405, 10_000);
        window.record("shop/prod", null, null, null, 503, 10_000);
        assertEquals(2, host(TrafficWindow.STAGE_CONFIG, TrafficWindow.DEFAULT_POOL, TrafficWindow.NO_ROUTE).requests());
        assertEquals(0, host(TrafficWindow.STAGE_CONFIG, TrafficWindow.DEFAULT_POOL, TrafficWindow.NO_ROUTE).errors());
        assertEquals(1, host(TrafficWindow.STAGE_CONFIG, TrafficWindow.DEFAULT_POOL, TrafficWindow.NO_HOST).requests());
        TrafficView.Pool pool = TrafficView.of(null, window.read("shop/prod"), now.get()).groups().get(0).pools().get(0);
        assertEquals(2, pool.noRoute());
        assertEquals(1, pool.noHost());
        assertEquals(0, pool.requests());
        assertEquals(java.util.List.of(), pool.hosts());
    }

    @Test
    void aSecondOlderThanTheWindowIsForgottenAndItsSlotReused() {
        window.record("shop/prod", null, null, "http://a", 200, 1_000_000);
        now.addAndGet(59_000);
        window.record("shop/prod", null, null, "http://a", 200, 1_000_000);
        assertEquals(2, host("", "", "http://a").requests());
        now.addAndGet(1_000); // the first second is now 60 s old, and its slot is the current second's
        window.record("shop/prod", null, null, "http://a", 200, 1_000_000);
        HostTraffic a = host("", "", "http://a");
        assertEquals(2, a.requests());
        long[] expected = new long[TrafficWindow.SECONDS];
        expected[TrafficWindow.SECONDS - 2] = 1;
        expected[TrafficWindow.SECONDS - 1] = 1;
        assertArrayEquals(expected, a.perSecond());

        now.addAndGet(60_000);
        assertEquals(Map.of(), window.read("shop/prod"));
        window.sweep();
        now.addAndGet(-60_000);
        assertEquals(Map.of(), window.read("shop/prod"), "swept: nothing is kept for an idle stage");
    }

    @Test
    void percentilesComeFromTheLatencyBuckets() {
        for (int i = 0; i < 98; i++) {
            window.record("shop/prod", null, null, "http://a", 200, 2_000_000); // 2 ms
        }
        window.record("shop/prod", null, null, "http://a", 200, 400_000_000); // 400 ms
        window.record("shop/prod", null, null, "http://a", 200, 400_000_000);
        HostTraffic a = host("", "", "http://a");
        // Each bucket is 2^(1/3) wide: the quantile is its upper bound, at most 26 % above the sample.
        assertTrue(a.p50Millis() >= 2 && a.p50Millis() < 2 * 1.26, "p50 " + a.p50Millis());
        assertTrue(a.p99Millis() >= 400 && a.p99Millis() < 400 * 1.26, "p99 " + a.p99Millis());
        assertEquals(0, TrafficWindow.bucket(0));
        assertEquals(TrafficWindow.BOUNDS.length, TrafficWindow.bucket(Long.MAX_VALUE));
    }
}
