package io.gatehouse.proxy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gatehouse.proxy.max-connections-per-host through the proxy port: a request that finds every connection to its
 * host in use waits for one at most the connect timeout, then gets 503 backend_busy, and the host is not marked
 * down for it (the limit is the proxy's, not the host's failure).
 */
class BackendPoolLimitTest {

    // One event loop, so both requests share one pool and its single connection to the host.
    private final ProxyFixture fx = ProxyFixture.withOptions(o -> o.withInstances(1).withMaxConnectionsPerHost(1));

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void aRequestWaitingForABusyHostGetsBackendBusyAfterTheConnectTimeoutAndTheHostStaysUp() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        Backend slow = fx.backend("slow").handler(req -> {
            if (req.path().endsWith("/hold")) {
                release.thenRun(() -> fx.vertx.runOnContext(v -> req.response().end("held")));
            } else {
                req.response().end("quick");
            }
        });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(slow, 1).timeouts(300, 10_000).retries(0)
                .failOn(1).build(), anyPath());

        CompletableFuture<ProxyFixture.Response> holder = CompletableFuture.supplyAsync(() -> fx.get("/shop/prod/hold"));
        eventually("the first request holds the one connection", () -> slow.requests.get() == 1);

        ProxyFixture.Response waiting = fx.get("/shop/prod/quick");
        assertEquals(503, waiting.status(), waiting.body());
        assertEquals("backend_busy", new JsonObject(waiting.body()).getString("code"));
        assertFalse(holder.isDone(), "the holder is still in flight: the waiter gave up on the connect timeout");
        assertEquals(1, slow.requests.get(), "the waiting request never reached the host");

        release.complete(null);
        assertEquals(200, holder.get(10, TimeUnit.SECONDS).status());
        assertTrue(fx.up("shop", "prod", slow.url()), "one busy wait with failOn(1) does not take the host out");
        assertEquals("quick", fx.get("/shop/prod/quick").body(), "the freed connection serves the next request");
    }
}
