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
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ConfigAsCodeTest {

    private static String richGateway() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.tenant(gw, "acme");
        Fixtures.stage(gw, "test", backend(host("http://10.0.1.1:80", 1)));
        admin().body(Map.of("description", "production", "backend", Map.of("type", "consistent_hash",
                        "hosts", List.of(host("http://10.0.2.1:80", 3), host("https://api.example.com", 1),
                                Map.of("url", "http://10.0.2.9:80", "weight", 1, "priority", -1)),
                        "hash", Map.of("on", "header", "name", "X-User-Id"), "slow_start_ms", 30000,
                        "tenant_pools", Map.of("acme", List.of(host("http://acme:8080", 1))),
                        "health_check", Map.of("path", "/ready"))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
        admin().body(Map.of("method", "GET", "path", "/users/{id}", "backend_path", "/api/users/{id}",
                        "overrides", Map.of("prod", backend(host("http://10.0.3.1:80", 2)))))
                .put("/api/v1/gateways/{g}/resources/get_user", gw).then().statusCode(201);
        admin().body(Map.of("method", "ANY", "path", "/static", "match", "prefix"))
                .put("/api/v1/gateways/{g}/resources/static", gw).then().statusCode(201);
        return gw;
    }

    private static byte[] bytes(String body) {
        return body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String export(String gw, String format) {
        return admin().queryParam("format", format).get("/api/v1/gateways/{g}/export", gw).then().statusCode(200)
                .extract().asString();
    }

    @Test
    void exportImportExportGivesTheSameDocumentInYamlAndJson() {
        String source = richGateway();
        for (String format : List.of("yaml", "json")) {
            String doc = export(source, format);
            String copy = Fixtures.gateway(Fixtures.team());
            admin().contentType(format.equals("yaml") ? "application/yaml" : "application/json").body(bytes(doc))
                    .put("/api/v1/gateways/{g}/import", copy).then().statusCode(200)
                    .body("stages_added", contains("prod", "test"))
                    .body("resources.added", contains("get_user", "static"));
            // The two gateways differ only in their description, which the file carries along too.
            assertEquals(doc, export(copy, format), format);
        }
        assertTrue(export(source, "yaml").contains("X-User-Id"));
        assertTrue(export(source, "yaml").contains("priority: -1"), "a failover tier is carried");
        assertTrue(export(source, "yaml").contains("slow_start_ms: 30000"), "slow start is carried");
    }

    /**
     * An import writes its resources in bulk: two resources may swap router slots in one file, removed ones go,
     * and the audit log gets one entry for the whole import with what it changed in numbers.
     */
    @Test
    void oneImportSwapsSlotsRemovesAddsAndIsOneAuditEntry() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        Fixtures.resource(gw, "a", "GET", "/a");
        Fixtures.resource(gw, "b", "GET", "/b");
        Fixtures.resource(gw, "gone", "GET", "/gone");
        int auditBefore = audit(gw).size();
        String doc = "stages:\n  prod:\n    backend:\n      hosts:\n      - url: http://10.0.0.2:80\n        weight: 1\n"
                + "resources:\n  a:\n    method: GET\n    path: /b\n  b:\n    method: GET\n    path: /a\n"
                + "  new:\n    method: POST\n    path: /a\n";
        admin().contentType("application/yaml").body(bytes(doc)).put("/api/v1/gateways/{g}/import", gw)
                .then().statusCode(200).body("resources.added", contains("new"))
                .body("resources.removed", contains("gone"))
                .body("resources.changed.keySet()", org.hamcrest.Matchers.containsInAnyOrder("a", "b"));
        admin().get("/api/v1/gateways/{g}/resources/a", gw).then().body("path", equalTo("/b"));
        admin().get("/api/v1/gateways/{g}/resources/b", gw).then().body("path", equalTo("/a"));
        admin().get("/api/v1/gateways/{g}/resources/gone", gw).then().statusCode(404);
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("backend.hosts[0].url", equalTo("http://10.0.0.2:80"));

        List<Map<String, Object>> entries = audit(gw);
        assertEquals(auditBefore + 1, entries.size(), entries.toString());
        Map<String, Object> entry = entries.get(0);
        assertEquals("gateway.import", entry.get("action"));
        assertEquals(Map.of("stages_added", List.of(), "stages_changed", List.of("prod"), "description_changed", false,
                "resources_added", 1, "resources_changed", 2, "resources_removed", 1), entry.get("after"));
    }

    private static List<Map<String, Object>> audit(String gw) {
        return admin().get("/api/v1/gateways/{g}/audit?limit=500", gw).then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    @Test
    void dryRunShowsTheDiffAndSavesNothing() {
        String gw = richGateway();
        String before = export(gw, "json");
        String doc = before.replace("\"/api/users/{id}\"", "\"/v2/users/{id}\"");
        admin().body(bytes(doc)).queryParam("dry_run", true).put("/api/v1/gateways/{g}/import", gw).then().statusCode(200)
                .body("dry_run", equalTo(true))
                .body("resources.changed.get_user[0].field", equalTo("backend_path"))
                .body("resources.changed.get_user[0].to", equalTo("/v2/users/{id}"));
        assertEquals(before, export(gw, "json"));
        admin().body(bytes(doc)).put("/api/v1/gateways/{g}/import", gw).then().statusCode(200).body("dry_run", equalTo(false));
        admin().get("/api/v1/gateways/{g}/resources/get_user", gw).then().body("backend_path", equalTo("/v2/users/{id}"));
        // The same file again changes nothing.
        admin().body(bytes(doc)).put("/api/v1/gateways/{g}/import", gw).then().statusCode(200)
                .body("resources.changed.size()", equalTo(0)).body("stages_added", empty());
    }

    @Test
    void aBadFileChangesNothingAndNamesTheLineOrField() {
        String gw = richGateway();
        String before = export(gw, "yaml");
        String weightZero = before.replace("weight: 3", "weight: 0");
        admin().contentType("application/yaml").body(bytes(weightZero)).put("/api/v1/gateways/{g}/import", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("stages.prod.backend.hosts[0].weight"))
                .body("errors[0].message", equalTo("must be an integer from 1 to 10000"));
        String conflict = before + "  other_user:\n    method: GET\n    path: /users/{uid}\n";
        admin().contentType("application/yaml").body(bytes(conflict)).put("/api/v1/gateways/{g}/import", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("resources.other_user"))
                .body("errors[0].message", equalTo("matches the same requests as resource 'get_user'"));
        admin().contentType("application/yaml").body(bytes("stages:\n  prod:\n    backend: [unclosed\n"))
                .put("/api/v1/gateways/{g}/import", gw).then().statusCode(400)
                .body("detail", equalTo("stages.prod.backend has the wrong type"));
        admin().contentType("application/yaml").body(bytes("stages:\n  prod:\n    description: \"open\n"))
                .put("/api/v1/gateways/{g}/import", gw).then().statusCode(400)
                .body("detail", startsWith("the document is not valid YAML at line"));
        admin().contentType("application/yaml").body(bytes("stages:\n  prod:\n    bakend: {}\n"))
                .put("/api/v1/gateways/{g}/import", gw).then().statusCode(400)
                .body("detail", equalTo("stages.prod.bakend is not a known field"));
        assertEquals(before, export(gw, "yaml"));
    }
}
