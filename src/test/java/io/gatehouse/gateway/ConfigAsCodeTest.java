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
        Fixtures.stage(gw, "test", backend(host("http://10.0.1.1:80", 1)));
        admin().body(Map.of("description", "production", "backend", Map.of("type", "consistent_hash",
                        "hosts", List.of(host("http://10.0.2.1:80", 3), host("https://api.example.com", 1)),
                        "hash", Map.of("on", "header", "name", "X-User-Id"),
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
