package io.gatehouse.tenant;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants and API keys over the admin API: CRUD, the pool rules, refusals, audit and how keys are stored. */
@QuarkusTest
class TenantApiTest {

    @Inject
    DataSource db;

    @Test
    void tenantsAreCreatedReplacedListedAndDeleted() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("description", "Acme Corp", "rate_limit", Map.of("requests_per_second", 20, "burst", 40)))
                .put("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(201)
                .body("name", equalTo("acme")).body("rate_limit.requests_per_second", equalTo(20))
                .body("rate_limit.burst", equalTo(40));
        // A burst left out is one second's worth; a null limit removes it.
        admin().body(Map.of("rate_limit", Map.of("requests_per_second", 5)))
                .put("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(200)
                .body("rate_limit.burst", equalTo(5)).body("description", equalTo(""));
        admin().body(Map.of("description", "Globex")).put("/api/v1/gateways/{g}/tenants/globex", gw).then()
                .statusCode(201).body("rate_limit", nullValue());
        admin().get("/api/v1/gateways/{g}/tenants", gw).then().statusCode(200).body("name", contains("acme", "globex"));
        admin().delete("/api/v1/gateways/{g}/tenants/globex", gw).then().statusCode(204);
        admin().get("/api/v1/gateways/{g}/tenants/globex", gw).then().statusCode(404);
        admin().get("/api/v1/gateways/{g}/audit", gw).then()
                .body("action", hasItems("tenant.create", "tenant.update", "tenant.delete"));
    }

    @Test
    void badTenantsAre422NamingTheField() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("rate_limit", Map.of("requests_per_second", 0, "burst", -1)))
                .put("/api/v1/gateways/{g}/tenants/{t}", gw, "acme corp").then().statusCode(422)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("name", "rate_limit.requests_per_second", "rate_limit.burst"));
        admin().get("/api/v1/gateways/{g}/tenants", gw).then().body("$", org.hamcrest.Matchers.empty());
    }

    @Test
    void tenantPoolsMayNameOnlyDeclaredTenants() {
        String gw = Fixtures.gateway(Fixtures.team());
        Map<String, Object> backend = Map.of("hosts", List.of(host("http://10.0.0.1:80", 1)),
                "tenant_pools", Map.of("acme", List.of(host("http://10.0.0.9:80", 1))));
        admin().body(Map.of("backend", backend)).put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(422)
                .body("errors[0].field", equalTo("backend.tenant_pools.acme"))
                .body("errors[0].message", startsWith("names no tenant of this gateway"));
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(404);
        admin().body(Map.of()).put("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(201);
        admin().body(Map.of("backend", backend)).put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
        // The same rule for a resource's override and its tenant rule.
        admin().body(Map.of("method", "GET", "path", "/r", "overrides", Map.of("prod", Map.of(
                        "hosts", List.of(host("http://10.0.0.1:80", 1)),
                        "tenant_pools", Map.of("initech", List.of(host("http://10.0.0.8:80", 1))))),
                        "tenants", Map.of("allowed", List.of("acme", "globex"))))
                .put("/api/v1/gateways/{g}/resources/r", gw).then().statusCode(422)
                .body("errors.field", contains("overrides.prod.tenant_pools.initech", "tenants.allowed[1]"));
        admin().body(Map.of("method", "GET", "path", "/r", "tenants", Map.of("required", true, "allowed", List.of("acme"))))
                .put("/api/v1/gateways/{g}/resources/r", gw).then().statusCode(201)
                .body("tenants.required", equalTo(true)).body("tenants.allowed", contains("acme"));
    }

    @Test
    void aRoutedTenantCannotBeDeleted() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of()).put("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(201);
        Map<String, Object> pools = Map.of("hosts", List.of(host("http://10.0.0.1:80", 1)),
                "tenant_pools", Map.of("acme", List.of(host("http://10.0.0.9:80", 1))));
        admin().body(Map.of("backend", pools)).put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
        Fixtures.resource(gw, "r1", "GET", "/r1");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        admin().delete("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(409)
                .contentType("application/problem+json")
                .body("detail", equalTo("tenant 'acme' is still routed by the live release of stage prod, stage prod;"
                        + " remove it from there (and publish) first"));
        // The draft no longer names it, but the live release still routes it.
        admin().body(Map.of("backend", Map.of("hosts", List.of(host("http://10.0.0.1:80", 1)))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin().delete("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(409)
                .body("detail", startsWith("tenant 'acme' is still routed by the live release of stage prod;"));
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        admin().delete("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(204);
    }

    @Test
    void aKeyIsShownOnceStoredAsAHashListedAndRevoked() throws SQLException {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of()).put("/api/v1/gateways/{g}/tenants/acme", gw).then().statusCode(201);
        var created = admin().body(Map.of("name", "ci", "expires_in_days", 30))
                .post("/api/v1/gateways/{g}/tenants/acme/keys", gw).then().statusCode(201).extract().jsonPath();
        String key = created.getString("key");
        int id = created.getInt("id");
        assertTrue(key.startsWith("gk_") && key.length() > 40, key);
        assertEquals(key.substring(0, 10), created.getString("prefix"));
        String stored = storedHash(id);
        assertEquals(ApiKeySecrets.hash(key), stored);
        assertNotEquals(key, stored);
        String list = admin().get("/api/v1/gateways/{g}/tenants/acme/keys", gw).then().statusCode(200)
                .body("[0].id", equalTo(id)).body("[0].name", equalTo("ci")).body("[0].status", equalTo("active"))
                .body("[0].expires_at", not(nullValue())).body("[0].last_used_at", nullValue())
                .extract().asString();
        assertFalse(list.contains(key.substring(10)), "a listing must not carry the secret");
        admin().body(Map.of("name", " ", "expires_in_days", 0)).post("/api/v1/gateways/{g}/tenants/acme/keys", gw)
                .then().statusCode(422).body("errors.field", contains("name", "expires_in_days"));
        admin().delete("/api/v1/gateways/{g}/tenants/acme/keys/{id}", gw, id).then().statusCode(204);
        admin().get("/api/v1/gateways/{g}/tenants/acme/keys", gw).then().body("[0].status", equalTo("revoked"));
        admin().delete("/api/v1/gateways/{g}/tenants/globex/keys/{id}", gw, id).then().statusCode(404);
        String audit = admin().get("/api/v1/gateways/{g}/audit", gw).then()
                .body("action", hasItems("tenant.key.create", "tenant.key.revoke")).extract().asString();
        assertFalse(audit.contains(key.substring(10)), "the audit log must not carry the secret");
    }

    private String storedHash(long id) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select key_hash from tenant_api_key where id = ?")) {
            s.setLong(1, id);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getString(1);
        }
    }
}
