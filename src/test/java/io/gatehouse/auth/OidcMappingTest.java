package io.gatehouse.auth;

import io.gatehouse.Fixtures;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OIDC bearer tokens against a fake issuer (WireMock, signed JWTs): accounts created and linked by
 * preferred_username, team roles synchronised from /teams/{team}/{role} groups without touching local
 * memberships, platform admin from /platform-admins, and personal access tokens and Basic still working
 * next to OIDC. The real Keycloak is {@link KeycloakLoginTest}.
 */
@QuarkusTest
@TestProfile(OidcMappingTest.Profile.class)
@QuarkusTestResource(value = OidcWiremockTestResource.class, restrictToAnnotatedClass = true)
class OidcMappingTest {
    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.oidc.auth-server-url", "${keycloak.url}/realms/quarkus",
                    "quarkus.oidc.client-id", "quarkus-web-app",
                    "quarkus.oidc.credentials.secret", "secret",
                    "quarkus.oidc.token.issuer", "https://server.example.com",
                    "quarkus.oidc.token.audience", "https://server.example.com");
        }
    }

    private static RequestSpecification jwt(String username, String... groups) {
        return given().header("Authorization", "Bearer " + OidcWiremockTestResource.getAccessToken(username, Set.of(groups)))
                .contentType(ContentType.JSON);
    }

    private static Map<String, String> roles(RequestSpecification caller) {
        List<Map<String, String>> teams = caller.get("/api/v1/teams").then().statusCode(200).extract().path("$");
        return teams.stream().collect(java.util.stream.Collectors.toMap(t -> t.get("slug"), t -> t.get("role")));
    }

    @Test
    void firstSignInCreatesTheAccountAndGroupsBecomeRoles() {
        String a = Fixtures.team();
        String b = Fixtures.team();
        String name = Fixtures.unique("oidc");

        jwt(name, "/teams/" + a + "/viewer", "/teams/" + a + "/maintainer", "/teams/no-such-team/owner", "/other")
                .get("/api/v1/me").then().statusCode(200).body("username", equalTo(name));
        assertEquals(Map.of(a, "maintainer"), roles(jwt(name, "/teams/" + a + "/viewer", "/teams/" + a + "/maintainer")));

        // The groups are the truth at every request: a role changes, a team goes, another comes.
        assertEquals(Map.of(b, "viewer"), roles(jwt(name, "/teams/" + b + "/viewer")));
        assertEquals(Map.of(), roles(jwt(name)));

        // Roles are enforced by Access as for everyone: viewer reads, may not change; other team's gateway is 404.
        String gw = Fixtures.gateway(b);
        String other = Fixtures.gateway(a);
        jwt(name, "/teams/" + b + "/viewer").get("/api/v1/gateways/{g}", gw).then().statusCode(200);
        jwt(name, "/teams/" + b + "/viewer").body(Map.of("method", "GET", "path", "/x"))
                .put("/api/v1/gateways/{g}/resources/{r}", gw, "x").then().statusCode(403);
        jwt(name, "/teams/" + b + "/maintainer").body(Map.of("method", "GET", "path", "/x"))
                .put("/api/v1/gateways/{g}/resources/{r}", gw, "x").then().statusCode(201);
        jwt(name, "/teams/" + b + "/viewer").get("/api/v1/gateways/{g}", other).then().statusCode(404);
    }

    @Test
    void localMembershipsStayAndWinOverGroups() {
        String a = Fixtures.team();
        String b = Fixtures.team();
        String user = Fixtures.user();
        Fixtures.member(a, user, "owner");

        assertEquals(Map.of(a, "owner", b, "viewer"), roles(jwt(user, "/teams/" + a + "/viewer", "/teams/" + b + "/viewer")));
        assertEquals(Map.of(a, "owner"), roles(jwt(user)));
        // The linked local account keeps its password and tokens.
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(200);
        Fixtures.as(user).get("/api/v1/me").then().statusCode(200).body("username", equalTo(user));
    }

    @Test
    void platformAdminComesAndGoesWithTheGroup() {
        String name = Fixtures.unique("oidc");
        Map<String, String> body = Map.of("username", Fixtures.unique("made"), "password", Fixtures.PASSWORD, "display_name", "x");
        jwt(name, "/platform-admins").body(body).post("/api/v1/users").then().statusCode(201);
        jwt(name).body(Map.of("username", Fixtures.unique("made"), "password", Fixtures.PASSWORD, "display_name", "x"))
                .post("/api/v1/users").then().statusCode(403);
        // A local platform admin stays one without the group.
        Fixtures.admin().get("/api/v1/me").then().statusCode(200);
        jwt(Fixtures.ADMIN).body(Map.of("username", Fixtures.unique("made"), "password", Fixtures.PASSWORD, "display_name", "x"))
                .post("/api/v1/users").then().statusCode(201);
    }

    @Test
    void badTokensAre401AndLocalCredentialsStillWork() {
        String name = Fixtures.unique("oidc");
        String token = OidcWiremockTestResource.getAccessToken(name, Set.of());
        String[] parts = token.split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2)
                + (parts[1].endsWith("A") ? "BB" : "AA") + "." + parts[2];
        given().header("Authorization", "Bearer " + tampered).get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer eyJnot.a.jwt").get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer ghp_unknown").get("/api/v1/me").then().statusCode(401);
        given().get("/api/v1/me").then().statusCode(401);

        String user = Fixtures.user();
        Fixtures.as(user).get("/api/v1/me").then().statusCode(200).body("username", equalTo(user));
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(200);
        Fixtures.basic(user, "wrong-password").get("/api/v1/me").then().statusCode(401);

        // An OIDC-only account can make a personal access token with its OIDC token, and use it.
        String pat = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body(Map.of("name", "ci")).post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        given().header("Authorization", "Bearer " + pat).get("/api/v1/me").then().statusCode(200).body("username", equalTo(name));
    }

    @Test
    void theSignInPageOffersKeycloak() {
        given().get("/login").then().statusCode(200).body(org.hamcrest.Matchers.containsString("/login/oidc"));
        given().redirects().follow(false).get("/login/oidc").then().statusCode(302)
                .header("Location", org.hamcrest.Matchers.containsString("/realms/quarkus?response_type=code&client_id=quarkus-web-app"));
    }
}
