package io.gatehouse.proxy;

import io.gatehouse.proxy.TenantClaims.Missing;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Supplier;

/**
 * Who a request's tenant is, and whether it may pass: called once per request, after routing and before the
 * pool is chosen. In order: (1) the tenant from the stage's {@code tenant_from} (a header hint, an API key
 * looked up in memory, or a verified JWT claim: {@link TenantClaims}); (2) {@code unknown_tenant: reject} refuses a
 * request without a valid one (401); (3) the resource's tenant rule ({@code required}: 401; not {@code allowed}:
 * 403); (4) the tenant's rate limit (429). Never touches the database: keys and limits come from the {@link TenantDirectory}
 * that TenantSync swaps in. Completes at once except when a JWT needs its issuer's keys fetched.
 */
final class TenantIdentity {

    /** The outcome for one request. */
    sealed interface Outcome permits Admitted, Refused {
    }

    /**
     * Let through, with {@code tenant} (null: none) as the routing tenant; {@code declared} when the gateway
     * declares it (always for a verified tenant; a header hint may name any tenant).
     */
    record Admitted(String tenant, boolean declared) implements Outcome {
        static final Admitted NONE = new Admitted(null, false);
    }

    /**
     * Answered by the proxy with problem JSON and {@code headers} (WWW-Authenticate, Retry-After, ...);
     * {@code tenant} is the declared tenant when it was known (403, 429), else null.
     */
    record Refused(int status, String code, String title, String detail, MultiMap headers, String tenant)
            implements Outcome {
        Refused(int status, String code, String title, String detail, MultiMap headers) {
            this(status, code, title, detail, headers, null);
        }
    }

    private final Supplier<TenantDirectory> directory;
    private final TenantClaims claims;
    private final TenantLimiter limiter;

    TenantIdentity(Supplier<TenantDirectory> directory, TenantClaims claims, TenantLimiter limiter) {
        this.directory = directory;
        this.claims = claims;
        this.limiter = limiter;
    }

    Future<Outcome> admit(HttpServerRequest req, String gateway, Route route) {
        TenantPolicy policy = route.upstream().tenantPolicy();
        return switch (policy.source()) {
            case HEADER -> {
                TenantDirectory dir = directory.get();
                yield Future.succeededFuture(decide(dir, gateway, route,
                        TenantClaims.fromHeader(req.getHeader(policy.tenantHeader()), gateway, policy, dir)));
            }
            case API_KEY -> {
                TenantDirectory dir = directory.get();
                yield Future.succeededFuture(decide(dir, gateway, route,
                        claims.fromApiKey(req.getHeader(policy.apiKeyHeader()), gateway, policy, dir)));
            }
            case JWT -> {
                String token = TenantClaims.bearer(req.getHeader(HttpHeaders.AUTHORIZATION));
                if (token == null) {
                    yield Future.succeededFuture(decide(directory.get(), gateway, route, TenantClaims.TOKEN_MISSING));
                }
                yield claims.jwt().verify(token, policy.jwt()).map(result -> {
                    TenantDirectory dir = directory.get();
                    Object claim = TenantClaims.fromJwt(result, gateway, policy, dir);
                    return claim instanceof Refused r ? r : decide(dir, gateway, route, claim);
                });
            }
        };
    }

    /** {@link #decide} for a claim of step 1: a tenant (String) or why there is none (Missing). */
    private Outcome decide(TenantDirectory dir, String gateway, Route route, Object claim) {
        return claim instanceof String tenant ? decide(dir, gateway, route, tenant, null)
                : decide(dir, gateway, route, null, (Missing) claim);
    }

    /** Steps 2 to 4 for a request whose tenant is {@code tenant} (null, for the reason {@code missing}). */
    private Outcome decide(TenantDirectory dir, String gateway, Route route, String tenant, Missing missing) {
        TenantPolicy policy = route.upstream().tenantPolicy();
        TenantPolicy.Rule rule = route.tenantRule();
        if (tenant == null) {
            if (policy.reject() || rule != null) {
                String detail = missing.detail() + (rule != null && !policy.reject()
                        ? "; resource " + route.name() + " requires a tenant" : "");
                return new Refused(401, missing.code(), "Unauthorized", detail, challenge(policy, missing));
            }
            return Admitted.NONE;
        }
        if (rule != null && !rule.allowed().isEmpty() && !rule.allowed().contains(tenant)) {
            return new Refused(403, "tenant_not_allowed", "Forbidden",
                    "tenant " + tenant + " may not call resource " + route.name(), null, declared(dir, gateway, tenant));
        }
        RateLimit limit = dir.limit(gateway, tenant);
        if (limit.limited()) {
            TenantLimiter.Decision d = limiter.take(gateway, tenant, limit);
            if (!d.allowed()) {
                String reset = Long.toString(d.resetSeconds());
                // RFC 9110 Retry-After; RateLimit-* as in draft-ietf-httpapi-ratelimit-headers (-07's fields).
                MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                        .add(HttpHeaders.RETRY_AFTER, reset)
                        .add("RateLimit-Limit", Long.toString(d.limit()))
                        .add("RateLimit-Remaining", Long.toString(d.remaining()))
                        .add("RateLimit-Reset", reset);
                return new Refused(429, "rate_limited", "Too many requests", "tenant " + tenant + " is limited to "
                        + limit.requestsPerSecond() + " requests per second (burst " + limit.burst() + ")", headers,
                        tenant);
            }
        }
        return new Admitted(tenant, dir.declares(gateway, tenant));
    }

    private static String declared(TenantDirectory dir, String gateway, String tenant) {
        return dir.declares(gateway, tenant) ? tenant : null;
    }

    /** RFC 9110 §11.6.1: a 401 names how to authenticate; RFC 6750 §3 for bearer tokens. */
    private static MultiMap challenge(TenantPolicy policy, Missing missing) {
        String value = switch (policy.source()) {
            case JWT -> missing.challengeError() == null ? "Bearer realm=\"gatehouse\""
                    : "Bearer realm=\"gatehouse\", error=\"invalid_token\", error_description=\""
                    + missing.challengeError().replace("\"", "'") + "\"";
            case API_KEY -> "ApiKey realm=\"gatehouse\", header=\"" + policy.apiKeyHeader() + "\"";
            case HEADER -> "Tenant realm=\"gatehouse\", header=\"" + policy.tenantHeader() + "\"";
        };
        return MultiMap.caseInsensitiveMultiMap().add("WWW-Authenticate", value);
    }

    /**
     * What the backend sees: the tenant header carries the verified tenant (a client's own value replaced, or
     * removed when there is none), the API key header never leaves the proxy, Authorization only when kept.
     * Under {@code tenant_from: header} the client's header passes as sent (it is what chose the pool).
     * {@code strip_tenant_header} removes the tenant header whatever the source.
     */
    static void forward(MultiMap headers, TenantPolicy policy, String tenant) {
        if (policy.stripTenantHeader()) {
            headers.remove(policy.tenantHeader());
        } else if (policy.verified()) {
            headers.remove(policy.tenantHeader());
            if (tenant != null) {
                headers.set(policy.tenantHeader(), tenant);
            }
        }
        if (policy.apiKeyHeader() != null) {
            headers.remove(policy.apiKeyHeader());
        }
        if (policy.stripAuthorization()) {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
    }
}
