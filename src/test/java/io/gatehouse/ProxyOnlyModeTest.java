package io.gatehouse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A proxy-only instance: health and metrics on the management port, nothing else (no console, admin API,
 * OpenAPI document or Swagger UI).
 */
@QuarkusTest
@TestProfile(ProxyOnlyModeTest.ProxyOnly.class)
class ProxyOnlyModeTest {

    public static class ProxyOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.mode", "proxy-only");
        }
    }

    @Test
    void onlyHealthAndMetricsAreServed() {
        given().get("/api/v1/teams").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("proxy-only"));
        given().auth().preemptive().basic("admin", "admin-password-1").get("/api/v1/teams").then().statusCode(404);
        given().get("/").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"));
        for (String path : List.of("/q/openapi", "/q/openapi.json", "/q/swagger-ui", "/q/swagger-ui/", "/q/swagger-ui/index.html",
                "/q/healthz", "/q/metricsx", "/q/dev-ui", "/login", "/_static/htmx.org/dist/htmx.min.js")) {
            given().get(path).then().statusCode(404).contentType("application/problem+json").body("code", equalTo("proxy-only"));
        }
    }
}
