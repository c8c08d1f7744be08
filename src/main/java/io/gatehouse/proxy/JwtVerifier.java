package io.gatehouse.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.proxy.IssuerKeyCache.IssuerKeys;
import io.gatehouse.common.JwtSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Verifies bearer JWTs for {@code tenant_from: jwt} with jose4j (no crypto of our own): the signature against a
 * key of the issuer's JWKS, then {@code exp} (required), {@code nbf}, {@code iss} and {@code aud}, with
 * {@link #CLOCK_SKEW_SECONDS} of skew. Asymmetric algorithms only: an HS256 token signed with a public key, or
 * {@code alg: none}, never verifies. The issuer of a token is read before any fetch and must be the configured
 * one: an unknown issuer is refused without a request.
 *
 * <p>The keys come from {@link IssuerKeyCache} (discovery, fetch, refresh, and what happens while the issuer is
 * down); a token whose {@code kid} is not in the cached set asks it for one refresh (key rotation), and while
 * no keys could ever be fetched a request with a token gets {@link Unavailable} (503, not 401: the client is not
 * at fault).
 *
 * <p>Each verified token is cached until its {@code exp}, so a client that reuses its token pays the signature
 * check once (docs/benchmarks.md has the figures). Thread-safe; shared by every event loop of an instance.
 */
public final class JwtVerifier {

    /** Clock skew allowed on exp and nbf: small, as clocks are NTP-synced (Envoy allows 60 s, jose4j 0 by default). */
    static final int CLOCK_SKEW_SECONDS = 10;
    private static final AlgorithmConstraints ASYMMETRIC = new AlgorithmConstraints(ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512, AlgorithmIdentifiers.EDDSA);
    /** Reads a token's header and claims without trusting them, to learn its issuer and kid. */
    private static final JwtConsumer UNVERIFIED = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    /** What a token comes to. */
    public sealed interface Result permits Verified, Rejected, Unavailable {
    }

    /** A good token; {@code tenant} null when it carries no tenant claim. */
    public record Verified(String tenant, long expiresAtMillis) implements Result {
    }

    /** A token that is not good: the description goes into WWW-Authenticate (RFC 6750 §3). */
    public record Rejected(boolean expired, String description) implements Result {
    }

    /** The issuer's keys could not be fetched: not the client's fault. */
    public record Unavailable(String detail) implements Result {
    }

    private record CacheKey(String token, JwtSpec spec) {
    }

    private final IssuerKeyCache issuers;
    private final Cache<CacheKey, Verified> verified = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfter(new Expiry<CacheKey, Verified>() {
                @Override
                public long expireAfterCreate(CacheKey key, Verified value, long currentTime) {
                    return Math.max(0, value.expiresAtMillis() - System.currentTimeMillis()) * 1_000_000L;
                }

                @Override
                public long expireAfterUpdate(CacheKey key, Verified value, long currentTime, long currentDuration) {
                    return expireAfterCreate(key, value, currentTime);
                }

                @Override
                public long expireAfterRead(CacheKey key, Verified value, long currentTime, long currentDuration) {
                    return currentDuration;
                }
            }).build();

    private final LongAdder checks = new LongAdder();

    public JwtVerifier(Vertx vertx) {
        this.issuers = new IssuerKeyCache(vertx);
    }

    /**
     * Starts fetching the keys of each issuer that has none yet (a release naming it was just applied), so the
     * first request does not wait for them and an unreachable issuer is logged at once. Returns at once.
     */
    public void prefetch(Collection<String> issuerUrls) {
        issuers.prefetch(issuerUrls);
    }

    /** Signature checks done (tokens not found in the cache): a token reused until it expires counts once. */
    long checks() {
        return checks.sum();
    }

    /** Forgets every verified token (benchmarks measure a first verification with it). */
    void forgetVerified() {
        verified.invalidateAll();
    }

    /** Discovery plus JWKS fetches started, over all issuers. */
    long fetches() {
        return issuers.fetches();
    }

    /** Verifies {@code token} against {@code spec}; completes at once when it is cached or needs no fetch. */
    public Future<Result> verify(String token, JwtSpec spec) {
        CacheKey key = new CacheKey(token, spec);
        Verified hit = verified.getIfPresent(key);
        if (hit != null) {
            return Future.succeededFuture(hit);
        }
        JwtContext unverified;
        try {
            unverified = UNVERIFIED.process(token);
        } catch (InvalidJwtException e) {
            return Future.succeededFuture(new Rejected(false, "the token is not a JWT"));
        }
        String issuer;
        try {
            issuer = unverified.getJwtClaims().getIssuer();
        } catch (MalformedClaimException e) {
            return Future.succeededFuture(new Rejected(false, "the token's iss is malformed"));
        }
        if (!spec.issuer().equals(issuer)) {
            return Future.succeededFuture(new Rejected(false, "the token is not from issuer " + spec.issuer()));
        }
        String kid = unverified.getJoseObjects().isEmpty() ? null
                : unverified.getJoseObjects().get(0).getKeyIdHeaderValue();
        IssuerKeys keys = issuers.of(issuer);
        List<JsonWebKey> known = keys.keys();
        if (known != null && keys.has(kid)) {
            if (keys.stale()) {
                keys.refresh(); // in the background: this token is checked against the keys we have
            }
            return Future.succeededFuture(check(key, known));
        }
        return keys.refreshForKid().map(fresh -> IssuerKeys.has(fresh, kid) ? check(key, fresh)
                        : (Result) new Rejected(false, "the token's key (kid " + kid + ") is not one of the issuer's"))
                .otherwise(e -> new Unavailable("the signing keys of " + issuer + " could not be fetched: "
                        + e.getMessage()));
    }

    private Result check(CacheKey key, List<JsonWebKey> keys) {
        checks.increment();
        JwtSpec spec = key.spec();
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setExpectedIssuer(spec.issuer())
                .setExpectedAudience(spec.audience())
                .setJwsAlgorithmConstraints(ASYMMETRIC)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(keys))
                .build();
        JwtClaims claims;
        try {
            claims = consumer.processToClaims(key.token());
        } catch (InvalidJwtException e) {
            return rejected(e);
        }
        try {
            Object value = claims.getClaimValue(spec.tenantClaim());
            String tenant = value instanceof String s ? s : null;
            NumericDate exp = claims.getExpirationTime();
            Verified ok = new Verified(tenant, exp.getValueInMillis());
            verified.put(key, ok);
            return ok;
        } catch (MalformedClaimException e) {
            return new Rejected(false, "the token's exp is malformed");
        }
    }

    private static Rejected rejected(InvalidJwtException e) {
        if (e.hasExpired()) {
            return new Rejected(true, "the token expired");
        }
        if (e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)) {
            return new Rejected(false, "the token is not meant for this audience");
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) || e.hasErrorCode(ErrorCodes.SIGNATURE_MISSING)) {
            return new Rejected(false, "the token's signature does not verify");
        }
        if (e.hasErrorCode(ErrorCodes.NOT_YET_VALID)) {
            return new Rejected(false, "the token is not valid yet");
        }
        if (e.hasErrorCode(ErrorCodes.EXPIRATION_MISSING)) {
            return new Rejected(false, "the token has no exp");
        }
        return new Rejected(false, "the token does not verify");
    }
}
