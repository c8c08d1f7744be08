package io.gatehouse.proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failover tiers through the proxy port with real backends on 127.0.0.1: the backup tier gets nothing while a
 * primary host is healthy, takes over only when every primary host is probed down, and gives traffic back once
 * they are healthy again.
 */
class FailoverTierProxyTest {

    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private ProxyFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    /** A backend whose /probe answers 503 while its name is in {@link #failing}; other paths 200 with its name. */
    private Backend backend(String name) {
        return fx.backend(name).handler(req -> {
            if (req.path().equals("/probe")) {
                req.response().setStatusCode(failing.contains(name) ? 503 : 200).end();
            } else {
                served.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
                req.response().end(name);
            }
        });
    }

    private int served(String name) {
        AtomicInteger n = served.get(name);
        return n == null ? 0 : n.get();
    }

    @Test
    void theBackupTierTakesOverOnlyWhenEveryPrimaryHostIsDownAndGivesTrafficBack() throws Exception {
        fx = new ProxyFixture(Duration.ofSeconds(10), r -> { });
        Backend p1 = backend("p1");
        Backend p2 = backend("p2");
        Backend s1 = backend("s1");
        Backend s2 = backend("s2");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(p1, 1, 1).host(s1, 1, 0).host(p2, 1, 1).host(s2, 1, 0)
                .healthCheck("/probe", 100, 2, 1).build(), anyPath());

        assertEquals(List.of("p1", "p2", "p1", "p2", "p1", "p2"), fx.names("/shop/prod/x", 6));

        failing.add("p1");
        eventually("p1 probed down", () -> !fx.up("shop", "prod", p1.url()));
        assertEquals(List.of("p2", "p2", "p2", "p2"), fx.names("/shop/prod/x", 4),
                "one primary host left: it takes everything, the backups nothing");
        assertEquals(0, served("s1") + served("s2"));

        failing.add("p2");
        eventually("p2 probed down", () -> !fx.up("shop", "prod", p2.url()));
        List<String> failover = fx.names("/shop/prod/x", 6);
        assertEquals(Set.of("s1", "s2"), Set.copyOf(failover),
                "every primary host down: the backup tier, and no panic over the primary hosts");
        assertEquals(3, java.util.Collections.frequency(failover, "s1"), "in turn: " + failover);

        failing.clear();
        eventually("p1 and p2 healthy again", () -> fx.up("shop", "prod", p1.url()) && fx.up("shop", "prod", p2.url()));
        int backups = served("s1") + served("s2");
        List<String> back = fx.names("/shop/prod/x", 6);
        assertEquals(Set.of("p1", "p2"), Set.copyOf(back), "traffic is back on the primary tier");
        assertEquals(3, java.util.Collections.frequency(back, "p1"), "in turn: " + back);
        assertEquals(backups, served("s1") + served("s2"));
    }
}
