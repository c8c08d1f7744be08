package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import io.gatehouse.tenant.ApiKeySecrets;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link TenantIdentity#admit} of one request, outside the network, for IdentityBench: a compiled route of a real
 * snapshot, the instance's real directory and verifier, and a request that hands out a new header string each
 * time (as a real request's header is a fresh string, hashed anew).
 */
public final class IdentityProbe implements AutoCloseable {
    private final ProxyFixture fx = new ProxyFixture();
    private TestIssuer issuer;
    private Route route;
    private volatile String header;
    private volatile String value;
    private final HttpServerRequest request = (HttpServerRequest) Proxy.newProxyInstance(
            IdentityProbe.class.getClassLoader(), new Class<?>[]{HttpServerRequest.class}, (p, m, a) ->
                    switch (m.getName()) {
                        case "getHeader" -> a[0].toString().equalsIgnoreCase(header) ? new String(value) : null;
                        case "hashCode" -> System.identityHashCode(p);
                        case "equals" -> p == a[0];
                        default -> null;
                    });

    /** tenant_from api_key over a directory of {@code keys} keys of 100 tenants; the request carries one of them. */
    public static IdentityProbe apiKey(int keys) {
        IdentityProbe probe = new IdentityProbe();
        Map<String, RateLimit> tenants = new HashMap<>();
        Map<String, ApiKey> byHash = new HashMap<>();
        String presented = null;
        for (int i = 0; i < keys; i++) {
            String tenant = "t" + (i % 100);
            tenants.put(tenant, RateLimit.NONE);
            String secret = ApiKeySecrets.newSecret();
            byHash.put(ApiKeySecrets.hash(secret), new ApiKey(i, "shop", tenant, Long.MAX_VALUE));
            presented = secret;
        }
        probe.fx.tenants.apply(new TenantDirectory(1, Map.of("shop", tenants), byHash));
        Backend b = probe.fx.backend("b");
        probe.route = probe.fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).apiKey(null).build(),
                ProxyFixture.anyPath()).routes().get("all");
        probe.header = "X-Api-Key";
        probe.value = presented;
        return probe;
    }

    /** tenant_from jwt against a loopback issuer whose keys are fetched before this returns; one token presented. */
    public static IdentityProbe jwt() {
        IdentityProbe probe = new IdentityProbe();
        probe.issuer = new TestIssuer(probe.fx.vertx);
        probe.fx.tenants.apply(new TenantDirectory(1, Map.of("shop", Map.of("acme", RateLimit.NONE)), Map.of()));
        Backend b = probe.fx.backend("b");
        probe.route = probe.fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1)
                .jwt(probe.issuer.issuer(), "shop-api", "tenant").build(), ProxyFixture.anyPath()).routes().get("all");
        Eventually.eventually("keys fetched", () -> probe.issuer.jwksFetches.get() == 1);
        probe.header = "Authorization";
        probe.value = "Bearer " + probe.issuer.token("acme", "shop-api", 3600);
        if (!"acme".equals(probe.admit())) {
            throw new IllegalStateException("the probe's token does not verify");
        }
        return probe;
    }

    /** Admits the request; returns its tenant. Completes at once (no fetch is ever needed here). */
    public String admit() {
        Future<TenantIdentity.Outcome> f = fx.tenants.identity().admit(request, "shop", route);
        if (!f.isComplete()) {
            throw new IllegalStateException("admit waited for something: the probe must never fetch");
        }
        return f.result() instanceof TenantIdentity.Admitted a ? a.tenant() : null;
    }

    /** The next {@link #admit} of a JWT verifies its signature again. */
    public void forgetVerified() {
        fx.tenants.jwt().forgetVerified();
    }

    @Override
    public void close() {
        if (issuer != null) {
            issuer.close();
        }
        fx.close();
    }
}
