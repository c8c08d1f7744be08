package io.gatehouse.proxy;

import io.gatehouse.common.NameRules;
import io.gatehouse.proxy.Tenants.Identified;
import io.gatehouse.tenant.TenantDirectory;
import io.gatehouse.tenant.TenantDirectory.ApiKey;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Step 1 of {@link TenantIdentity}: who a request's tenant is by the stage's {@code tenant_from}, from each credential
 * source: a header hint, an API key looked up in memory, or a verified JWT claim. Each source gives the tenant (a
 * String) or why there is none (a {@link Missing}); the JWT source may also give a 503 {@link TenantIdentity.Refused}
 * when the issuer's keys cannot be had. Plain objects rather than a result type, so an admitted request allocates
 * nothing here.
 */
final class TenantClaims {

    /** Why a request has no tenant: kept to explain a 401. */
    record Missing(String code, String detail, String challengeError) {
    }

    static final Missing TOKEN_MISSING = new Missing("token_missing", "no bearer token in Authorization", null);

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private final Supplier<TenantDirectory> directory;
    private final JwtVerifier jwt;
    private final LongSupplier clockMillis;

    /** @param clockMillis the wall clock API keys expire by */
    TenantClaims(Supplier<TenantDirectory> directory, JwtVerifier jwt, LongSupplier clockMillis) {
        this.directory = directory;
        this.jwt = jwt;
        this.clockMillis = clockMillis;
    }

    JwtVerifier jwt() {
        return jwt;
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
                : c instanceof TenantIdentity.Refused r ? new Identified(null, r.code(), r.detail())
                : new Identified(null, "tenant_missing", "no tenant"));
    }

    static String bearer(String auth) {
        if (auth == null || auth.length() < 8 || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return auth.substring(7).trim();
    }

    /** Under tenant_from header: the named tenant (a String), or why there is none (a Missing). */
    static Object fromHeader(String claimed, String gateway, TenantPolicy policy, TenantDirectory dir) {
        if (!NameRules.isTenantName(claimed)) {
            return new Missing("tenant_missing", "no tenant named in " + policy.tenantHeader(), null);
        }
        // A hint: routed as named under unknown_tenant: default (pools name only declared tenants).
        if (policy.reject() && !dir.declares(gateway, claimed)) {
            return new Missing("unknown_tenant", "'" + claimed + "' is not a tenant of gateway " + gateway, null);
        }
        return claimed;
    }

    /** Under tenant_from api_key: the key's owner, or why there is none; an in-memory lookup. */
    Object fromApiKey(String presented, String gateway, TenantPolicy policy, TenantDirectory dir) {
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

    /** Under tenant_from jwt, from the verifier's result: the tenant, a Missing, or a 503 Refused. */
    static Object fromJwt(JwtVerifier.Result result, String gateway, TenantPolicy policy, TenantDirectory dir) {
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
        return new TenantIdentity.Refused(503, "identity_unavailable", "Identity provider unavailable",
                ((JwtVerifier.Unavailable) result).detail(), MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.RETRY_AFTER, "1"));
    }

    static String sha256(String secret) {
        MessageDigest sha = SHA256.get();
        return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
