package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
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

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys end to end on three instances sharing one database (the application's own and two proxy-only
 * ones, each with its own LISTEN connection and a poll too slow to matter): a key issued through the admin API
 * works everywhere without a release, a revoked one stops working on all three within one second, and the
 * key's last use reaches the listing (written in batches, never per request).
 */
@QuarkusTest
class TenantKeyPropagationTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    Vertx vertx;

    private static ProxyInstance extra(String name) throws Exception {
        return ExtraInstance.named(name).poll(Duration.ofSeconds(60)).start();
    }

    private static String get(int port, String path, String key) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).header("X-Tenant-Id", "acme");
            if (key != null) {
                b.header("X-Api-Key", key);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? "200 " + r.body() : Integer.toString(r.statusCode());
        } catch (Exception e) {
            return "error " + e;
        }
    }

    @Test
    void aRevokedKeyStopsWorkingOnThreeInstancesWithinOneSecond() throws Exception {
        try (Backend shared = new Backend(vertx, "shared"); Backend acme = new Backend(vertx, "acme");
             ProxyInstance p1 = extra("keys-1"); ProxyInstance p2 = extra("keys-2")) {
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.tenant(gw, "acme");
            admin().body(Map.of("backend", Map.of("hosts", List.of(host(shared.url(), 1)),
                            "tenant_pools", Map.of("acme", List.of(host(acme.url(), 1))),
                            "tenant_from", "api_key", "unknown_tenant", "reject")))
                    .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
            Fixtures.resource(gw, "hello", "GET", "/hello");
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .statusCode(201);
            String path = "/" + gw + "/prod/hello";
            List<Integer> ports = List.of(runtime.instance().port(), p1.port(), p2.port());
            for (int port : ports) {
                await(port, path, null, "401", Duration.ofSeconds(5)); // the release is live; no key, no entry
            }
            var created = admin().body(Map.of("name", "ci")).post("/api/v1/gateways/{g}/tenants/acme/keys", gw).then()
                    .statusCode(201).extract().jsonPath();
            String key = created.getString("key");
            for (int port : ports) {
                await(port, path, key, "200 acme", Duration.ofSeconds(1));
            }
            long t0 = System.nanoTime();
            admin().delete("/api/v1/gateways/{g}/tenants/acme/keys/{id}", gw, created.getInt("id")).then().statusCode(204);
            for (int port : ports) {
                await(port, path, key, "401", Duration.ofSeconds(1).minusNanos(System.nanoTime() - t0));
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "revoked on all three in " + ms + " ms");
            System.out.printf("key revocation reached 3 instances in %d ms%n", ms);
            // Its uses before the revocation were written in a batch by some instance's poll (the app's: 2 s).
            Eventually.eventually(() -> "last_used_at written", Duration.ofSeconds(15), Duration.ofMillis(100),
                    () -> admin().get("/api/v1/gateways/{g}/tenants/acme/keys", gw).jsonPath().get("[0].last_used_at") != null);
            admin().get("/api/v1/gateways/{g}/tenants/acme/keys", gw).then().body("[0].last_used_at", notNullValue())
                    .body("[0].status", org.hamcrest.Matchers.equalTo("revoked"));
        }
    }

    /** Asks without pause: the bound is what is measured. */
    private static void await(int port, String path, String key, String expected, Duration within) {
        String[] last = {null};
        Eventually.eventually(() -> "port " + port + " to answer '" + expected + "' (still '" + last[0] + "')",
                within.isNegative() ? Duration.ZERO : within, Duration.ZERO,
                () -> (last[0] = get(port, path, key)).equals(expected));
    }
}
