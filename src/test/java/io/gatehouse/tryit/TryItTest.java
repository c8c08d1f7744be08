package io.gatehouse.tryit;

import io.gatehouse.Fixtures;
import io.gatehouse.proxy.Backend;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * "Try it" end to end: the admin API sends N requests through the application's own proxy to real
 * loopback backends, and reports which host answered each, as counts and as the balancer's sequence.
 */
@QuarkusTest
class TryItTest {
    @Inject
    Vertx vertx;

    private final List<Backend> backends = new ArrayList<>();

    private Backend backend(String name) {
        Backend b = new Backend(vertx, name);
        backends.add(b);
        return b;
    }

    @AfterEach
    void stop() {
        backends.forEach(Backend::close);
    }

    /** A gateway with stage prod on {@code backend}, resource get_user GET /users/{id}; published when asked. */
    private static String gateway(Map<String, Object> backend, boolean publish, String... tenants) {
        String gw = Fixtures.gateway(Fixtures.team());
        for (String tenant : tenants) {
            Fixtures.tenant(gw, tenant);
        }
        Fixtures.stage(gw, "prod", backend);
        Fixtures.resource(gw, "get_user", "GET", "/users/{id}");
        if (publish) {
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .statusCode(201);
        }
        return gw;
    }

    private static JsonPath tryIt(String gw, Map<String, Object> body, int status) {
        return admin().body(body).post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw).then()
                .statusCode(status).extract().jsonPath();
    }

    @Test
    void weightsThreeToOneOver100RequestsAreExactly75To25InSmoothWrrOrder() {
        Backend a = backend("a");
        Backend b = backend("b");
        String gw = gateway(Fixtures.backend(Fixtures.host(a.url(), 3), Fixtures.host(b.url(), 1)), true);
        JsonPath r = tryIt(gw, Map.of("count", 100, "path", "/users/7"), 200);
        assertEquals(Map.of(a.url(), 75, b.url(), 25), r.getMap("counts"));
        assertEquals(Map.of("200", 100), r.getMap("statuses"));
        assertEquals("a a b a ".repeat(25).trim(), String.join(" ", r.<String>getList("sequence")));
        assertEquals(100, r.getInt("sent"));
        assertEquals(true, r.getBoolean("complete"));
        assertEquals(List.of("a", "b"), r.getList("hosts.letter"));
        assertEquals(List.of(a.url(), b.url()), r.getList("hosts.url"));
        assertEquals(List.of(0.75f, 0.25f), r.getList("hosts.configured_share"));
        assertEquals(List.of(0.75f, 0.25f), r.getList("hosts.share"));
        assertEquals(75, a.requests.get());
        assertEquals(25, b.requests.get());
        assertEquals("/users/7", a.last.get().uri());
    }

    @Test
    void aTenantWithAPoolSendsEveryRequestToItsPool() {
        Backend shared1 = backend("shared-1");
        Backend shared2 = backend("shared-2");
        Backend acme = backend("acme");
        Map<String, Object> backend = new HashMap<>(Fixtures.backend(Fixtures.host(shared1.url(), 1),
                Fixtures.host(shared2.url(), 1)));
        backend.put("tenant_header", "X-Customer");
        backend.put("tenant_pools", Map.of("acme", List.of(Fixtures.host(acme.url(), 1))));
        String gw = gateway(backend, true, "acme");
        JsonPath r = tryIt(gw, Map.of("count", 40, "tenant", "acme", "path", "/users/1"), 200);
        assertEquals(Map.of(acme.url(), 40), r.getMap("counts"));
        assertEquals("a ".repeat(40).trim(), String.join(" ", r.<String>getList("sequence")));
        assertEquals("acme", acme.last.get().headers().get("X-Customer"));
        assertEquals(0, shared1.requests.get() + shared2.requests.get());
        // Without the tenant: the default hosts, in turn.
        JsonPath none = tryIt(gw, Map.of("count", 4, "path", "/users/1"), 200);
        assertEquals(Map.of(shared1.url(), 2, shared2.url(), 2), none.getMap("counts"));
    }

    @Test
    void errorsFromTheProxyAreCountedAsSuch() {
        Backend a = backend("a");
        String gw = gateway(Fixtures.backend(Fixtures.host(a.url(), 1)), true);
        a.handler(req -> req.response().setStatusCode(500).end("boom"));
        JsonPath r = tryIt(gw, Map.of("count", 2, "path", "/users/1"), 200);
        assertEquals(Map.of("500", 2), r.getMap("statuses"));
        assertEquals(List.of("a", "a"), r.getList("sequence"));
        a.stop();
        // Refused connections: the proxy's 502, and no host to name.
        JsonPath down = tryIt(gw, Map.of("count", 1, "path", "/users/1"), 200);
        assertEquals(Map.of("502", 1), down.getMap("statuses"));
        assertEquals(List.of("502"), down.getList("sequence"));
        assertEquals(Map.of(), down.getMap("counts"));
    }

    @Test
    void countMustBeFrom1To1000AndDefaultsTo100() {
        Backend a = backend("a");
        String gw = gateway(Fixtures.backend(Fixtures.host(a.url(), 1)), true);
        for (int bad : new int[] {0, 1001, -1}) {
            admin().body(Map.of("count", bad, "path", "/users/1"))
                    .post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", contains("count")).body("errors[0].message", equalTo("must be an integer from 1 to 1000"));
        }
        assertEquals(0, a.requests.get());
        assertEquals(100, tryIt(gw, Map.of("path", "/users/1"), 200).getInt("sent"));
        assertEquals(1000, tryIt(gw, Map.of("count", 1000, "path", "/users/1"), 200).getInt("sent"));
    }

    @Test
    void badTenantOrPathIsA400NamingTheField() {
        Backend a = backend("a");
        String gw = gateway(Fixtures.backend(Fixtures.host(a.url(), 1)), true);
        tryIt(gw, Map.of("tenant", "no spaces"), 400);
        admin().body(Map.of("tenant", "a b", "path", "/users/1"))
                .post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw).then().statusCode(400)
                .body("errors.field", contains("tenant"));
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw).then()
                .statusCode(400).body("errors.field", contains("path"))
                .body("errors[0].message", containsString("such as /users/1"));
        admin().body(Map.of("path", "/users/1/more")).post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw)
                .then().statusCode(400).body("errors.field", contains("path"))
                .body("errors[0].message", equalTo("GET /users/1/more reaches no resource, not 'get_user' (/users/{id}, exact match)"));
        admin().body(Map.of("path", "users/1")).post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw)
                .then().statusCode(400).body("errors.field", contains("path"));
        assertEquals(0, a.requests.get());
    }

    @Test
    void anUnpublishedStageOrAResourceNotInItsLatestReleaseIsAClearError() {
        Backend a = backend("a");
        String gw = gateway(Fixtures.backend(Fixtures.host(a.url(), 1)), false);
        admin().body(Map.of("path", "/users/1")).post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw)
                .then().statusCode(422).body("errors.field", contains("stage"))
                .body("errors[0].message", equalTo("stage 'prod' is not published: publish a version to it before trying its resources"));
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        Fixtures.resource(gw, "later", "GET", "/later");
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/resources/later/try", gw)
                .then().statusCode(422).body("errors.field", contains("resource"))
                .body("errors[0].message", equalTo("resource 'later' is not live on stage 'prod': release 1 does not "
                        + "contain it; publish a version that does"));
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/resources/nope/try", gw).then().statusCode(404);
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/nope/resources/get_user/try", gw).then().statusCode(404);
        assertEquals(0, a.requests.get());
    }

    @Test
    void underTenantFromApiKeyItShowsWhichTenantAndPoolAKeySelectsWithoutShowingTheKey() {
        Backend shared = backend("shared");
        Backend acme = backend("acme");
        Map<String, Object> cfg = new HashMap<>(Fixtures.backend(Fixtures.host(shared.url(), 1)));
        cfg.put("tenant_pools", Map.of("acme", List.of(Fixtures.host(acme.url(), 1))));
        cfg.put("tenant_from", "api_key");
        String gw = gateway(cfg, false, "acme");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        String key = admin().body(Map.of("name", "try")).post("/api/v1/gateways/{g}/tenants/acme/keys", gw).then()
                .statusCode(201).extract().path("key");
        io.gatehouse.Eventually.eventually("the key on this instance", () -> "acme".equals(tryIt(gw,
                Map.of("count", 1, "path", "/users/1", "api_key", key), 200).getString("identity.tenant")));

        String raw = admin().body(Map.of("count", 4, "path", "/users/1", "api_key", key))
                .post("/api/v1/gateways/{g}/stages/prod/resources/get_user/try", gw).then().statusCode(200)
                .extract().asString();
        JsonPath r = new JsonPath(raw);
        assertEquals("api_key", r.getString("identity.tenant_from"));
        assertEquals("acme", r.getString("identity.tenant"));
        assertEquals("tenant pool acme", r.getString("identity.pool"));
        assertEquals(null, r.getString("identity.refusal"));
        assertEquals(Map.of(acme.url(), 4), r.getMap("counts"));
        assertEquals(false, raw.contains(key) || raw.contains(key.substring(3)), "the key is never shown back");

        // A key that is not one: no tenant, and why; unknown_tenant: default sends it to the default hosts.
        JsonPath bad = tryIt(gw, Map.of("count", 2, "path", "/users/1", "api_key", "gk_not-a-key"), 200);
        assertEquals(null, bad.getString("identity.tenant"));
        assertEquals("invalid_api_key: the API key is not valid for gateway " + gw + " (unknown or revoked)",
                bad.getString("identity.refusal"));
        assertEquals("default hosts", bad.getString("identity.pool"));
        assertEquals(Map.of(shared.url(), 2), bad.getMap("counts"));
        // A tenant name is no identity on this stage: refused naming the field, nothing sent.
        int before = acme.requestsServed() + shared.requestsServed();
        assertEquals(List.of("tenant"), tryIt(gw, Map.of("count", 1, "path", "/users/1", "tenant", "acme"), 400)
                .getList("errors.field"));
        assertEquals(before, acme.requestsServed() + shared.requestsServed());
    }
}
