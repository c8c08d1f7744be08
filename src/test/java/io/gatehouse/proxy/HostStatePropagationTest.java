package io.gatehouse.proxy;

import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.balance.AdminState;
import io.gatehouse.balance.HostState;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Draining a host through the admin API, end to end: three instances on one PostgreSQL (the application's
 * own and two proxy-only ones, as separate processes would be) stop sending it new requests within a
 * second, without a release, while a request already in flight on it completes.
 */
@QuarkusTest
class HostStatePropagationTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    Vertx vertx;

    private static CompletableFuture<HttpResponse<String>> send(int port, String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = send(port, path).get();
        return r.statusCode() + " " + r.body();
    }

    @Test
    void aDrainedHostGetsNoNewRequestsOnEveryInstanceWithinASecondWhileItsInFlightRequestFinishes() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             ProxyInstance p1 = ExtraInstance.named("drain-1").start();
             ProxyInstance p2 = ExtraInstance.named("drain-2").start()) {
            // a answers /slow after 1.5 s: the request in flight while a drains.
            a.handler(req -> {
                if (req.path().endsWith("/slow")) {
                    vertx.setTimer(1500, t -> req.response().end("a"));
                } else {
                    req.response().end("a");
                }
            });
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Map.of("type", "round_robin",
                    "hosts", List.of(Fixtures.host(a.url(), 1), Fixtures.host(b.url(), 1))));
            admin().body(Map.of("method", "ANY", "path", "/", "match", "prefix"))
                    .put("/api/v1/gateways/{g}/resources/all", gw).then().statusCode(201);
            int v = admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then()
                    .statusCode(201).extract().path("number");
            admin().body(Map.of("version", v)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .statusCode(201);
            List<ProxyInstance> instances = List.of(runtime.instance(), p1, p2);
            for (ProxyInstance p : instances) {
                eventually("release on " + p.instanceId(), () -> p.store().get(gw, "prod") != null);
            }

            // A slow request in flight on a, through the first instance.
            ProxyInstance first = instances.get(0);
            CompletableFuture<HttpResponse<String>> slow = null;
            for (int i = 0; i < 4 && slow == null; i++) {
                CompletableFuture<HttpResponse<String>> attempt = send(first.port(), "/" + gw + "/prod/slow");
                eventually("the attempt answered (by b) or in flight on a", () -> attempt.isDone() || inFlight(first, gw, a) > 0);
                if (inFlight(first, gw, a) == 1) {
                    slow = attempt;
                } else {
                    attempt.get(); // went to b: try again
                }
            }
            assertTrue(slow != null, "a slow request in flight on a");

            long put = System.nanoTime();
            admin().body(Map.of("url", a.url(), "state", "draining", "reason", "test"))
                    .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200);
            eventually(() -> "a draining on all three instances", Duration.ofSeconds(5), Duration.ofMillis(1),
                    () -> instances.stream().allMatch(p -> state(p, gw, a).admin() == AdminState.DRAINING));
            long appliedMs = (System.nanoTime() - put) / 1_000_000;
            assertTrue(appliedMs < 1000, "applied on all three instances " + appliedMs + " ms after the PUT");

            int before = a.requests.get();
            for (ProxyInstance p : instances) {
                for (int i = 0; i < 10; i++) {
                    assertEquals("200 b", get(p.port(), "/" + gw + "/prod/x"));
                }
            }
            assertEquals(before, a.requests.get(), "no new request reached the draining host");
            HttpResponse<String> finished = slow.get();
            assertEquals(200, finished.statusCode());
            assertEquals("a", finished.body());
            assertEquals(0, inFlight(first, gw, a));

            // Every host drained: 503 saying so.
            admin().body(Map.of("url", b.url(), "state", "disabled")).put("/api/v1/gateways/{g}/host-states", gw)
                    .then().statusCode(200);
            eventually("disabled on the first instance", () -> state(first, gw, b).admin() == AdminState.DISABLED);
            HttpResponse<String> none = send(first.port(), "/" + gw + "/prod/x").get();
            assertEquals(503, none.statusCode());
            assertTrue(none.body().contains("every host of the default hosts is draining or disabled"), none.body());

            // Back to active: a gets traffic again, with no release in between.
            for (Backend h : List.of(a, b)) {
                admin().body(Map.of("url", h.url(), "state", "active")).put("/api/v1/gateways/{g}/host-states", gw)
                        .then().statusCode(200);
            }
            for (ProxyInstance p : instances) {
                eventually("active on " + p.instanceId(), () -> state(p, gw, a).admits() && state(p, gw, b).admits());
            }
            int again = a.requests.get();
            for (int i = 0; i < 4; i++) {
                get(p2.port(), "/" + gw + "/prod/x");
            }
            assertEquals(again + 2, a.requests.get());
            admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(200)
                    .body("size()", org.hamcrest.Matchers.equalTo(1));
        }
    }

    private static HostState state(ProxyInstance p, String gw, Backend host) {
        return p.registries().of(gw, "prod").state(host.url());
    }

    private static int inFlight(ProxyInstance p, String gw, Backend host) {
        return state(p, gw, host).inFlight();
    }
}
