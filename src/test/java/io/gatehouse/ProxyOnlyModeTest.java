package io.gatehouse;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** A proxy-only instance: no console and no admin API on the management port, health endpoints only. */
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
    void onlyHealthIsServed() {
        given().get("/api/v1/teams").then().statusCode(404).contentType("application/problem+json")
                .body("code", equalTo("proxy-only"));
        given().auth().preemptive().basic("admin", "admin-password-1").get("/api/v1/teams").then().statusCode(404);
        given().get("/").then().statusCode(404);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }
}
