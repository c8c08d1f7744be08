package io.gatehouse.auth;

import io.gatehouse.Fixtures;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Against a real Keycloak 26 ({@link KeycloakResource}) with the realm from deploy/keycloak: tokens from
 * the password grant of the gatehouse-cli client are accepted by the admin API, the users' groups give
 * exactly their roles, personal access tokens keep working, and tampered, wrong-audience and expired
 * tokens are 401.
 */
@QuarkusTest
@TestProfile(KeycloakLoginTest.Profile.class)
// @WithTestResource's default scope (MATCHING_RESOURCES): the classes with this profile and this resource share one
// Quarkus boot. restrictToAnnotatedClass = true made Quarkus build and boot the application once per class.
@WithTestResource(KeycloakResource.class)
public class KeycloakLoginTest {
    /** Its own profile, so this Quarkus start (with OIDC on) is not shared with other tests. */
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("test.keycloak", "true");
        }
    }

    static String gateway;
    static String otherGateway;

    /** Once, on the first test (RestAssured knows the app's port only from then on). */
    @BeforeEach
    synchronized void teams() {
        if (gateway != null) {
            return;
        }
        // The realm's groups name the team "payments".
        Fixtures.admin().body(Map.of("slug", "payments", "name", "Payments")).post("/api/v1/teams")
                .then().statusCode(anyOf(is(201), is(409)));
        gateway = Fixtures.gateway("payments");
        otherGateway = Fixtures.gateway(Fixtures.team());
    }

    static String token(String client, String username) {
        return given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", client)
                .formParam("username", username).formParam("password", username + "-password")
                .post(KeycloakResource.url + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    static Map<String, String> roles(String token) {
        List<Map<String, String>> teams = bearer(token).get("/api/v1/teams").then().statusCode(200).extract().path("$");
        return teams.stream().collect(Collectors.toMap(t -> t.get("slug"), t -> t.get("role")));
    }

    @Test
    void theDemoUserIsOwnerOfPayments() {
        String demo = given().contentType(ContentType.URLENC)
                .formParam("grant_type", "password").formParam("client_id", "gatehouse-cli")
                .formParam("username", "demo").formParam("password", "demo-password")
                .post(KeycloakResource.url + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
        bearer(demo).get("/api/v1/me").then().statusCode(200).body("username", equalTo("demo"));
        assertEquals(Map.of("payments", "owner"), roles(demo));
        bearer(demo).body(Map.of("method", "GET", "path", "/demo"))
                .put("/api/v1/gateways/{g}/resources/{r}", gateway, "demo").then().statusCode(201);
        bearer(demo).get("/api/v1/gateways/{g}", otherGateway).then().statusCode(404);
    }

    @Test
    void aViewerReadsButMayNotChange() {
        String vera = token("gatehouse-cli", "vera");
        assertEquals(Map.of("payments", "viewer"), roles(vera));
        bearer(vera).get("/api/v1/gateways/{g}", gateway).then().statusCode(200);
        bearer(vera).body(Map.of("method", "GET", "path", "/v"))
                .put("/api/v1/gateways/{g}/resources/{r}", gateway, "vera").then().statusCode(403);
        bearer(vera).get("/api/v1/gateways/{g}", otherGateway).then().statusCode(404);
    }

    @Test
    void noGroupNoTeams() {
        String nora = token("gatehouse-cli", "nora");
        assertEquals(Map.of(), roles(nora));
        bearer(nora).get("/api/v1/gateways/{g}", gateway).then().statusCode(404);
        bearer(nora).get("/api/v1/gateways/{g}", otherGateway).then().statusCode(404);
    }

    @Test
    void platformAdminsGroup() {
        String pat = token("gatehouse-cli", "pat");
        bearer(pat).get("/api/v1/gateways/{g}", otherGateway).then().statusCode(200);
    }

    @Test
    void personalAccessTokensAndBasicStillWork() {
        String user = Fixtures.user();
        Fixtures.as(user).get("/api/v1/me").then().statusCode(200).body("username", equalTo(user));
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(200);
        // and a Keycloak user can make one with its Keycloak token
        String pat = bearer(token("gatehouse-cli", "vera")).body(Map.of("name", "ci")).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token");
        bearer(pat).get("/api/v1/me").then().statusCode(200).body("username", equalTo("vera"));
    }

    @Test
    void tamperedWrongAudienceAndExpiredTokensAre401() {
        String token = token("gatehouse-cli", "vera");
        String[] p = token.split("\\.");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(p[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"vera\"", "\"demo\"");
        String tampered = p[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + p[2];
        bearer(tampered).get("/api/v1/me").then().statusCode(401);
        bearer(token.substring(0, token.length() - 4) + "AAAA").get("/api/v1/me").then().statusCode(401);

        bearer(token("other-app", "vera")).get("/api/v1/me").then().statusCode(401);

        String expiring = token("gatehouse-cli-short", "vera");
        bearer(expiring).get("/api/v1/me").then().statusCode(200);
        // Its 2 s lifespan over, it is refused: polled within the 3.5 s this test used to sleep, not slept.
        io.gatehouse.Eventually.eventually(() -> "the expired token is still accepted after 3.5 s",
                java.time.Duration.ofMillis(3500), java.time.Duration.ofMillis(100),
                () -> bearer(expiring).get("/api/v1/me").statusCode() == 401);
    }
}
