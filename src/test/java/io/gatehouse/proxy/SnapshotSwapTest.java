package io.gatehouse.proxy;

import io.gatehouse.stage.BackendConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
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
            x.handler(req -> fx.vertx.setTimer(2, t -> req.response().end(x.name)));
        }
        var res = resources("items", resource("GET", "/items/{id}", "exact", "/v1/items/{id}"),
                "all", resource("ANY", "/", "prefix", null));
        BackendConfig ab = Cfg.of("weighted_round_robin").host(a, 3).host(b, 1).retries(0).build();
        BackendConfig bc = Cfg.of("least_conn").host(b, 1).host(c, 2).retries(0).build();
        fx.publish("shop", "prod", ab, res);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger swaps = new AtomicInteger();
        Thread publisher = new Thread(() -> {
            while (running.get()) {
                fx.publish("shop", "prod", swaps.incrementAndGet() % 2 == 0 ? ab : bc, res);
                try {
                    Thread.sleep(3);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        publisher.start();

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int client = t;
            results.add(clients.submit(() -> {
                List<Integer> bad = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    ProxyFixture.Response r = fx.get("/shop/prod/items/" + client + "-" + i);
                    if (r.status() != 200 || !List.of("a", "b", "c").contains(r.body())) {
                        bad.add(r.status());
                    }
                }
                return bad;
            }));
        }
        List<Integer> failures = new ArrayList<>();
        for (Future<List<Integer>> f : results) {
            failures.addAll(f.get(120, TimeUnit.SECONDS));
        }
        running.set(false);
        publisher.join();
        clients.shutdown();

        assertEquals(List.of(), failures, "2,000 requests across the swaps, none may fail");
        assertTrue(swaps.get() > 50, "only " + swaps.get() + " swaps happened");
        System.out.println("2000 requests, " + swaps.get() + " snapshot swaps, 0 failures");
    }
}
