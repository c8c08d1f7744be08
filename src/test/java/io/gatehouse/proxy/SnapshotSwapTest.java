package io.gatehouse.proxy;

import io.gatehouse.stage.BackendConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publishing while traffic flows: a request finishes on the snapshot it started with; none fails. */
class SnapshotSwapTest {

    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void swappingSnapshotsEveryFewMillisecondsFailsNoRequest() throws Exception {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        Backend c = fx.backend("c");
        // Slow enough answers that many requests are in flight across a swap.
        for (Backend x : List.of(a, b, c)) {
            x.handler(req -> fx.vertx.setTimer(2, t -> req.response().end(x.name + " " + req.path())));
        }
        // The two snapshots differ in their routes too (backend path /v1 or /v2), so an answer shows which
        // snapshot routed it and which balanced it: a request that read one snapshot and kept it gets a
        // host of that snapshot with that snapshot's path, never a mix.
        var v1 = resources("items", resource("GET", "/items/{id}", "exact", "/v1/items/{id}"),
                "all", resource("ANY", "/", "prefix", null));
        var v2 = resources("items", resource("GET", "/items/{id}", "exact", "/v2/items/{id}"),
                "all", resource("ANY", "/", "prefix", null));
        BackendConfig ab = Cfg.of("weighted_round_robin").host(a, 3).host(b, 1).retries(0).build();
        BackendConfig bc = Cfg.of("least_conn").host(b, 1).host(c, 2).retries(0).build();
        fx.publish("shop", "prod", ab, v1);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger swaps = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (running.get()) {
                boolean first = swaps.incrementAndGet() % 2 == 0;
                fx.publish("shop", "prod", first ? ab : bc, first ? v1 : v2);
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        publisher.start();

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int client = t;
            results.add(clients.submit(() -> {
                List<String> bad = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    String id = client + "-" + i;
                    ProxyFixture.Response r = fx.get("/shop/prod/items/" + id);
                    // ab = {a, b} routes to /v1, bc = {b, c} routes to /v2.
                    Set<String> ofOneSnapshot = Set.of("a /v1/items/" + id, "b /v1/items/" + id,
                            "b /v2/items/" + id, "c /v2/items/" + id);
                    if (r.status() != 200 || !ofOneSnapshot.contains(r.body())) {
                        bad.add(r.status() + " " + r.body());
                    }
                }
                return bad;
            }));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> f : results) {
            failures.addAll(f.get(120, TimeUnit.SECONDS));
        }
        running.set(false);
        publisher.join();
        clients.shutdown();

        assertEquals(List.of(), failures, "2,000 requests across the swaps: each answered from the one snapshot it started with");
        assertTrue(swaps.get() > 50, "only " + swaps.get() + " swaps happened");
        System.out.println("2000 requests, " + swaps.get() + " snapshot swaps, 0 failures");
    }
}
