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
 * OIDC bearer tokens against a fake issuer (WireMock, signed JWTs): accounts created by preferred_username and
 * pinned to the subject, never taken over by name (a platform admin links local accounts explicitly), team roles synchronised from /teams/{team}/{role} groups without touching local
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
                    // The fake issuer's access tokens name the issuer, its ID tokens the client.
                    "quarkus.oidc.token.audience", "https://server.example.com,quarkus-web-app");
        }
    }

    /** A token of the provider's user {@code username}, whose subject is "sub-" + username unless given. */
    private static RequestSpecification jwt(String username, String... groups) {
        return jwtOf("sub-" + username, username, groups);
    }

    private static RequestSpecification jwtOf(String subject, String username, String... groups) {
        return given().header("Authorization", "Bearer " + token(subject, username, groups)).contentType(ContentType.JSON);
    }

    private static String token(String subject, String username, String... groups) {
        return OidcWiremockTestResource.generateJwtToken(username, Set.of(groups), subject, "Bearer");
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
        Fixtures.admin().body(Map.of("subject", "sub-" + user)).put("/api/v1/users/{u}/oidc-link", user).then().statusCode(200);

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
        // A local platform admin linked to an identity stays one without the group.
        String local = Fixtures.unique("ladmin");
        Fixtures.admin().body(Map.of("username", local, "password", Fixtures.PASSWORD, "platform_admin", true))
                .post("/api/v1/users").then().statusCode(201);
        Fixtures.admin().body(Map.of("subject", "sub-" + local)).put("/api/v1/users/{u}/oidc-link", local).then().statusCode(200);
        jwt(local).body(Map.of("username", Fixtures.unique("made"), "password", Fixtures.PASSWORD, "display_name", "x"))
                .post("/api/v1/users").then().statusCode(201);
    }

    /**
     * The takeover this guards against: a realm user named like a local account (the bootstrap admin here)
     * signing in as it. Refused with a 401 that says why, and the account is left exactly as it was.
     */
    @Test
    void anIdentityNamedLikeALocalAccountIsRefused() {
        for (String groups : List.of("", "/platform-admins")) {
            jwtOf("attacker-" + groups.length(), Fixtures.ADMIN, groups.isEmpty() ? new String[0] : new String[]{groups})
                    .get("/api/v1/me").then().statusCode(401).contentType("application/problem+json")
                    .body("code", equalTo("unauthorized"))
                    .body("detail", equalTo("A Gatehouse account named 'admin' already exists and is not linked to this "
                            + "identity; a platform admin can link it (PUT /api/v1/users/admin/oidc-link)"));
        }
        String user = Fixtures.user();
        String team = Fixtures.team();
        Fixtures.member(team, user, "viewer");
        jwt(user.toUpperCase(java.util.Locale.ROOT), "/teams/" + team + "/owner").get("/api/v1/teams").then().statusCode(401);
        // Nothing was linked or changed: the local account keeps its role, and the identity still cannot sign in.
        assertEquals(Map.of(team, "viewer"), roles(Fixtures.as(user)));
        jwt(user).get("/api/v1/me").then().statusCode(401);
        Fixtures.basic(Fixtures.ADMIN, "admin-password-1").get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo(Fixtures.ADMIN));
    }

    @Test
    void anOidcAccountKeepsItsSubjectAndFollowsItAcrossRenames() {
        String name = Fixtures.unique("oidc");
        jwtOf("first-" + name, name).get("/api/v1/me").then().statusCode(200).body("username", equalTo(name));
        // Another identity under the same name is refused ...
        jwtOf("second-" + name, name).get("/api/v1/me").then().statusCode(401)
                .body("detail", equalTo("The Gatehouse account '" + name + "' is linked to another identity of the provider"));
        // ... and the first one, renamed at the provider, still reaches its account (the subject is what counts).
        jwtOf("first-" + name, Fixtures.unique("renamed")).get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo(name));
    }

    @Test
    void aPlatformAdminLinksALocalAccountExplicitly() {
        String user = Fixtures.user();
        String other = Fixtures.user();
        String subject = "kc-" + user;
        Map<String, String> link = Map.of("subject", subject);
        jwtOf(subject, user).get("/api/v1/me").then().statusCode(401);

        Fixtures.as(other).body(link).put("/api/v1/users/{u}/oidc-link", user).then().statusCode(403);
        Fixtures.admin().body(link).put("/api/v1/users/{u}/oidc-link", "no-such-user").then().statusCode(404);
        Fixtures.admin().body(Map.of("subject", " ")).put("/api/v1/users/{u}/oidc-link", user).then().statusCode(422)
                .body("errors[0].field", equalTo("subject"));
        Fixtures.admin().body(Map.of("subject", "x".repeat(256))).put("/api/v1/users/{u}/oidc-link", user).then()
                .statusCode(422).body("errors[0].field", equalTo("subject"));
        Fixtures.admin().body(link).put("/api/v1/users/{u}/oidc-link", user).then().statusCode(200)
                .body("username", equalTo(user)).body("subject", equalTo(subject));
        // Idempotent; one identity reaches one account only.
        Fixtures.admin().body(link).put("/api/v1/users/{u}/oidc-link", user).then().statusCode(200);
        Fixtures.admin().body(link).put("/api/v1/users/{u}/oidc-link", other).then().statusCode(409);

        jwtOf(subject, user).get("/api/v1/me").then().statusCode(200).body("username", equalTo(user));
        // The password still works, and only the linked identity gets in.
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(200);
        jwtOf("kc-someone-else", user).get("/api/v1/me").then().statusCode(401);

        Fixtures.as(other).delete("/api/v1/users/{u}/oidc-link", user).then().statusCode(403);
        Fixtures.admin().delete("/api/v1/users/{u}/oidc-link", "no-such-user").then().statusCode(404);
        Fixtures.admin().delete("/api/v1/users/{u}/oidc-link", user).then().statusCode(204);
        jwtOf(subject, user).get("/api/v1/me").then().statusCode(401);
        Fixtures.admin().body(link).put("/api/v1/users/{u}/oidc-link", other).then().statusCode(200);
        jwtOf(subject, user).get("/api/v1/me").then().statusCode(200).body("username", equalTo(other));
    }

    @Test
    void badTokensAre401AndLocalCredentialsStillWork() {
        String name = Fixtures.unique("oidc");
        String token = token("sub-" + name, name);
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

    /** The console's code flow (the fake issuer signs in "alice", subject 123456) ends on the sign-in page. */
    private static io.restassured.response.Response codeFlow() {
        io.restassured.response.Response start = given().redirects().follow(false).get("/login/oidc");
        Map<String, String> query = new java.util.HashMap<>();
        for (String pair : java.net.URI.create(start.getHeader("Location")).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        // What the provider's login form would redirect to (the fake issuer accepts this one code).
        return given().redirects().follow(false).cookies(start.getCookies()).queryParam("state", query.get("state"))
                .queryParam("code", "58af24f2-9093-4674-a431-4a9d66be719c.50437113-cd78-48a2-838e-b936fe458c5d.0ac5df91-e044-4051-bd03-106a3a5fb9cc")
                .get(query.get("redirect_uri"));
    }

    @Test
    void theConsoleSaysWhyAnUnlinkedIdentityCannotSignIn() {
        // Only this test signs in through the code flow, so "alice" is the local account made here.
        Fixtures.admin().body(Map.of("username", "alice", "password", Fixtures.PASSWORD)).post("/api/v1/users")
                .then().statusCode(201);
        io.restassured.response.Response refused = codeFlow();
        refused.then().statusCode(303).header("Location", "/login");
        org.junit.jupiter.api.Assertions.assertNull(refused.getCookie("q_session"), "no session for a refused sign-in");
        String notice = refused.getCookie("gatehouse-login-notice");
        given().cookie("gatehouse-login-notice", notice).get("/login").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("<div class=\"alert alert-error\" role=\"alert\" "
                        + "data-testid=\"login-notice\">A Gatehouse account named &#39;alice&#39; already exists and is "
                        + "not linked to this identity; a platform admin can link it (PUT /api/v1/users/alice/oidc-link)</div>"))
                .cookie("gatehouse-login-notice", "");
        // A notice that is not ours shows nothing.
        given().cookie("gatehouse-login-notice", "%%%").get("/login").then().statusCode(200)
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("login-notice")));

        // Linked by an admin, the same sign-in lands in the console as alice.
        Fixtures.admin().body(Map.of("subject", "123456")).put("/api/v1/users/{u}/oidc-link", "alice").then().statusCode(200);
        io.restassured.response.Response signedIn = codeFlow();
        // quarkus-oidc drops code and state from the URL with one more redirect to /login/oidc, which goes on to /.
        signedIn.then().statusCode(302).header("Location", org.hamcrest.Matchers.endsWith("/login/oidc"));
        org.junit.jupiter.api.Assertions.assertNull(signedIn.getCookie("gatehouse-login-notice"));
        String session = signedIn.getCookie("q_session");
        given().redirects().follow(false).cookie("q_session", session).get("/teams").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("data-testid=\"user\">"));
    }
}
