package io.gatehouse.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.stage.BackendConfig.JwtSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
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
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies bearer JWTs for {@code tenant_from: jwt} with jose4j (no crypto of our own): the signature against a
 * key of the issuer's JWKS, then {@code exp} (required), {@code nbf}, {@code iss} and {@code aud}, with
 * {@link #CLOCK_SKEW_SECONDS} of skew. Asymmetric algorithms only: an HS256 token signed with a public key, or
 * {@code alg: none}, never verifies.
 *
 * <p>The JWKS is found through the issuer's {@code /.well-known/openid-configuration} (OpenID Connect Discovery
 * §4), fetched with Vert.x's client, never blocking an event loop, and cached per issuer; a token whose
 * {@code kid} is not in the cached set triggers one refresh (key rotation), at most every
 * {@link #MIN_REFRESH} per issuer, so forged kids cannot make the proxy hammer the issuer. The issuer of a token
 * is read before any fetch and must be the configured one: an unknown issuer is refused without a request.
 *
 * <p>Each verified token is cached until its {@code exp}, so a client that reuses its token pays the signature
 * check once (docs/benchmarks.md has the figures). Thread-safe; shared by every event loop of an instance.
 */
public final class JwtVerifier {

    /** Clock skew allowed on exp and nbf: small, as clocks are NTP-synced (Envoy allows 60 s, jose4j 0 by default). */
    static final int CLOCK_SKEW_SECONDS = 10;
    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    /** After a failed fetch (issuer down), requests get 503 at once for this long rather than each waiting. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    private static final int FETCH_TIMEOUT_MS = 5000;
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

    private final Vertx vertx;
    private volatile HttpClient client;
    private final ConcurrentHashMap<String, IssuerKeys> issuers = new ConcurrentHashMap<>();
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

    public JwtVerifier(Vertx vertx) {
        this.vertx = vertx;
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
        IssuerKeys keys = issuers.computeIfAbsent(issuer, IssuerKeys::new);
        List<JsonWebKey> known = keys.keys;
        if (known != null && keys.has(kid)) {
            return Future.succeededFuture(check(key, known));
        }
        return keys.refresh().map(fresh -> check(key, fresh))
                .otherwise(e -> new Unavailable("the signing keys of " + issuer + " could not be fetched: "
                        + e.getMessage()));
    }

    private Result check(CacheKey key, List<JsonWebKey> keys) {
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

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(FETCH_TIMEOUT_MS)
                            .setVerifyHost(true).setTrustAll(false));
                }
                c = client;
            }
        }
        return c;
    }

    private Future<String> get(String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setIdleTimeout(FETCH_TIMEOUT_MS);
        return client().request(options).compose(req -> req.send()).compose(resp -> {
            if (resp.statusCode() != 200) {
                return Future.failedFuture(url + " answered " + resp.statusCode());
            }
            return resp.body().map(Buffer::toString);
        });
    }

    /** One issuer's keys, and at most one fetch of them in flight. */
    private final class IssuerKeys {
        private final String issuer;
        private volatile List<JsonWebKey> keys;
        private long fetchedAtNanos;
        private long failedAtNanos;
        private Future<List<JsonWebKey>> inflight;

        IssuerKeys(String issuer) {
            this.issuer = issuer;
        }

        boolean has(String kid) {
            List<JsonWebKey> k = keys;
            if (k == null) {
                return false;
            }
            if (kid == null) {
                return !k.isEmpty();
            }
            for (JsonWebKey key : k) {
                if (kid.equals(key.getKeyId())) {
                    return true;
                }
            }
            return false;
        }

        synchronized Future<List<JsonWebKey>> refresh() {
            if (inflight != null) {
                return inflight;
            }
            long now = System.nanoTime();
            if (keys != null && now - fetchedAtNanos < MIN_REFRESH.toNanos()) {
                return Future.succeededFuture(keys); // refreshed just now: the kid is simply unknown
            }
            if (failedAtNanos != 0 && now - failedAtNanos < FAILURE_BACKOFF.toNanos()) {
                return Future.failedFuture("the last fetch failed less than a second ago");
            }
            String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
            Future<List<JsonWebKey>> f = get(base + "/.well-known/openid-configuration").compose(body -> {
                JsonObject discovery = new JsonObject(body);
                // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
                if (!issuer.equals(discovery.getString("issuer"))) {
                    return Future.failedFuture("its discovery document names issuer " + discovery.getString("issuer"));
                }
                String jwksUri = discovery.getString("jwks_uri");
                if (jwksUri == null) {
                    return Future.failedFuture("its discovery document has no jwks_uri");
                }
                return get(jwksUri);
            }).compose(jwks -> {
                try {
                    return Future.succeededFuture(List.copyOf(new JsonWebKeySet(jwks).getJsonWebKeys()));
                } catch (JoseException e) {
                    return Future.failedFuture("its JWKS does not parse");
                }
            });
            inflight = f;
            f.onComplete(ar -> {
                synchronized (IssuerKeys.this) {
                    inflight = null;
                    if (ar.succeeded()) {
                        keys = ar.result();
                        fetchedAtNanos = System.nanoTime();
                        failedAtNanos = 0;
                    } else {
                        failedAtNanos = System.nanoTime();
                    }
                }
            });
            return f;
        }
    }
}
