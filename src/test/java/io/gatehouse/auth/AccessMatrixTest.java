package io.gatehouse.auth;

import io.gatehouse.Endpoints;
import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BiFunction;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 401/403/404 matrix of the admin API: every endpoint, called by an anonymous caller, a member of
 * another team, a viewer, a maintainer and an owner, answers exactly the expected status. Another
 * team's gateway is a 404, exactly like a missing one, so names do not leak. The endpoints are found by
 * reflection over the compiled API classes: a new endpoint without a rule here fails the test.
 */
@QuarkusTest
class AccessMatrixTest {
    private static final List<String> CALLERS = List.of("anonymous", "outsider", "viewer", "maintainer", "owner");

    /** A fresh gateway world per test: team, gateway with stage prod, resource r1, version 1 published. */
    record World(String team, String gw) {
    }

    /** How to call one endpoint as a caller in a world, and the status each caller must get. */
    record Rule(BiFunction<RequestSpecification, World, Integer> call, Map<String, Integer> expected) {
    }

    private World world;
    private final Map<String, String> users = new LinkedHashMap<>();

    @BeforeEach
    void world() {
        String team = Fixtures.team();
        String gw = Fixtures.publishedGateway(team);
        for (String role : List.of("viewer", "maintainer", "owner")) {
            String user = Fixtures.user();
            Fixtures.member(team, user, role);
            users.put(role, user);
        }
        String outsider = Fixtures.user();
        Fixtures.member(Fixtures.team(), outsider, "owner");
        users.put("outsider", outsider);
        world = new World(team, gw);
    }

    private static Map<String, Integer> expect(int outsider, int viewer, int maintainer, int owner) {
        return Map.of("anonymous", 401, "outsider", outsider, "viewer", viewer, "maintainer", maintainer, "owner", owner);
    }

    /** A different host per call, so each publish has a change to release (nanoTime modulo 200 could repeat: 409). */
    private static final java.util.concurrent.atomic.AtomicInteger HOSTS = new java.util.concurrent.atomic.AtomicInteger();

    private static final Map<String, Integer> READ = expect(404, 200, 200, 200);
    private static final Map<String, Integer> ANY_USER = expect(200, 200, 200, 200);

    /** One rule per endpoint, keyed as "METHOD /path/template" exactly as the API classes declare it. */
    private static Map<String, Rule> rules() {
        Map<String, Object> stageBody = Map.of("backend", backend(host("http://10.0.0.2:8000", 2)));
        Map<String, Rule> r = new LinkedHashMap<>();
        // Accounts and tokens: every signed-in user acts on their own.
        r.put("POST /api/v1/users", new Rule((q, w) -> q.body(Map.of("username", Fixtures.unique("u"),
                "password", "password-1234")).post("/api/v1/users").statusCode(), expect(403, 403, 403, 403)));
        r.put("PUT /api/v1/users/{username}/oidc-link", new Rule((q, w) -> q.body(Map.of("subject", "s-" + System.nanoTime()))
                .put("/api/v1/users/{u}/oidc-link", Fixtures.user()).statusCode(), expect(403, 403, 403, 403)));
        r.put("DELETE /api/v1/users/{username}/oidc-link", new Rule((q, w) -> q.delete("/api/v1/users/{u}/oidc-link",
                Fixtures.user()).statusCode(), expect(403, 403, 403, 403)));
        r.put("GET /api/v1/me", new Rule((q, w) -> q.get("/api/v1/me").statusCode(), ANY_USER));
        r.put("POST /api/v1/tokens", new Rule((q, w) -> q.body(Map.of("name", "m")).post("/api/v1/tokens").statusCode(),
                expect(201, 201, 201, 201)));
        r.put("GET /api/v1/tokens", new Rule((q, w) -> q.get("/api/v1/tokens").statusCode(), ANY_USER));
        r.put("DELETE /api/v1/tokens/{id}", new Rule((q, w) -> q.delete("/api/v1/tokens/{id}", 999_999_999).statusCode(),
                expect(404, 404, 404, 404)));
        // Teams.
        r.put("GET /api/v1/teams", new Rule((q, w) -> q.get("/api/v1/teams").statusCode(), ANY_USER));
        r.put("POST /api/v1/teams", new Rule((q, w) -> q.body(Map.of("slug", Fixtures.unique("t"), "name", "x"))
                .post("/api/v1/teams").statusCode(), expect(403, 403, 403, 403)));
        r.put("GET /api/v1/teams/{team}/members", new Rule((q, w) -> q.get("/api/v1/teams/{t}/members", w.team())
                .statusCode(), READ));
        r.put("PUT /api/v1/teams/{team}/members/{username}", new Rule((q, w) -> q.body(Map.of("role", "viewer"))
                .put("/api/v1/teams/{t}/members/{u}", w.team(), Fixtures.user()).statusCode(), expect(404, 403, 403, 201)));
        r.put("DELETE /api/v1/teams/{team}/members/{username}", new Rule((q, w) -> {
            String member = Fixtures.user();
            Fixtures.member(w.team(), member, "viewer");
            return q.delete("/api/v1/teams/{t}/members/{u}", w.team(), member).statusCode();
        }, expect(404, 403, 403, 204)));
        r.put("GET /api/v1/teams/{team}/gateways", new Rule((q, w) -> q.get("/api/v1/teams/{t}/gateways", w.team())
                .statusCode(), READ));
        r.put("POST /api/v1/teams/{team}/gateways", new Rule((q, w) -> q.body(Map.of("name", Fixtures.unique("new")))
                .post("/api/v1/teams/{t}/gateways", w.team()).statusCode(), expect(404, 403, 201, 201)));
        // A gateway and its stages and resources.
        r.put("GET /api/v1/gateways/{gw}", new Rule((q, w) -> q.get("/api/v1/gateways/{g}", w.gw()).statusCode(), READ));
        r.put("PATCH /api/v1/gateways/{gw}", new Rule((q, w) -> q.body(Map.of("description", "d" + HOSTS.incrementAndGet()))
                .patch("/api/v1/gateways/{g}", w.gw()).statusCode(), expect(404, 403, 200, 200)));
        r.put("DELETE /api/v1/gateways/{gw}", new Rule((q, w) -> q.delete("/api/v1/gateways/{g}",
                Fixtures.gateway(w.team())).statusCode(), expect(404, 403, 403, 204)));
        r.put("GET /api/v1/gateways/{gw}/stages", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/stages", w.gw())
                .statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/stages/prod",
                w.gw()).statusCode(), READ));
        r.put("PUT /api/v1/gateways/{gw}/stages/{stage}", new Rule((q, w) -> q.body(stageBody)
                .put("/api/v1/gateways/{g}/stages/prod", w.gw()).statusCode(), expect(404, 403, 200, 200)));
        r.put("DELETE /api/v1/gateways/{gw}/stages/{stage}", new Rule((q, w) -> {
            String stage = "s" + Math.abs(System.nanoTime() % 100000);
            Fixtures.stage(w.gw(), stage, backend(host("http://10.0.0.1:8000", 1)));
            return q.delete("/api/v1/gateways/{g}/stages/{s}", w.gw(), stage).statusCode();
        }, expect(404, 403, 204, 204)));
        r.put("GET /api/v1/gateways/{gw}/resources", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/resources", w.gw())
                .statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/resources/{resource}", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/resources/r1", w.gw()).statusCode(), READ));
        r.put("PUT /api/v1/gateways/{gw}/resources/{resource}", new Rule((q, w) -> q.body(Map.of("method", "GET",
                "path", "/r1")).put("/api/v1/gateways/{g}/resources/r1", w.gw()).statusCode(), expect(404, 403, 200, 200)));
        r.put("DELETE /api/v1/gateways/{gw}/resources/{resource}", new Rule((q, w) -> {
            String name = "d" + System.nanoTime();
            Fixtures.resource(w.gw(), name, "GET", "/" + name);
            return q.delete("/api/v1/gateways/{g}/resources/{r}", w.gw(), name).statusCode();
        }, expect(404, 403, 204, 204)));
        // Publishing.
        r.put("POST /api/v1/gateways/{gw}/versions", new Rule((q, w) -> {
            Fixtures.resource(w.gw(), "v" + System.nanoTime(), "GET", "/v" + System.nanoTime());
            return q.body(Map.of("title", "t")).post("/api/v1/gateways/{g}/versions", w.gw()).statusCode();
        }, expect(404, 403, 201, 201)));
        r.put("GET /api/v1/gateways/{gw}/versions", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/versions", w.gw())
                .statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/versions/{number}", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/versions/1",
                w.gw()).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/versions/{a}/diff/{b}", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/versions/1/diff/draft", w.gw()).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/releases/{a}/diff/{b}", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/prod/releases/1/diff/draft", w.gw()).statusCode(), READ));
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/releases", new Rule((q, w) -> {
            admin().body(Map.of("backend", backend(host("http://10.0." + HOSTS.incrementAndGet() % 250 + ".1:80", 1))))
                    .put("/api/v1/gateways/{g}/stages/prod", w.gw()).then().statusCode(200);
            return q.body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", w.gw()).statusCode();
        }, expect(404, 403, 201, 201)));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/health", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/prod/health", w.gw()).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/releases", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/prod/releases", w.gw()).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/releases/{number}", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/prod/releases/1", w.gw()).statusCode(), READ));
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/rollback", new Rule((q, w) -> {
            admin().body(Map.of("backend", backend(host("http://10.1." + HOSTS.incrementAndGet() % 250 + ".1:80", 1))))
                    .put("/api/v1/gateways/{g}/stages/prod", w.gw()).then().statusCode(200);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", w.gw()).then()
                    .statusCode(201);
            return q.body(Map.of("release", 1)).post("/api/v1/gateways/{g}/stages/prod/rollback", w.gw()).statusCode();
        }, expect(404, 403, 201, 201)));
        // Approval: the admin requests a release to a fresh stage that requires approval; others decide.
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/release-requests", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/{s}/release-requests", w.gw(), requestedStage(w)).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/release-requests/{number}", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/{s}/release-requests/1", w.gw(), requestedStage(w)).statusCode(), READ));
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/release-requests/{number}/approve", new Rule((q, w) ->
                q.body(Map.of()).post("/api/v1/gateways/{g}/stages/{s}/release-requests/1/approve", w.gw(),
                        requestedStage(w)).statusCode(), expect(404, 403, 201, 201)));
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/release-requests/{number}/reject", new Rule((q, w) ->
                q.body(Map.of()).post("/api/v1/gateways/{g}/stages/{s}/release-requests/1/reject", w.gw(),
                        requestedStage(w)).statusCode(), expect(404, 403, 200, 200)));
        // Only the requester withdraws; everyone else, owners included, is refused.
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/release-requests/{number}/withdraw", new Rule((q, w) ->
                q.body(Map.of()).post("/api/v1/gateways/{g}/stages/{s}/release-requests/1/withdraw", w.gw(),
                        requestedStage(w)).statusCode(), expect(404, 403, 403, 403)));
        r.put("GET /api/v1/gateways/{gw}/unpublished", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/unpublished",
                w.gw()).statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/audit", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/audit", w.gw())
                .statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/export", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/export", w.gw())
                .statusCode(), READ));
        r.put("PUT /api/v1/gateways/{gw}/import", new Rule((q, w) -> {
            String doc = admin().get("/api/v1/gateways/{g}/export", w.gw()).asString();
            return q.body(doc).queryParam("dry_run", true).put("/api/v1/gateways/{g}/import", w.gw()).statusCode();
        }, expect(404, 403, 200, 200)));
        // Try it sends real traffic through the proxy: maintainers and up. One request keeps it short.
        r.put("POST /api/v1/gateways/{gw}/stages/{stage}/resources/{resource}/try", new Rule((q, w) -> q.body(
                Map.of("count", 1)).post("/api/v1/gateways/{g}/stages/prod/resources/r1/try", w.gw()).statusCode(),
                expect(404, 403, 200, 200)));
        // Host states: the on-call lever, maintainers and up, no release.
        r.put("GET /api/v1/gateways/{gw}/host-states", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/host-states",
                w.gw()).statusCode(), READ));
        r.put("PUT /api/v1/gateways/{gw}/host-states", new Rule((q, w) -> {
            admin().body(Map.of("method", "GET", "path", "/hs", "overrides",
                    Map.of("prod", backend(host("http://10.9.9.9:80", 1))))).put("/api/v1/gateways/{g}/resources/hs", w.gw());
            return q.body(Map.of("url", "http://10.9.9.9:80", "state", "draining", "reason", "matrix"))
                    .put("/api/v1/gateways/{g}/host-states", w.gw()).statusCode();
        }, expect(404, 403, 200, 200)));
        r.put("GET /api/v1/gateways/{gw}/stages/{stage}/export/gateway-api", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/stages/prod/export/gateway-api", w.gw()).statusCode(), READ));
        // Tenants and their API keys: gateway config, changed by maintainers and up (keys need no release).
        r.put("GET /api/v1/gateways/{gw}/tenants", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/tenants", w.gw())
                .statusCode(), READ));
        r.put("GET /api/v1/gateways/{gw}/tenants/{tenant}", new Rule((q, w) -> q.get("/api/v1/gateways/{g}/tenants/{t}",
                w.gw(), tenant(w)).statusCode(), READ));
        r.put("PUT /api/v1/gateways/{gw}/tenants/{tenant}", new Rule((q, w) -> q.body(Map.of("description", "d"))
                .put("/api/v1/gateways/{g}/tenants/{t}", w.gw(), "t" + HOSTS.incrementAndGet()).statusCode(),
                expect(404, 403, 201, 201)));
        r.put("DELETE /api/v1/gateways/{gw}/tenants/{tenant}", new Rule((q, w) -> q.delete(
                "/api/v1/gateways/{g}/tenants/{t}", w.gw(), tenant(w)).statusCode(), expect(404, 403, 204, 204)));
        r.put("POST /api/v1/gateways/{gw}/tenants/{tenant}/keys", new Rule((q, w) -> q.body(Map.of("name", "k"))
                .post("/api/v1/gateways/{g}/tenants/{t}/keys", w.gw(), tenant(w)).statusCode(), expect(404, 403, 201, 201)));
        r.put("GET /api/v1/gateways/{gw}/tenants/{tenant}/keys", new Rule((q, w) -> q.get(
                "/api/v1/gateways/{g}/tenants/{t}/keys", w.gw(), tenant(w)).statusCode(), READ));
        r.put("DELETE /api/v1/gateways/{gw}/tenants/{tenant}/keys/{id}", new Rule((q, w) -> {
            String t = tenant(w);
            int id = admin().body(Map.of("name", "k")).post("/api/v1/gateways/{g}/tenants/{t}/keys", w.gw(), t).then()
                    .statusCode(201).extract().path("id");
            return q.delete("/api/v1/gateways/{g}/tenants/{t}/keys/{id}", w.gw(), t, id).statusCode();
        }, expect(404, 403, 204, 204)));
        return r;
    }

    /** A new tenant of the world's gateway, made by the admin. */
    private static String tenant(World w) {
        String name = "t" + HOSTS.incrementAndGet();
        admin().body(Map.of()).put("/api/v1/gateways/{g}/tenants/{t}", w.gw(), name).then().statusCode(201);
        return name;
    }

    /** A new stage of the world's gateway that requires approval, with the admin's release request 1 pending. */
    private static String requestedStage(World w) {
        String stage = "a" + HOSTS.incrementAndGet();
        admin().body(Map.of("backend", backend(host("http://10.0.0.3:8000", 1)), "requires_approval", true))
                .put("/api/v1/gateways/{g}/stages/{s}", w.gw(), stage).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/{s}/releases", w.gw(), stage).then()
                .statusCode(202).body("number", equalTo(1));
        return stage;
    }

    /** Every admin API endpoint the compiled classes declare, as "METHOD /path/template". */
    static TreeSet<String> declaredEndpoints() throws IOException, ClassNotFoundException {
        return Endpoints.api();
    }

    @Test
    void everyEndpointHasARule() throws Exception {
        assertEquals(declaredEndpoints(), new TreeSet<>(rules().keySet()),
                "each admin API endpoint needs exactly one rule in AccessMatrixTest.rules()");
    }

    @Test
    void everyCallerGetsExactlyTheExpectedStatus() {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Rule> endpoint : rules().entrySet()) {
            for (String caller : CALLERS) {
                int expected = endpoint.getValue().expected().get(caller);
                RequestSpecification q = caller.equals("anonymous") ? Fixtures.anonymous() : Fixtures.as(users.get(caller));
                int status = endpoint.getValue().call().apply(q, world);
                if (status != expected) {
                    mismatches.add(endpoint.getKey() + " as " + caller + ": expected " + expected + ", got " + status);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void anotherTeamsGatewayLooksExactlyLikeAMissingOne() {
        String outsider = users.get("outsider");
        String hidden = Fixtures.as(outsider).get("/api/v1/gateways/{g}", world.gw()).then().statusCode(404).extract()
                .asString();
        String missing = Fixtures.as(outsider).get("/api/v1/gateways/{g}", "no-such-gw").then().statusCode(404)
                .extract().asString();
        assertEquals(missing.replace("no-such-gw", world.gw()), hidden);
    }

    @Test
    void badCredentialsAre401ProblemJsonWithAChallenge() {
        Fixtures.basic(users.get("owner"), Fixtures.PASSWORD).get("/api/v1/gateways/{g}", world.gw()).then()
                .statusCode(200);
        Fixtures.basic(users.get("owner"), "wrong-password").get("/api/v1/gateways/{g}", world.gw())
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Basic realm=\"Gatehouse\", Bearer realm=\"Gatehouse\""))
                .body("code", equalTo("unauthorized"));
        Fixtures.basic("nobody-" + world.gw(), "wrong-password").get("/api/v1/gateways/{g}", world.gw())
                .then().statusCode(401);
        Fixtures.anonymous().header("Authorization", "Negotiate abc").get("/api/v1/teams").then().statusCode(401);
    }

    @Test
    void membersSeeOnlyTheirTeams() {
        Fixtures.as(users.get("outsider")).get("/api/v1/teams").then().statusCode(200)
                .body("slug", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(world.team())));
        Fixtures.as(users.get("viewer")).get("/api/v1/teams").then().statusCode(200)
                .body("find { it.slug == '" + world.team() + "' }.role", equalTo("viewer"));
    }
}
