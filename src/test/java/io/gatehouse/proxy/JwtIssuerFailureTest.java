package io.gatehouse.proxy;

import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.gatehouse.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code tenant_from: jwt} against an issuer the test controls ({@link TestIssuer}; the real provider is in
 * KeycloakJwtTenantTest): keys fetched when the release is applied, once, and again only for an unknown kid;
 * a token verified once and then served from the cache; and what requests get while the issuer is down, both
 * before any key was fetched (503, at once, until it is back) and after (cached keys keep working).
 */
class JwtIssuerFailureTest {
    private final ProxyFixture fx = new ProxyFixture();
    private final Backend shared = fx.backend("shared");
    private final Backend acme = fx.backend("acme");
    private final TestIssuer issuer = new TestIssuer(fx.vertx);

    @AfterEach
    void close() throws Exception {
        issuer.close();
        fx.close();
    }

    private void publish() {
        fx.tenants.apply(new TenantDirectory(1, Map.of("shop", Map.of("acme", RateLimit.NONE)), Map.of()));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme)
                .jwt(issuer.issuer(), "shop-api", "tenant").rejectUnknownTenant().build(), ProxyFixture.anyPath());
    }

    private ProxyFixture.Response call(String token) {
        return fx.get("/shop/prod/x", "Authorization", "Bearer " + token);
    }

    @Test
    void keysAreFetchedAtApplyOnceAndEachTokenIsVerifiedOnce() {
        publish();
        // Discovery and JWKS before any request: the release named the issuer.
        eventually("keys fetched at apply", () -> issuer.jwksFetches.get() == 1);
        assertEquals(1, issuer.discoveryFetches.get());
        String first = issuer.token("acme", "shop-api", 300);
        String second = issuer.token("acme", "shop-api", 300);
        for (int i = 0; i < 5; i++) {
            assertEquals("acme", call(first).body());
            assertEquals("acme", call(second).body());
        }
        assertEquals(2, fx.tenants.jwt().checks(), "one signature check per token, then the cache");
        assertEquals(1, issuer.jwksFetches.get(), "the JWKS is cached");
        assertEquals("acme", acme.last.get().headers().get("X-Tenant-Id"));
    }

    @Test
    void anUnknownKidRefreshesTheKeysOnce() {
        publish();
        eventually("keys fetched at apply", () -> issuer.jwksFetches.get() == 1);
        assertEquals("acme", call(issuer.token("acme", "shop-api", 300)).body());
        issuer.rotate();
        String rotated = issuer.token("acme", "shop-api", 300);
        assertEquals("acme", call(rotated).body());
        assertEquals(2, issuer.jwksFetches.get());
        assertEquals(2, issuer.discoveryFetches.get());
        // A kid the issuer never published: refused, and no fetch (the keys were refreshed just now).
        String forgedKid = TestIssuer.sign(claims(), freshKey("not-published"));
        ProxyFixture.Response r = call(forgedKid);
        assertEquals(401, r.status());
        assertEquals("the token's key (kid not-published) is not one of the issuer's",
                new JsonObject(r.body()).getString("detail"));
        assertEquals(2, issuer.jwksFetches.get());
    }

    @Test
    void whileTheIssuerWasNeverReachedTokensGet503UntilItIsBack() {
        issuer.server.stop();
        publish();
        eventually("the fetch at apply failed", () -> fx.tenants.jwt().fetches() >= 1
                && call("x.y.z").status() == 401); // a request that is not a JWT never waits for keys
        String token = issuer.token("acme", "shop-api", 300);
        ProxyFixture.Response r = call(token);
        assertEquals(503, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type"));
        assertEquals("1", r.header("Retry-After"));
        JsonObject body = new JsonObject(r.body());
        assertEquals("identity_unavailable", body.getString("code"));
        assertEquals(0, shared.requests.get() + acme.requests.get(), "nothing reached a backend");
        // No token: the stage rejects unknown tenants, and says so without asking the issuer.
        assertEquals(401, fx.get("/shop/prod/x").status());
        issuer.server.start();
        eventually("verified once the issuer is back", () -> call(token).status() == 200);
        assertEquals("acme", call(token).body());
    }

    @Test
    void onceKeysAreCachedAnOutageOnlyRefusesUnknownKids() {
        publish();
        eventually("keys fetched at apply", () -> issuer.jwksFetches.get() == 1);
        issuer.server.stop();
        // A token never seen before, signed with a cached key: verified without the issuer.
        assertEquals("acme", call(issuer.token("acme", "shop-api", 300)).body());
        assertEquals(1, issuer.jwksFetches.get());
        String unseen = issuer.token("acme", "shop-api", 300);
        // A kid the cache lacks cannot be told from a rotation during the outage: 503, not 401.
        issuer.rotate();
        ProxyFixture.Response r = call(issuer.token("acme", "shop-api", 300));
        assertEquals(503, r.status(), r.body());
        assertEquals("identity_unavailable", new JsonObject(r.body()).getString("code"));
        // Tokens signed with a cached key still pass during the outage.
        assertEquals("acme", call(unseen).body());
    }

    private org.jose4j.jwt.JwtClaims claims() {
        org.jose4j.jwt.JwtClaims c = new org.jose4j.jwt.JwtClaims();
        c.setIssuer(issuer.issuer());
        c.setAudience("shop-api");
        c.setStringClaim("tenant", "acme");
        c.setExpirationTimeMinutesInTheFuture(5);
        return c;
    }

    private static org.jose4j.jwk.RsaJsonWebKey freshKey(String kid) {
        try {
            org.jose4j.jwk.RsaJsonWebKey k = org.jose4j.jwk.RsaJwkGenerator.generateJwk(2048);
            k.setKeyId(kid);
            return k;
        } catch (org.jose4j.lang.JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
