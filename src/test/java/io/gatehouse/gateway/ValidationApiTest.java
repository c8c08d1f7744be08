package io.gatehouse.gateway;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
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
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bad input over HTTP: problem JSON naming each field, and nothing half-saved. */
@QuarkusTest
class ValidationApiTest {

    @Test
    void a422NamesEveryBadFieldAndChangesNothing() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 5)));
        String before = admin().get("/api/v1/gateways/{g}/stages/prod", gw).asString();
        long auditBefore = auditCount(gw);

        Map<String, Object> bad = Map.of("type", "consistent_hash",
                "hosts", List.of(host("http://10.0.0.1/api", 0), host("ftp://x", 1)),
                "tenant_pools", Map.of("acme corp", List.of(host("http://a", 1))),
                "timeouts", Map.of("connect_ms", 0));
        admin().body(Map.of("backend", bad)).put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(422).contentType("application/problem+json")
                .body("status", equalTo(422)).body("code", equalTo("validation_failed"))
                .body("errors.field", hasItems("backend.hosts[0].url", "backend.hosts[0].weight",
                        "backend.hosts[1].url", "backend.tenant_pools.acme corp", "backend.hash",
                        "backend.timeouts.connect_ms"))
                .body("errors.find { it.field == 'backend.hosts[0].weight' }.message",
                        equalTo("must be an integer from 1 to 10000"));

        assertEquals(before, admin().get("/api/v1/gateways/{g}/stages/prod", gw).asString());
        assertEquals(auditBefore, auditCount(gw));
    }

    @Inject
    DataSource db;

    private long auditCount(String gw) {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select count(*) from audit_entry where gateway = ?")) {
            s.setString(1, gw);
            ResultSet rs = s.executeQuery();
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void unknownFieldsAre400NamingThem() {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("method", "GET", "path", "/a", "pathh", "/b"))
                .put("/api/v1/gateways/{g}/resources/a", gw)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("unknown field 'pathh'")).body("errors[0].field", equalTo("pathh"));
        admin().body(Map.of("backend", Map.of("hosts", List.of(Map.of("url", "http://a", "weight", 1, "wieght", 2)))))
                .put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(400).body("errors[0].field", equalTo("backend.hosts[0].wieght"));
        admin().get("/api/v1/gateways/{g}/resources", gw).then().body("size()", equalTo(0));
    }

    @Test
    void wrongTypesAre400NamingTheFieldAndNeverCoerced() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (Object weight : List.of(1.5, "5", "abc", true)) {
            admin().body(Map.of("backend", Map.of("hosts", List.of(Map.of("url", "http://a", "weight", weight)))))
                    .put("/api/v1/gateways/{g}/stages/prod", gw)
                    .then().statusCode(400).body("errors[0].field", equalTo("backend.hosts[0].weight"))
                    .body("errors[0].message", equalTo("must be an integer"));
        }
        admin().body("{\"method\": \"GET\", ").put("/api/v1/gateways/{g}/resources/a", gw)
                .then().statusCode(400).body("code", equalTo("bad_body"));
        admin().get("/api/v1/gateways/{g}/stages", gw).then().body("size()", equalTo(0));
    }

    @Test
    void stripTenantHeaderIsABooleanShownOnlyWhenOn() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (Object flag : List.of("true", 1)) {
            admin().body(Map.of("backend", Map.of("hosts", List.of(host("http://a", 1)), "strip_tenant_header", flag)))
                    .put("/api/v1/gateways/{g}/stages/prod", gw)
                    .then().statusCode(400).body("errors[0].field", equalTo("backend.strip_tenant_header"));
        }
        admin().body(Map.of("backend", Map.of("hosts", List.of(host("http://a", 1)), "strip_tenant_header", true)))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201)
                .body("backend.strip_tenant_header", equalTo(true));
        // Off is the default and is not written, so configs stored before the option compare equal to new ones.
        admin().body(Map.of("backend", Map.of("hosts", List.of(host("http://a", 1)), "strip_tenant_header", false)))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body("backend", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("strip_tenant_header")));
    }

    @Test
    void bodiesOverOneMebibyteAre413() {
        String gw = Fixtures.gateway(Fixtures.team());
        String big = "{\"description\": \"" + "x".repeat(1024 * 1024) + "\"}";
        admin().body(big).put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("body_too_large"));
    }

    @Test
    void namesInThePathFollowTheirRules() {
        String gw = Fixtures.gateway(Fixtures.team());
        JsonPath p = admin().body(Map.of("backend", backend(host("http://a", 1))))
                .put("/api/v1/gateways/{g}/stages/Prod_1", gw).then().statusCode(422).extract().jsonPath();
        assertEquals("name", p.getString("errors[0].field"));
        admin().body(Map.of("method", "GET", "path", "/a")).put("/api/v1/gateways/{g}/resources/1bad", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
        admin().body(Map.of("name", "Bad_Name")).post("/api/v1/teams/{t}/gateways", Fixtures.team())
                .then().statusCode(422).body("errors[0].field", equalTo("name"));
    }
}
