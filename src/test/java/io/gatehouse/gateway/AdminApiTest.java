package io.gatehouse.gateway;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API's CRUD as the design's contract states it: 201 on create, 200 on replace, 204 on delete. */
@QuarkusTest
class AdminApiTest {

    @Test
    void teamGatewayStageAndResourceLifecycle() {
        String team = Fixtures.team();
        admin().get("/api/v1/teams").then().statusCode(200).body("slug", hasItem(team));

        String gw = Fixtures.unique("orders");
        admin().body(Map.of("name", gw, "description", "Orders API"))
                .post("/api/v1/teams/{t}/gateways", team)
                .then().statusCode(201).body("name", equalTo(gw)).body("team", equalTo(team))
                .body("description", equalTo("Orders API"));
        admin().get("/api/v1/teams/{t}/gateways", team).then().statusCode(200).body("name", contains(gw));

        Fixtures.tenant(gw, "acme");
        Map<String, Object> prod = Map.of("type", "weighted_round_robin",
                "hosts", List.of(host("http://10.0.0.1:8000", 5), host("http://10.0.0.2:8000", 1)),
                "tenant_pools", Map.of("acme", List.of(host("http://acme-1:8080", 1))),
                "tenant_fallback", "default");
        admin().body(Map.of("description", "production", "backend", prod))
                .put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(201)
                .body("name", equalTo("prod"))
                .body("backend.hosts[0].weight", equalTo(5))
                .body("backend.tenant_pools.acme[0].url", equalTo("http://acme-1:8080"))
                .body("backend.tenant_fallback", equalTo("default"))
                .body("backend.tenant_header", equalTo("X-Tenant-Id"))
                .body("backend.timeouts.connect_ms", equalTo(2000))
                .body("backend.timeouts.read_ms", equalTo(30000))
                .body("backend.retries", equalTo(1))
                .body("backend.pass_host", equalTo("pass"))
                .body("backend.health_check", nullValue());
        admin().body(Map.of("description", "production, 3 hosts",
                        "backend", backend(host("http://10.0.0.3:8000", 2))))
                .put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(200).body("backend.hosts[0].url", equalTo("http://10.0.0.3:8000"));
        Fixtures.stage(gw, "test", backend(host("http://127.0.0.1:9000", 1)));

        Map<String, Object> resource = Map.of("method", "GET", "path", "/users/{id}", "match", "exact",
                "backend_path", "/api/users/{id}",
                "overrides", Map.of("prod", backend(host("http://10.0.0.9:8000", 1))));
        admin().body(resource).put("/api/v1/gateways/{g}/resources/get_user", gw)
                .then().statusCode(201)
                .body("backend_path", equalTo("/api/users/{id}"))
                .body("overrides.prod.hosts[0].url", equalTo("http://10.0.0.9:8000"));
        admin().body(Map.of("method", "GET", "path", "/users/{id}", "backend_path", "/v2/users/{id}"))
                .put("/api/v1/gateways/{g}/resources/get_user", gw)
                .then().statusCode(200).body("overrides", equalTo(Map.of())).body("match", equalTo("exact"));
        admin().get("/api/v1/gateways/{g}", gw).then().statusCode(200)
                .body("stages", contains("prod", "test")).body("resources", equalTo(1));
        admin().get("/api/v1/gateways/{g}/resources", gw).then().statusCode(200).body("name", contains("get_user"));

        admin().delete("/api/v1/gateways/{g}/resources/get_user", gw).then().statusCode(204);
        admin().get("/api/v1/gateways/{g}/resources/get_user", gw).then().statusCode(404)
                .body("detail", equalTo("resource 'get_user' does not exist"));
        admin().delete("/api/v1/gateways/{g}/stages/test", gw).then().statusCode(204);
        admin().delete("/api/v1/gateways/{g}", gw).then().statusCode(204);
        admin().get("/api/v1/gateways/{g}", gw).then().statusCode(404);
    }

    @Test
    void aStageThatResourcesOverrideCannotBeDeleted() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1", 1)));
        admin().body(Map.of("method", "GET", "path", "/a", "overrides", Map.of("prod", backend(host("http://b", 1)))))
                .put("/api/v1/gateways/{g}/resources/a", gw).then().statusCode(201);
        admin().delete("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(409)
                .body("detail", equalTo("resources a override stage 'prod'; remove their overrides first"));
    }

    @Test
    void routeConflictsAre409NamingTheOtherResource() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.resource(gw, "get_user", "GET", "/users/{id}");
        admin().body(Map.of("method", "GET", "path", "/users/{uid}"))
                .put("/api/v1/gateways/{g}/resources/other_user", gw)
                .then().statusCode(409).contentType("application/problem+json")
                .body("code", equalTo("conflict"))
                .body("detail", equalTo("resource 'get_user' (GET /users/{id}, exact) already matches the same requests"));
        // Equally specific only: a literal beside a parameter, another method, ANY beside a named method
        // (the named one wins) or a prefix match is fine.
        admin().body(Map.of("method", "ANY", "path", "/users/{uid}"))
                .put("/api/v1/gateways/{g}/resources/any_user", gw).then().statusCode(201);
        Fixtures.resource(gw, "me", "GET", "/users/me");
        Fixtures.resource(gw, "delete_user", "DELETE", "/users/{id}");
        admin().body(Map.of("method", "GET", "path", "/users/{id}", "match", "prefix"))
                .put("/api/v1/gateways/{g}/resources/user_tree", gw).then().statusCode(201);
        // Replacing a resource with itself is not a conflict.
        admin().body(Map.of("method", "GET", "path", "/users/{id}"))
                .put("/api/v1/gateways/{g}/resources/get_user", gw).then().statusCode(200);
    }

    @Test
    void theDescriptionChangesThroughPatchAndIsAudited() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("description", "Orders API, v2")).patch("/api/v1/gateways/{g}", gw)
                .then().statusCode(200).body("name", equalTo(gw)).body("description", equalTo("Orders API, v2"));
        admin().get("/api/v1/gateways/{g}", gw).then().body("description", equalTo("Orders API, v2"));
        admin().queryParam("limit", 1).get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .body("[0].action", equalTo("gateway.update"))
                .body("[0].after.description", equalTo("Orders API, v2"));
        // An empty body changes nothing; the same value again writes no audit entry.
        admin().body(Map.of()).patch("/api/v1/gateways/{g}", gw).then().statusCode(200)
                .body("description", equalTo("Orders API, v2"));
        admin().body(Map.of("description", "Orders API, v2")).patch("/api/v1/gateways/{g}", gw).then().statusCode(200);
        admin().get("/api/v1/gateways/{g}/audit", gw).then()
                .body("findAll { it.action == 'gateway.update' }.size()", equalTo(1));

        // The name is not a field of the patch; a long description is refused naming the field; nothing saved.
        admin().body(Map.of("name", "renamed")).patch("/api/v1/gateways/{g}", gw).then().statusCode(400)
                .body("errors[0].field", equalTo("name"));
        admin().body(Map.of("description", "x".repeat(1001))).patch("/api/v1/gateways/{g}", gw).then().statusCode(422)
                .body("errors[0].field", equalTo("description"))
                .body("errors[0].message", equalTo("must be at most 1000 characters"));
        admin().get("/api/v1/gateways/{g}", gw).then().body("description", equalTo("Orders API, v2"));
    }

    @Test
    void theGatewaysUpdatedTimeFollowsEveryChangeOfItsStagesAndResources() throws Exception {
        String gw = Fixtures.gateway(Fixtures.team());
        String created = admin().get("/api/v1/gateways/{g}", gw).then().extract().path("updated_at");
        Thread.sleep(5); // timestamps have microseconds; make sure the clock moved
        Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://10.0.0.1:8000", 1)));
        String afterStage = admin().get("/api/v1/gateways/{g}", gw).then().extract().path("updated_at");
        assertTrue(java.time.OffsetDateTime.parse(afterStage).isAfter(java.time.OffsetDateTime.parse(created)),
                created + " -> " + afterStage);
        Thread.sleep(5);
        Fixtures.resource(gw, "items", "GET", "/items");
        String afterResource = admin().get("/api/v1/gateways/{g}", gw).then().extract().path("updated_at");
        assertTrue(java.time.OffsetDateTime.parse(afterResource).isAfter(java.time.OffsetDateTime.parse(afterStage)));
        Thread.sleep(5);
        admin().delete("/api/v1/gateways/{g}/resources/items", gw).then().statusCode(204);
        String afterDelete = admin().get("/api/v1/gateways/{g}", gw).then().extract().path("updated_at");
        assertTrue(java.time.OffsetDateTime.parse(afterDelete).isAfter(java.time.OffsetDateTime.parse(afterResource)));
        // A refused change (422) changes nothing, its time included.
        admin().body(Map.of("backend", Map.of("hosts", List.of()))).put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(422);
        admin().get("/api/v1/gateways/{g}", gw).then().body("updated_at", equalTo(afterDelete));
    }

    @Test
    void gatewayNamesAreGloballyUnique() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("name", gw)).post("/api/v1/teams/{t}/gateways", Fixtures.team())
                .then().statusCode(409).body("code", equalTo("conflict"));
    }

    @Test
    void membersAreManagedByOwnersAndATeamKeepsAnOwner() {
        String team = Fixtures.team();
        String user = Fixtures.user();
        admin().body(Map.of("role", "viewer")).put("/api/v1/teams/{t}/members/{u}", team, user)
                .then().statusCode(201).body("role", equalTo("viewer"));
        admin().body(Map.of("role", "maintainer")).put("/api/v1/teams/{t}/members/{u}", team, user)
                .then().statusCode(200).body("role", equalTo("maintainer"));
        admin().body(Map.of("role", "boss")).put("/api/v1/teams/{t}/members/{u}", team, user)
                .then().statusCode(422).body("errors[0].field", equalTo("role"));
        admin().body(Map.of("role", "viewer")).put("/api/v1/teams/{t}/members/{u}", team, "admin")
                .then().statusCode(409).body("detail", equalTo("team '" + team + "' must keep at least one owner"));
        admin().get("/api/v1/teams/{t}/members", team).then().statusCode(200)
                .body("username", contains("admin", user));
        admin().delete("/api/v1/teams/{t}/members/{u}", team, user).then().statusCode(204);
    }
}
