package io.gatehouse.proxy;

import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.tenant.ApiKeySecrets;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verified tenants on a real proxy with real backends: API keys from the in-memory directory, unknown_tenant,
 * a resource's tenant rule, what the backend sees, and per-tenant rate limits on the fixture's hand-moved clock.
 */
class ProxyTenantTest {

    private final ProxyFixture fx = new ProxyFixture();
    private final Backend shared = fx.backend("shared");
    private final Backend acme = fx.backend("acme");
    private final String acmeKey = ApiKeySecrets.newSecret();
    private final String globexKey = ApiKeySecrets.newSecret();
    private final String otherGatewayKey = ApiKeySecrets.newSecret();
    private final String expiredKey = ApiKeySecrets.newSecret();

    @AfterEach
    void close() throws Exception {
        fx.close();
    }

    private void directory(RateLimit acmeLimit) {
        fx.tenants.apply(new TenantDirectory(1,
                Map.of("shop", Map.of("acme", acmeLimit, "globex", RateLimit.NONE), "other", Map.of("acme", RateLimit.NONE)),
                Map.of(ApiKeySecrets.hash(acmeKey), new ApiKey(1, "shop", "acme", Long.MAX_VALUE),
                        ApiKeySecrets.hash(globexKey), new ApiKey(2, "shop", "globex", Long.MAX_VALUE),
                        ApiKeySecrets.hash(otherGatewayKey), new ApiKey(3, "other", "acme", Long.MAX_VALUE),
                        ApiKeySecrets.hash(expiredKey), new ApiKey(4, "shop", "acme", System.currentTimeMillis() - 1000))));
    }

    @Test
    void anApiKeyIsTheTenantAndAClaimedHeaderIsNot() {
        directory(RateLimit.NONE);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).apiKey(null).build(),
                ProxyFixture.anyPath());
        // Claiming acme in the header reaches the shared hosts, never acme's pool.
        for (int i = 0; i < 5; i++) {
            assertEquals("shared", fx.get("/shop/prod/x", "X-Tenant-Id", "acme").body());
        }
        assertEquals("shared", fx.get("/shop/prod/x", "X-Api-Key", "gk_not-a-key", "X-Tenant-Id", "acme").body());
        assertNull(shared.last.get().headers().get("X-Tenant-Id"),
                "the client's X-Tenant-Id must not reach a backend under tenant_from api_key");
        // The key's owner is the tenant: its pool, the verified header, and no key.
        ProxyFixture.Response r = fx.get("/shop/prod/x", "X-Api-Key", acmeKey, "X-Tenant-Id", "globex");
        assertEquals(200, r.status());
        assertEquals("acme", r.body());
        assertEquals(List.of("acme"), acme.last.get().headers().getAll("X-Tenant-Id"));
        assertNull(acme.last.get().headers().get("X-Api-Key"));
        // globex has no pool: default hosts, told who it is.
        assertEquals("shared", fx.get("/shop/prod/x", "X-Api-Key", globexKey, "X-Tenant-Id", "acme").body());
        assertEquals(List.of("globex"), shared.last.get().headers().getAll("X-Tenant-Id"));
    }

    @Test
    void rejectAnswers401ProblemJsonWithAChallengeForEveryMissingOrInvalidKey() {
        directory(RateLimit.NONE);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).apiKey(null)
                .rejectUnknownTenant().build(), ProxyFixture.anyPath());
        expect401(fx.get("/shop/prod/x", "X-Tenant-Id", "acme"), "api_key_missing", "no API key in X-Api-Key");
        expect401(fx.get("/shop/prod/x", "X-Api-Key", "gk_wrong"), "invalid_api_key",
                "the API key is not valid for gateway shop (unknown or revoked)");
        expect401(fx.get("/shop/prod/x", "X-Api-Key", otherGatewayKey), "invalid_api_key",
                "the API key is not valid for gateway shop (unknown or revoked)");
        expect401(fx.get("/shop/prod/x", "X-Api-Key", expiredKey), "api_key_expired", "the API key expired");
        assertEquals("acme", fx.get("/shop/prod/x", "X-Api-Key", acmeKey).body());
    }

    private static void expect401(ProxyFixture.Response r, String code, String detail) {
        assertEquals(401, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type"));
        assertEquals("ApiKey realm=\"gatehouse\", header=\"X-Api-Key\"", r.header("WWW-Authenticate"));
        io.vertx.core.json.JsonObject body = new io.vertx.core.json.JsonObject(r.body());
        assertEquals(code, body.getString("code"));
        assertEquals(detail, body.getString("detail"));
    }

    @Test
    void anotherKeyHeaderIsReadAndRemoved() {
        directory(RateLimit.NONE);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).apiKey("X-Shop-Key")
                .build(), ProxyFixture.anyPath());
        assertEquals("shared", fx.get("/shop/prod/x", "X-Api-Key", acmeKey).body());
        assertEquals("acme", fx.get("/shop/prod/x", "X-Shop-Key", acmeKey).body());
        assertNull(acme.last.get().headers().get("X-Shop-Key"));
    }

    @Test
    void authorizationIsKeptUnlessTheStageStripsIt() {
        directory(RateLimit.NONE);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).apiKey(null).build(), ProxyFixture.anyPath());
        fx.get("/shop/prod/x", "X-Api-Key", acmeKey, "Authorization", "Basic dTpw");
        assertEquals("Basic dTpw", shared.last.get().headers().get("Authorization"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).apiKey(null).stripAuthorization().build(),
                ProxyFixture.anyPath());
        fx.get("/shop/prod/x", "X-Api-Key", acmeKey, "Authorization", "Basic dTpw");
        assertNull(shared.last.get().headers().get("Authorization"));
    }

    @Test
    void aResourcesTenantRuleGives401WithoutATenantAnd403ForAnother() {
        directory(RateLimit.NONE);
        Map<String, ResourceSpec> rs = resources(
                "acme_only", new ResourceSpec("GET", "/orders", null, null, null, null,
                        new ResourceSpec.TenantRule(null, List.of("acme"))),
                "members", new ResourceSpec("GET", "/members", null, null, null, null,
                        new ResourceSpec.TenantRule(true, null)),
                "open", resource("GET", "/open", null, null));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).apiKey(null).build(), rs);
        ProxyFixture.Response none = fx.get("/shop/prod/orders");
        assertEquals(401, none.status());
        assertEquals("ApiKey realm=\"gatehouse\", header=\"X-Api-Key\"", none.header("WWW-Authenticate"));
        assertTrue(none.body().contains("resource acme_only requires a tenant"), none.body());
        ProxyFixture.Response other = fx.get("/shop/prod/orders", "X-Api-Key", globexKey);
        assertEquals(403, other.status());
        assertEquals("tenant_not_allowed", new io.vertx.core.json.JsonObject(other.body()).getString("code"));
        assertEquals(200, fx.get("/shop/prod/orders", "X-Api-Key", acmeKey).status());
        assertEquals(401, fx.get("/shop/prod/members").status());
        assertEquals(200, fx.get("/shop/prod/members", "X-Api-Key", globexKey).status());
        assertEquals(200, fx.get("/shop/prod/open").status());
    }

    @Test
    void underTenantFromHeaderTheHeaderIsAHintAndRejectRefusesUndeclaredTenants() {
        directory(RateLimit.NONE);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).rejectUnknownTenant()
                .build(), ProxyFixture.anyPath());
        assertEquals("acme", fx.get("/shop/prod/x", "X-Tenant-Id", "acme").body());
        assertEquals("shared", fx.get("/shop/prod/x", "X-Tenant-Id", "globex").body());
        ProxyFixture.Response unknown = fx.get("/shop/prod/x", "X-Tenant-Id", "initech");
        assertEquals(401, unknown.status());
        assertEquals("unknown_tenant", new io.vertx.core.json.JsonObject(unknown.body()).getString("code"));
        assertEquals(401, fx.get("/shop/prod/x").status());
    }

    @Test
    void aTenantLimitedTo20PerSecondGetsExactlyTheBurstPlusTheRefillThen429s() {
        directory(new RateLimit(20, 20));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).apiKey(null).build(), ProxyFixture.anyPath());
        // The clock stands still: exactly the burst passes.
        List<Integer> statuses = statuses(25, acmeKey);
        assertEquals(20, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(List.of(429, 429, 429, 429, 429), statuses.subList(20, 25));
        ProxyFixture.Response limited = fx.get("/shop/prod/x", "X-Api-Key", acmeKey);
        assertEquals(429, limited.status());
        assertEquals("application/problem+json", limited.header("Content-Type"));
        assertEquals("1", limited.header("Retry-After"));
        assertEquals("20", limited.header("RateLimit-Limit"));
        assertEquals("0", limited.header("RateLimit-Remaining"));
        assertEquals("1", limited.header("RateLimit-Reset"));
        // Other tenants are not limited by acme's bucket.
        assertEquals(200, fx.get("/shop/prod/x", "X-Api-Key", globexKey).status());
        // Half a second refills exactly 10.
        fx.advance(Duration.ofMillis(500));
        statuses = statuses(15, acmeKey);
        assertEquals(10, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertEquals(List.of(429, 429, 429, 429, 429), statuses.subList(10, 15));
        // A whole second: 20 again, never more than the burst however long it waited.
        fx.advance(Duration.ofSeconds(5));
        assertEquals(20, statuses(30, acmeKey).stream().filter(s -> s == 200).count());
    }

    @Test
    void withTwoLiveInstancesEachEnforcesHalf() {
        directory(new RateLimit(20, 20));
        fx.tenants.liveInstances(2);
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).apiKey(null).build(), ProxyFixture.anyPath());
        assertEquals(10, statuses(15, acmeKey).stream().filter(s -> s == 200).count());
        fx.advance(Duration.ofSeconds(1));
        assertEquals(10, statuses(15, acmeKey).stream().filter(s -> s == 200).count());
        ProxyFixture.Response limited = fx.get("/shop/prod/x", "X-Api-Key", acmeKey);
        assertEquals("10", limited.header("RateLimit-Limit"));
    }

    private List<Integer> statuses(int n, String key) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(fx.get("/shop/prod/x", "X-Api-Key", key).status());
        }
        return out;
    }
}
