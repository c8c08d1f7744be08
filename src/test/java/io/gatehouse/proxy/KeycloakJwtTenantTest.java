package io.gatehouse.proxy;

import io.gatehouse.Fixtures;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.auth.KeycloakLoginTest;
import io.gatehouse.auth.KeycloakResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.host;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code tenant_from: jwt} against the real Keycloak 26 of the suite ({@link KeycloakResource}: client_credentials
 * tokens of machine clients whose access token carries {@code tenant: acme} from a hardcoded-claim mapper and
 * the proxy's audience from an audience mapper), through the application's proxy port to real backends, with
 * the JWKS discovered from the realm's {@code /.well-known/openid-configuration}. Shares KeycloakLoginTest's
 * Quarkus start (same profile and resource), so it adds no boot to the suite.
 */
@QuarkusTest
@TestProfile(KeycloakLoginTest.Profile.class)
@WithTestResource(KeycloakResource.class)
class KeycloakJwtTenantTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Backend shared;
    private static Backend acme;
    private static String path;
    private static String gateway;

    @Inject
    ProxyRuntime runtime;
    @Inject
    Vertx vertx;

    @BeforeEach
    synchronized void publish() {
        if (path != null) {
            return;
        }
        shared = new Backend(vertx, "shared");
        acme = new Backend(vertx, "acme");
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.tenant(gw, "acme");
        admin().body(Map.of("backend", Map.of("hosts", List.of(host(shared.url(), 1)),
                        "tenant_pools", Map.of("acme", List.of(host(acme.url(), 1))),
                        "tenant_from", "jwt", "unknown_tenant", "reject",
                        "jwt", Map.of("issuer", KeycloakResource.issuer(), "audience", KeycloakResource.PROXY_AUDIENCE))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
        Fixtures.resource(gw, "hello", "GET", "/hello");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        path = "/" + gw + "/prod/hello";
        gateway = gw;
    }

    @AfterAll
    static void stopBackends() {
        if (shared != null) {
            shared.close();
            acme.close();
        }
        path = null;
    }

    private static String token(String realmIssuer, String client) {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", client).formParam("client_secret", KeycloakResource.TENANT_CLIENT_SECRET)
                .post(realmIssuer + "/protocol/openid-connect/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private record Answer(int status, String body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        JsonObject problem() {
            assertEquals("application/problem+json", header("Content-Type"), body);
            return new JsonObject(body);
        }
    }

    private Answer call(String... headerPairs) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.instance().port()
                    + path)).timeout(Duration.ofSeconds(10));
            for (int i = 0; i < headerPairs.length; i += 2) {
                b.header(headerPairs[i], headerPairs[i + 1]);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer bearer(String token) {
        return call("Authorization", "Bearer " + token);
    }

    private void expect401(Answer a, String code, String description) {
        assertEquals(401, a.status(), a.body());
        assertEquals(code, a.problem().getString("code"));
        assertEquals(description, a.problem().getString("detail"));
        assertEquals("Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\"" + description + "\"",
                a.header("WWW-Authenticate"));
    }

    @Test
    void aTokenWhoseTenantClaimIsAcmeReachesAcmesPool() {
        String token = token(KeycloakResource.issuer(), "acme-service");
        long checks = runtime.instance().tenants().jwt().checks();
        Answer a = bearer(token);
        assertEquals(200, a.status(), a.body());
        assertEquals("acme", a.body());
        assertEquals("acme", bearer(token).body());
        assertEquals("acme", bearer(token).body());
        assertEquals(checks + 1, runtime.instance().tenants().jwt().checks(), "verified once, then cached");
        Backend.Seen seen = acme.last.get();
        assertEquals(List.of("acme"), seen.headers().getAll("X-Tenant-Id"));
        assertEquals("Bearer " + token, seen.headers().get("Authorization"), "Authorization is kept by default");
        // The header alone is a claim, not an identity: no token, no entry, whatever it names.
        Answer claimed = call("X-Tenant-Id", "acme");
        assertEquals(401, claimed.status());
        assertEquals("token_missing", claimed.problem().getString("code"));
        assertEquals("Bearer realm=\"gatehouse\"", claimed.header("WWW-Authenticate"));
        // A token and a different claimed header: the token wins, and the backend sees only the verified one.
        assertEquals("acme", call("Authorization", "Bearer " + token, "X-Tenant-Id", "globex").body());
        assertEquals(List.of("acme"), acme.last.get().headers().getAll("X-Tenant-Id"));
        assertEquals(0, shared.requests.get(), "no request reached the default hosts");
    }

    @Test
    void aForgedSignatureIs401() throws Exception {
        int acmeBefore = acme.requests.get();
        String token = token(KeycloakResource.issuer(), "acme-service");
        String[] parts = token.split("\\.");
        // Keycloak's own header and signature over a payload the client changed (another subject).
        JwtClaims claims = JwtClaims.parse(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        claims.setSubject("someone-else");
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.toJson().getBytes(StandardCharsets.UTF_8));
        expect401(bearer(parts[0] + "." + payload + "." + parts[2]), "invalid_token",
                "the token's signature does not verify");
        // Signed by a key of the client's own under Keycloak's kid.
        org.jose4j.jwk.RsaJsonWebKey own = org.jose4j.jwk.RsaJwkGenerator.generateJwk(2048);
        String kid = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8))
                .getString("kid");
        own.setKeyId(kid);
        expect401(bearer(TestIssuer.sign(claims, own)), "invalid_token", "the token's signature does not verify");
        assertEquals(acmeBefore, acme.requests.get(), "nothing forged reached acme");
    }

    @Test
    void aWrongAudienceIs401() {
        expect401(bearer(token(KeycloakResource.issuer(), "acme-other-audience")), "invalid_token",
                "the token is not meant for this audience");
    }

    @Test
    void anUnknownIssuerIs401() {
        // A real Keycloak realm with the same client and mappers, but not the issuer the stage trusts.
        expect401(bearer(token(KeycloakResource.otherIssuer(), "acme-service")), "invalid_token",
                "the token is not from issuer " + KeycloakResource.issuer());
    }

    @Test
    void anExpiredTokenIs401AndSaysSoEvenAfterItWasCached() throws Exception {
        String token = token(KeycloakResource.issuer(), "acme-service-short");
        Answer a = bearer(token);
        assertEquals(200, a.status(), a.body());
        assertEquals("acme", a.body());
        long exp = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                .setSkipSignatureVerification().build().processToClaims(token).getExpirationTime().getValueInMillis();
        // Time must pass: past exp plus the allowed clock skew, then the cached verification no longer counts.
        long wait = exp + JwtVerifier.CLOCK_SKEW_SECONDS * 1000L + 1000 - System.currentTimeMillis();
        assertTrue(wait < 20_000, "the short client's tokens live 2 s, this one " + wait + " ms more");
        Thread.sleep(Math.max(0, wait));
        expect401(bearer(token), "token_expired", "the token expired");
    }

    @Test
    void tryItShowsTheTenantAndPoolAKeycloakTokenSelectsWithoutShowingIt() {
        String token = token(KeycloakResource.issuer(), "acme-service");
        String raw = admin().body(Map.of("count", 3, "path", "/hello", "token", token))
                .post("/api/v1/gateways/{g}/stages/prod/resources/hello/try", gateway).then().statusCode(200)
                .extract().asString();
        io.restassured.path.json.JsonPath r = new io.restassured.path.json.JsonPath(raw);
        assertEquals("jwt", r.getString("identity.tenant_from"));
        assertEquals("acme", r.getString("identity.tenant"));
        assertEquals("tenant pool acme", r.getString("identity.pool"));
        assertEquals(Map.of(acme.url(), 3), r.getMap("counts"));
        assertTrue(!raw.contains(token) && !raw.contains(token.split("\\.")[2]), "the token is never shown back");
        io.restassured.path.json.JsonPath other = admin().body(Map.of("count", 1, "path", "/hello",
                        "token", token(KeycloakResource.issuer(), "acme-other-audience")))
                .post("/api/v1/gateways/{g}/stages/prod/resources/hello/try", gateway).then().statusCode(200)
                .extract().jsonPath();
        assertEquals("invalid_token: the token is not meant for this audience", other.getString("identity.refusal"));
        assertEquals(Map.of("401", 1), other.getMap("statuses"));
    }
}
