package io.gatehouse.proxy;

import io.gatehouse.common.NameRules;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.gatehouse.proxy.Tenants.Identified;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Who a request's tenant is, and whether it may pass: called once per request, after routing and before the
 * pool is chosen. In order: (1) the tenant from the stage's {@code tenant_from} (a header hint, an API key
 * looked up in memory, or a verified JWT claim); (2) {@code unknown_tenant: reject} refuses a request without a
 * valid one (401); (3) the resource's tenant rule ({@code required}: 401; not {@code allowed}: 403); (4) the
 * tenant's rate limit (429). Never touches the database: keys and limits come from the {@link TenantDirectory}
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

    /** Why a request has no tenant: kept to explain a 401. */
    private record Missing(String code, String detail, String challengeError) {
    }

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final Supplier<TenantDirectory> directory;
    private final JwtVerifier jwt;
    private final TenantLimiter limiter;
    private final LongSupplier clockMillis;

    TenantIdentity(Supplier<TenantDirectory> directory, JwtVerifier jwt, TenantLimiter limiter, LongSupplier clockMillis) {
        this.directory = directory;
        this.jwt = jwt;
        this.limiter = limiter;
        this.clockMillis = clockMillis;
    }

    Future<Outcome> admit(HttpServerRequest req, String gateway, Route route) {
        TenantPolicy policy = route.upstream().tenantPolicy();
        return switch (policy.source()) {
            case HEADER -> {
                TenantDirectory dir = directory.get();
                yield Future.succeededFuture(decide(dir, gateway, route,
                        fromHeader(req.getHeader(policy.tenantHeader()), gateway, policy, dir)));
            }
            case API_KEY -> {
                TenantDirectory dir = directory.get();
                yield Future.succeededFuture(decide(dir, gateway, route,
                        fromApiKey(req.getHeader(policy.apiKeyHeader()), gateway, policy, dir)));
            }
            case JWT -> {
                String token = bearer(req.getHeader(HttpHeaders.AUTHORIZATION));
                if (token == null) {
                    yield Future.succeededFuture(decide(directory.get(), gateway, route, TOKEN_MISSING));
                }
                yield jwt.verify(token, policy.jwt()).map(result -> {
                    TenantDirectory dir = directory.get();
                    Object claim = fromJwt(result, gateway, policy, dir);
                    return claim instanceof Refused r ? r : decide(dir, gateway, route, claim);
                });
            }
        };
    }

    /** See {@link Tenants#identify}. */
    Future<Identified> identify(MultiMap headers, String gateway, TenantPolicy policy) {
        TenantDirectory dir = directory.get();
        Future<Object> claim = switch (policy.source()) {
            case HEADER -> Future.succeededFuture(fromHeader(headers.get(policy.tenantHeader()), gateway, policy, dir));
            case API_KEY -> Future.succeededFuture(fromApiKey(headers.get(policy.apiKeyHeader()), gateway, policy, dir));
            case JWT -> {
                String token = bearer(headers.get(HttpHeaders.AUTHORIZATION));
                yield token == null ? Future.succeededFuture(TOKEN_MISSING)
                        : jwt.verify(token, policy.jwt()).map(r -> fromJwt(r, gateway, policy, directory.get()));
            }
        };
        return claim.map(c -> c instanceof String tenant ? new Identified(tenant, null, null)
                : c instanceof Missing m ? new Identified(null, m.code(), m.detail())
                : c instanceof Refused r ? new Identified(null, r.code(), r.detail())
                : new Identified(null, "tenant_missing", "no tenant"));
    }

    private static final Missing TOKEN_MISSING = new Missing("token_missing", "no bearer token in Authorization", null);

    private static String bearer(String auth) {
        if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    /** Step 1 under tenant_from header: the named tenant (a String), or why there is none (a Missing). */
    private static Object fromHeader(String claimed, String gateway, TenantPolicy policy, TenantDirectory dir) {
        if (!NameRules.isTenantName(claimed)) {
            return new Missing("tenant_missing", "no tenant named in " + policy.tenantHeader(), null);
        }
        // A hint: routed as named under unknown_tenant: default (pools name only declared tenants).
        if (policy.reject() && !dir.declares(gateway, claimed)) {
            return new Missing("unknown_tenant", "'" + claimed + "' is not a tenant of gateway " + gateway, null);
        }
        return claimed;
    }

    /** Step 1 under tenant_from api_key: the key's owner, or why there is none; an in-memory lookup. */
    private Object fromApiKey(String presented, String gateway, TenantPolicy policy, TenantDirectory dir) {
        if (presented == null || presented.isEmpty()) {
            return new Missing("api_key_missing", "no API key in " + policy.apiKeyHeader(), null);
        }
        ApiKey key = dir.keys().get(sha256(presented));
        if (key == null || !key.gateway().equals(gateway)) {
            return new Missing("invalid_api_key",
                    "the API key is not valid for gateway " + gateway + " (unknown or revoked)", null);
        }
        long now = clockMillis.getAsLong();
        if (key.expiredAt(now)) {
            return new Missing("api_key_expired", "the API key expired", null);
        }
        key.used(now);
        return key.tenant();
    }

    /** Step 1 under tenant_from jwt, from the verifier's result: the tenant, a Missing, or a 503 Refused. */
    private static Object fromJwt(JwtVerifier.Result result, String gateway, TenantPolicy policy, TenantDirectory dir) {
        if (result instanceof JwtVerifier.Verified v) {
            if (!NameRules.isTenantName(v.tenant())) {
                return new Missing("tenant_missing", "the token has no tenant in claim " + policy.jwt().tenantClaim(),
                        null);
            }
            if (!dir.declares(gateway, v.tenant())) {
                return new Missing("unknown_tenant", "'" + v.tenant() + "' is not a tenant of gateway " + gateway, null);
            }
            return v.tenant();
        }
        if (result instanceof JwtVerifier.Rejected r) {
            return new Missing(r.expired() ? "token_expired" : "invalid_token", r.description(), r.description());
        }
        return new Refused(503, "identity_unavailable", "Identity provider unavailable",
                ((JwtVerifier.Unavailable) result).detail(), MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.RETRY_AFTER, "1"));
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

    static String sha256(String secret) {
        MessageDigest sha = SHA256.get();
        return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
