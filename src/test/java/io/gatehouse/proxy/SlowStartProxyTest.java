package io.gatehouse.proxy;

import io.gatehouse.balance.AdminState;
import io.gatehouse.balance.HostRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Slow start through the proxy port with real backends on 127.0.0.1 (issue 19, done when): a host set back to
 * active ramps, and the share it gets matches its effective weight exactly, counted per window of smooth
 * weighted round robin. The pools run on a registry whose clock the test moves, so a ramp step cannot change
 * under a window of requests.
 */
class SlowStartProxyTest {
    private static final int SLOW_START_MS = 100_000;

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final HostRegistry registry = new HostRegistry(clock::get);
    private ProxyFixture fx;

    @AfterEach
    void close() {
        fx.close();
    }

    private void advanceMillis(long ms) {
        clock.addAndGet(ms * 1_000_000L);
    }

    /** Who answered {@code n} requests, as "a=10 b=1". */
    private String answers(int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String name : fx.names("/shop/prod/x", n)) {
            counts.merge(name, 1, Integer::sum);
        }
        StringBuilder s = new StringBuilder();
        counts.forEach((k, v) -> s.append(s.isEmpty() ? "" : " ").append(k).append('=').append(v));
        return s.toString();
    }

    @Test
    void aHostSetBackToActiveGetsExactlyItsEffectiveShareAtEachStepOfTheRamp() {
        fx = new ProxyFixture();
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.store.apply(RouteCompiler.compile("shop", "prod", Cfg.of("weighted_round_robin").host(a, 1).host(b, 1)
                .slowStart(SLOW_START_MS).build(), anyPath(), registry));

        // Both were added by the release at the same moment: they ramp together, so their ratio holds.
        assertEquals("a=5 b=5", answers(10));
        advanceMillis(SLOW_START_MS);
        assertEquals("a=5 b=5", answers(10));

        // b comes back from maintenance: 10 % of its weight against a's 100 %, so 10:1 in every 11 requests.
        registry.admin(Map.of(b.url(), AdminState.DISABLED));
        assertEquals("a=4", answers(4));
        registry.admin(Map.of());
        assertEquals("a=20 b=2", answers(22));

        // Half way: 10 + 90 * 50 % = 55 %, so 100:55 = 20:11 in every 31 requests.
        advanceMillis(SLOW_START_MS / 2);
        assertEquals("a=40 b=22", answers(62));

        // Ramp over: equal weights again.
        advanceMillis(SLOW_START_MS / 2);
        assertEquals("a=3 b=3", answers(6));
    }
}
