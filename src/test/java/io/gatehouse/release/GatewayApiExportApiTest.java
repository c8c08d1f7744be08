package io.gatehouse.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** GET .../stages/{stage}/export/gateway-api: the stage's latest release, never the drafts, as YAML. */
@QuarkusTest
class GatewayApiExportApiTest {

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            it.forEachRemaining(out::add);
        }
        return out;
    }

    private static JsonNode kind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.get("kind").asText().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void exportsTheLatestReleaseNotTheDrafts() throws IOException {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 3), host("http://10.0.0.2:8000", 1)));
        Fixtures.resource(gw, "get_user", "GET", "/users/{id}");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        // A draft change after the release: not exported.
        admin().body(Map.of("backend", backend(host("http://10.0.0.9:8000", 1)))).put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(200);

        Response r = admin().get("/api/v1/gateways/{g}/stages/prod/export/gateway-api", gw);
        r.then().statusCode(200).contentType("application/yaml")
                .header("Content-Disposition", "attachment; filename=\"" + gw + "-prod-gateway-api.yaml\"")
                .body(containsString("release 1"));
        List<JsonNode> docs = documents(r.asString());
        List<String> kinds = docs.stream().map(d -> d.get("kind").asText()).toList();
        assertEquals(List.of("Backend", "Backend", "HTTPRouteFilter", "HTTPRoute", "BackendTrafficPolicy"), kinds);
        JsonNode route = kind(docs, "HTTPRoute");
        assertEquals("eg", route.at("/spec/parentRefs/0/name").asText());
        assertEquals("default", route.at("/metadata/namespace").asText());
        assertEquals("^/" + gw + "/prod/users/([^/]+)$", route.at("/spec/rules/0/matches/0/path/value").asText());
        assertEquals(3, route.at("/spec/rules/0/backendRefs/0/weight").asInt());
        assertEquals("10.0.0.1", kind(docs, "Backend").at("/spec/endpoints/0/ip/address").asText());

        String named = admin().queryParam("gateway", "edge").queryParam("gateway_namespace", "infra")
                .queryParam("namespace", "apps").get("/api/v1/gateways/{g}/stages/prod/export/gateway-api", gw)
                .then().statusCode(200).extract().asString();
        JsonNode r2 = kind(documents(named), "HTTPRoute");
        assertEquals("edge", r2.at("/spec/parentRefs/0/name").asText());
        assertEquals("infra", r2.at("/spec/parentRefs/0/namespace").asText());
        assertEquals("apps", r2.at("/metadata/namespace").asText());
    }

    @Test
    void anUnpublishedStageOrABadParameterIsAClearError() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        admin().get("/api/v1/gateways/{g}/stages/prod/export/gateway-api", gw).then().statusCode(422)
                .body("errors.field", contains("stage"))
                .body("errors[0].message", equalTo("stage 'prod' is not published: there is no release to export"));
        admin().queryParam("namespace", "Not_A_Name").get("/api/v1/gateways/{g}/stages/prod/export/gateway-api", gw)
                .then().statusCode(400).body("errors.field", contains("namespace"));
        admin().get("/api/v1/gateways/{g}/stages/nope/export/gateway-api", gw).then().statusCode(404);
    }

    @Test
    void thePublishingPageLinksTheDownload() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.resource(gw, "r", "GET", "/r");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        ConsoleSession console = ConsoleSession.login("admin", "admin-password-1");
        String link = "/gateways/" + gw + "/publishing/stages/prod/gateway-api.yaml";
        console.get("/gateways/{g}/publishing", gw).then().statusCode(200).body(containsString("href=\"" + link + "\""));
        console.get(link).then().statusCode(200).contentType("application/yaml")
                .body(containsString("kind: HTTPRoute"));
    }
}
