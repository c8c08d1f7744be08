package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The resource pages: the table's per-stage badges, overrides through the shared editor, and 409s on the form. */
@QuarkusTest
class ResourcePagesTest {

    private static Map<String, String> resourceForm(String name, String path) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("method", "GET");
        f.put("path", path);
        f.put("match", "exact");
        f.put("backend_path", "");
        f.put("description", "");
        f.put("use.test", "stage");
        f.put("use.prod", "override");
        f.put("overrides.prod.type", "round_robin");
        f.put("overrides.prod.hosts[0].url", "http://10.9.9.9:8000");
        f.put("overrides.prod.hosts[0].weight", "1");
        f.put("overrides.prod.tenant_header", "X-Tenant-Id");
        f.put("overrides.prod.tenant_fallback", "fail");
        f.put("overrides.prod.retries", "1");
        f.put("overrides.prod.pass_host", "node");
        return f;
    }

    private static String gatewayWithStages() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.stage(gw, "test", backend(host("http://10.0.0.2:8000", 1)));
        return gw;
    }

    @Test
    void createsAResourceWithAnOverrideAndShowsTheBadges() {
        String gw = gatewayWithStages();
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/resources/_new", gw).then().statusCode(200)
                .body(containsString("name=\"overrides.prod.hosts[0].url\""))
                .body(containsString("Use the stage's backend config"));
        admin.post("/gateways/{g}/resources", resourceForm("get_user", "/users/{id}"), gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/resources/get_user", gw).then().statusCode(200)
                .body("overrides.prod.hosts[0].url", equalTo("http://10.9.9.9:8000"))
                .body("overrides.prod.pass_host", equalTo("node"))
                .body("overrides.test", nullValue());
        admin.get("/gateways/{g}/resources", gw).then().statusCode(200)
                .body(containsString("<span class=\"badge override\" data-badge=\"prod\">override</span>"))
                .body(containsString("<span class=\"badge stage-config\" data-badge=\"test\">stage config</span>"))
                .body(containsString("<code>/users/{id}</code>"));
        admin.get("/gateways/{g}/resources/get_user", gw).then().statusCode(200)
                .body(containsString("value=\"http://10.9.9.9:8000\""));
    }

    @Test
    void aConflictIsShownOnTheForm() {
        String gw = gatewayWithStages();
        Fixtures.resource(gw, "first", "GET", "/orders/{id}");
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.post("/gateways/{g}/resources", resourceForm("second", "/orders/{orderId}"), gw).then().statusCode(422)
                .body(containsString("data-error-for=\"path\""))
                .body(containsString("already matches the same requests"))
                .body(containsString("value=\"/orders/{orderId}\""));
    }

    @Test
    void overrideErrorsLandInTheStagesEditor() {
        String gw = gatewayWithStages();
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = resourceForm("bad", "users");
        f.put("overrides.prod.hosts[0].weight", "0");
        admin.post("/gateways/{g}/resources", f, gw).then().statusCode(422)
                .body(containsString("data-error-for=\"path\""))
                .body(containsString("data-error-for=\"overrides.prod.hosts[0].weight\""));
    }

    @Test
    void viewersCannotChangeResources() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.stage(gw, "test", backend(host("http://10.0.0.2:8000", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        ConsoleSession s = ConsoleSession.login(viewer, Fixtures.PASSWORD);
        s.get("/gateways/{g}/resources", gw).then().statusCode(200).body(not(containsString("New resource")));
        s.get("/gateways/{g}/resources/r1", gw).then().statusCode(200).body(not(containsString("Save resource")));
        s.post("/gateways/{g}/resources/r1", resourceForm("r1", "/r1"), gw).then().statusCode(403);
        s.post("/gateways/{g}/resources/r1/delete", Map.of(), gw).then().statusCode(403);
    }

    @jakarta.inject.Inject
    io.gatehouse.instance.ProxyRuntime runtime;

    @Test
    void aResourcePageShowsItsPublicUrlAndPublishStatusPerStage() {
        String gw = Fixtures.publishedGateway(Fixtures.team());
        Fixtures.stage(gw, "test", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.resource(gw, "r2", "GET", "/items/{id}");
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        // No gatehouse.proxy.public-url in tests: the host the console was reached at, with the proxy's real port.
        String base = "http://" + java.net.URI.create(io.restassured.RestAssured.baseURI).getHost() + ":"
                + runtime.instance().port() + "/" + gw;
        admin.get("/gateways/{g}/resources/r1", gw).then().statusCode(200)
                .body(containsString("<code data-testid=\"url-prod\">" + base + "/prod/r1</code>"))
                .body(containsString("<span class=\"badge live\" data-state=\"live\">live in release 1</span>"))
                .body(containsString("<code data-testid=\"url-test\">" + base + "/test/r1</code>"))
                .body(containsString("data-state=\"unpublished\">stage not published</span>"));
        admin.get("/gateways/{g}/resources/r2", gw).then().statusCode(200)
                .body(containsString(base + "/prod/items/{id}"))
                .body(containsString("data-state=\"pending\">not in release 1"));
        // A draft edit of r1: prod serves an older form of it.
        Fixtures.admin().body(Map.of("method", "GET", "path", "/r1/v2")).put("/api/v1/gateways/{g}/resources/r1", gw)
                .then().statusCode(200);
        admin.get("/gateways/{g}/resources/r1", gw).then().statusCode(200)
                .body(containsString("data-state=\"differs\">release 1 serves an older form"));
        admin.get("/gateways/{g}", gw).then().statusCode(200)
                .body(containsString("<code data-testid=\"base-prod\">" + base + "/prod/</code>"));
    }
}
