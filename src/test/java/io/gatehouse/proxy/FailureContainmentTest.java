package io.gatehouse.proxy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Failures stay contained, through the real proxy port with real backends on 127.0.0.1: an
 * application's 5xx is its answer, not a host failure; passive marks stay in their gateway stage;
 * a pool below its panic threshold spreads over all its hosts, a tenant pool over its own only.
 */
class FailureContainmentTest {

    private final ConcurrentLinkedQueue<ProxiedRequest> seen = new ConcurrentLinkedQueue<>();
    /** Requests each {@link #probedBackend} served, probes left out. */
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicInteger> served =
            new java.util.concurrent.ConcurrentHashMap<>();
    private ProxyFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private ProxyFixture fixture(Duration passiveCooldown) {
        fx = new ProxyFixture(passiveCooldown, seen::add);
        return fx;
    }

    /** Both backends answer 500 on /app-error (an application bug) and their name elsewhere. */
    private Backend buggy(String name) {
        return fx.backend(name).handler(req -> {
            if (req.path().endsWith("/app-error")) {
                req.response().setStatusCode(500).end("bug in " + name);
            } else {
                req.response().end(name);
            }
        });
    }

    @Test
    void aResourceAnswering500OnEveryHostLeavesTheStagesOtherResourcesAndAnotherGatewayFullyServed() {
        fixture(Duration.ofSeconds(10));
        Backend a = buggy("a");
        Backend b = buggy("b");
        var shopResources = resources(
                "ok", resource("GET", "/ok", "exact", null),
                "app_error", resource("GET", "/app-error", "exact", null));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).build(), shopResources);
        fx.publish("billing", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).build(), anyPath());

        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ProxyFixture.Response r = fx.get("/shop/prod/app-error");
            errors.add(r.status() + " " + r.body());
        }
        assertEquals(List.of("500 bug in a", "500 bug in b", "500 bug in a", "500 bug in b", "500 bug in a",
                "500 bug in b", "500 bug in a", "500 bug in b", "500 bug in a", "500 bug in b", "500 bug in a",
                "500 bug in b"), errors, "the backend's own 500 reaches the client, once per request, from each host in turn");
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), fx.names("/shop/prod/ok", 6),
                "the stage's other resource is served by both hosts");
        assertEquals(List.of("a", "b", "a", "b", "a", "b"), fx.names("/billing/prod/anything", 6),
                "another gateway on the same hosts is served by both");
        assertTrue(fx.up("shop", "prod", a.url()) && fx.up("shop", "prod", b.url()));
        assertEquals(12 + 6 + 6, a.requests.get() + b.requests.get(), "no retries: every request reached one host once");
    }

    @Test
    void withListedStatusesAHostAnswering503IsTakenOutAndComesBack() throws Exception {
        fixture(Duration.ofMillis(500));
        AtomicBoolean broken = new AtomicBoolean(true);
        Backend a = fx.backend("a").handler(req -> {
            if (broken.get()) {
                req.response().setStatusCode(503).end("a is overloaded");
            } else {
                req.response().end("a");
            }
        });
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).retries(1)
                .failOn(3, 502, 503, 504).build(), anyPath());

        // a's 503 is listed: each one is retried on b and counted against a; the third in a row takes a out.
        assertEquals(List.of("b", "b", "b", "b", "b", "b"), fx.names("/shop/prod/x", 6));
        assertEquals(3, a.requests.get());
        assertFalse(fx.up("shop", "prod", a.url()));
        assertEquals("answered 503 (3 in a row)", fx.status("shop", "prod", a.url()).reason());
        assertEquals(List.of("b", "b", "b", "b"), fx.names("/shop/prod/x", 4));
        assertEquals(3, a.requests.get(), "a gets nothing while it is out");

        broken.set(false);
        eventually("a back after the cool-down", () -> fx.up("shop", "prod", a.url()));
        assertEquals(Set.of("a", "b"), new TreeSet<>(fx.names("/shop/prod/x", 4)));
    }

    /**
     * A backend whose {@code /probe} answers 503 while its name is in {@code failing}, and every other path
     * 200 with its name: a probe that is wrong about a host that serves fine (a false positive).
     */
    private Backend probedBackend(String name, Set<String> failing) {
        return fx.backend(name).handler(req -> {
            if (req.path().equals("/probe") && failing.contains(name)) {
                req.response().setStatusCode(503).end();
            } else {
                if (!req.path().equals("/probe")) {
                    served.computeIfAbsent(name, n -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                }
                req.response().end(name);
            }
        });
    }

    private int served(String name) {
        var n = served.get(name);
        return n == null ? 0 : n.get();
    }

    @Test
    void aPoolBelowItsPanicThresholdSpreadsOverAllItsHostsAndSaysSo() throws Exception {
        fixture(Duration.ofSeconds(10));
        Set<String> failing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        failing.addAll(List.of("a", "b"));
        Backend a = probedBackend("a", failing);
        Backend b = probedBackend("b", failing);
        Backend c = probedBackend("c", failing);
        Backend d = probedBackend("d", failing);
        Cfg cfg = Cfg.of("round_robin").host(a, 1).host(b, 1).host(c, 1).host(d, 1).healthCheck("/probe", 100, 1, 1);
        fx.publish("shop", "prod", cfg.build(), anyPath());
        eventually("a and b probed down", () -> !fx.up("shop", "prod", a.url()) && !fx.up("shop", "prod", b.url()));
        assertEquals("probe /probe answered 503", fx.status("shop", "prod", a.url()).reason());
        // 2 of 4 healthy is 50 %, not below the default threshold: the healthy hosts only.
        assertEquals(List.of("c", "d", "c", "d"), fx.names("/shop/prod/x", 4));
        awaitRecords(4).forEach(r -> assertFalse(r.panic()));

        failing.add("c"); // 25 % healthy
        eventually("c probed down", () -> !fx.up("shop", "prod", c.url()));
        assertTrue(fx.store.get("shop", "prod").stageUpstream().pools().defaults().inPanic());
        assertEquals(List.of("a", "b", "c", "d", "a", "b", "c", "d"), fx.names("/shop/prod/x", 8),
                "in panic every host gets traffic, healthy or not");
        awaitRecords(8).forEach(r -> assertTrue(r.panic(), "each request sent in panic is marked"));

        // panic_threshold 0: never; the one healthy host takes everything.
        fx.publish("shop", "prod", cfg.panicThreshold(0).build(), anyPath());
        assertEquals(List.of("d", "d", "d", "d"), fx.names("/shop/prod/x", 4));
        awaitRecords(4).forEach(r -> assertFalse(r.panic()));
    }

    @Test
    void aTenantPoolWithFallbackFailPanicsOverItsOwnHostsOnlyNeverTheDefaultHosts() throws Exception {
        fixture(Duration.ofSeconds(10));
        Set<String> failing = Set.of("acme-1", "acme-2");
        Backend shared = probedBackend("shared", failing);
        Backend acme1 = probedBackend("acme-1", failing);
        Backend acme2 = probedBackend("acme-2", failing);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme1, acme2)
                .tenantFallback("fail").retries(1).healthCheck("/probe", 100, 1, 1).build(), anyPath());
        var acmePool = fx.store.get("shop", "prod").stageUpstream().pools().tenantPools().get("acme");
        eventually("acme's hosts probed down", () -> !acmePool.status(0).up() && !acmePool.status(1).up());
        assertEquals(List.of("acme-1", "acme-2", "acme-1", "acme-2", "acme-1", "acme-2"),
                fx.names("/shop/prod/x", 6, "X-Tenant-Id", "acme"));
        awaitRecords(6).forEach(r -> assertTrue(r.panic()));

        // Its hosts really gone: the tenant gets 502 from its own pool, still never the default hosts.
        acme1.stop();
        acme2.stop();
        for (int i = 0; i < 4; i++) {
            ProxyFixture.Response r = fx.get("/shop/prod/x", "X-Tenant-Id", "acme");
            assertEquals(502, r.status());
            assertEquals("backend_unreachable", new JsonObject(r.body()).getString("code"));
        }
        assertEquals(0, served("shared"), "panic never spreads a fail pool into the default hosts");
        assertEquals(List.of("shared", "shared"), fx.names("/shop/prod/x", 2), "requests without a tenant are served");
    }

    @Test
    void connectFailuresOnOneGatewaysPoolDoNotRemoveTheHostFromAnotherGateway() throws Exception {
        fixture(Duration.ofSeconds(30));
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).retries(1).build(), anyPath());
        fx.publish("billing", "prod", Cfg.of("round_robin").host(a, 1).host(b, 1).retries(1).build(), anyPath());

        b.stop();
        assertEquals(List.of("a", "a", "a", "a", "a", "a"), fx.names("/shop/prod/x", 6));
        assertFalse(fx.up("shop", "prod", b.url()), "shop's traffic took b out of shop");
        assertTrue(fx.up("billing", "prod", b.url()), "billing never saw b fail");

        b.start(); // back on the same port; shop keeps it out until its cool-down (30 s) ends
        assertEquals(List.of("a", "b", "a", "b"), fx.names("/billing/prod/x", 4), "billing uses b at once");
        assertEquals(List.of("a", "a", "a", "a"), fx.names("/shop/prod/x", 4));
        // Same gateway, another stage: its own scope as well.
        fx.publish("shop", "test", Cfg.of("round_robin").host(a, 1).host(b, 1).build(), anyPath());
        assertEquals(List.of("a", "b"), fx.names("/shop/test/x", 2));
    }

    /** The next {@code n} request records, in order, and only those. */
    private List<ProxiedRequest> awaitRecords(int n) throws InterruptedException {
        eventually(n + " records", () -> seen.size() >= n);
        Thread.sleep(50);
        assertEquals(n, seen.size());
        List<ProxiedRequest> out = new ArrayList<>(seen);
        seen.clear();
        return out;
    }
}
