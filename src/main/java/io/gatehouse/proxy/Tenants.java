package io.gatehouse.proxy;

import io.gatehouse.tenant.TenantDirectory;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * An instance's tenant state: the live {@link TenantDirectory} (swapped whole by TenantSync), the rate-limit
 * buckets and the JWT verifier with its caches. One per proxy instance, shared by its event loops.
 */
public final class Tenants {
    private volatile TenantDirectory directory = TenantDirectory.EMPTY;
    private final TenantLimiter limiter;
    private final JwtVerifier jwt;
    private final TenantClaims claims;
    private final TenantIdentity identity;

    public Tenants(Vertx vertx) {
        this(vertx, TimeMeter.SYSTEM_NANOTIME, System::currentTimeMillis);
    }

    /** With clocks of the caller's: {@code buckets} for rate limits, {@code wallMillis} for key expiry. */
    Tenants(Vertx vertx, TimeMeter buckets, LongSupplier wallMillis) {
        this.limiter = new TenantLimiter(buckets);
        this.jwt = new JwtVerifier(vertx);
        this.claims = new TenantClaims(() -> directory, jwt, wallMillis);
        this.identity = new TenantIdentity(() -> directory, claims, limiter);
    }

    public TenantDirectory directory() {
        return directory;
    }

    /** Makes {@code next} the live directory; buckets of tenants that lost their limit are forgotten. */
    public void apply(TenantDirectory next) {
        directory = next;
        limiter.retain((gw, tenant) -> next.limit(gw, tenant).limited());
    }

    /** The number of live instances that share each tenant's limit. */
    public void liveInstances(int n) {
        limiter.instances(n);
    }

    public int liveInstances() {
        return limiter.instances();
    }

    /**
     * Starts fetching the signing keys of every JWT issuer the applied releases name (a listener of the
     * instance's {@link SnapshotStore}), so an issuer's keys are in memory before its first token arrives.
     */
    void prefetchKeys(SnapshotStore store) {
        Set<String> issuers = new HashSet<>();
        for (StageSnapshot s : store.all()) {
            for (Upstream up : s.upstreams()) {
                if (up.tenantPolicy().jwt() != null) {
                    issuers.add(up.tenantPolicy().jwt().issuer());
                }
            }
        }
        if (!issuers.isEmpty()) {
            jwt.prefetch(issuers);
        }
    }

    JwtVerifier jwt() {
        return jwt;
    }

    /**
     * Who the tenant would be for a request with {@code headers} under {@code policy}: step 1 of
     * {@link TenantIdentity} alone (no resource rule, no rate-limit token taken). For "Try it", which shows what
     * an API key or token selects without sending it anywhere but this instance's memory and verifier.
     */
    public Future<Identified> identify(MultiMap headers, String gateway, TenantPolicy policy) {
        return claims.identify(headers, gateway, policy);
    }

    /** The tenant, or null and why not: the code and detail the proxy's 401 (or 503) would give. */
    public record Identified(String tenant, String code, String detail) {
    }

    TenantIdentity identity() {
        return identity;
    }
}
