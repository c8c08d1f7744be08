package io.gatehouse.proxy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gatehouse.stage.JwtSpec;
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
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
 *
 * <p>When the issuer cannot be reached (designed, tested in JwtIssuerFailureTest): keys are fetched when a
 * release that names the issuer is applied ({@link #prefetch}), not on the first request. While no keys were
 * ever fetched, a request with a token gets {@link Unavailable} (503, not 401: the client is not at fault) at
 * once for {@link #FAILURE_BACKOFF} after each failed fetch, and at most one fetch per issuer is in flight,
 * bounded by {@link #FETCH_TIMEOUT_MS}; requests never wait on the database or block an event loop. Once keys
 * were fetched, an outage changes nothing for tokens signed with a known key: the cached set is kept until a
 * fetch succeeds (as Envoy's jwt_authn keeps its remote JWKS), refreshed in the background every
 * {@link #MAX_AGE} so keys the issuer dropped stop verifying; only a token with a kid the cached set lacks
 * gets 503 then, since a key rotated in during the outage cannot be told from a forged kid.
 */
public final class JwtVerifier {

    /** Clock skew allowed on exp and nbf: small, as clocks are NTP-synced (Envoy allows 60 s, jose4j 0 by default). */
    static final int CLOCK_SKEW_SECONDS = 10;
    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    /** After a failed fetch (issuer down), requests get 503 at once for this long rather than each waiting. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    /** Cached keys older than this are refetched in the background on the next request (they still serve). */
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** Connect and idle timeout of a discovery or JWKS fetch: the longest a request waits for keys. */
    static final int FETCH_TIMEOUT_MS = 3000;
    private static final Logger LOG = Logger.getLogger(JwtVerifier.class);
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

    private final LongAdder checks = new LongAdder();
    private final LongAdder fetches = new LongAdder();

    public JwtVerifier(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Starts fetching the keys of each issuer that has none yet (a release naming it was just applied), so the
     * first request does not wait for them and an unreachable issuer is logged at once. Returns at once.
     */
    public void prefetch(Collection<String> issuerUrls) {
        for (String issuer : issuerUrls) {
            IssuerKeys keys = issuers.computeIfAbsent(issuer, IssuerKeys::new);
            if (keys.keys == null) {
                keys.refresh();
            }
        }
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
        return fetches.sum();
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

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(FETCH_TIMEOUT_MS)
                            .setVerifyHost(true).setTrustAll(false).setKeepAlive(false));
                }
                c = client;
            }
        }
        return c;
    }

    private Future<String> get(String url) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setIdleTimeout(FETCH_TIMEOUT_MS).putHeader("Accept", "application/json");
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
        private long kidRefreshNanos;
        private String lastFailure;
        private Future<List<JsonWebKey>> inflight;

        IssuerKeys(String issuer) {
            this.issuer = issuer;
        }

        boolean has(String kid) {
            return has(keys, kid);
        }

        boolean stale() {
            return System.nanoTime() - fetchedAtNanos > MAX_AGE.toNanos();
        }

        static boolean has(List<JsonWebKey> k, String kid) {
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

        /**
         * A refresh because a token names a kid the cached keys lack: at most one per {@link #MIN_REFRESH}, so
         * made-up kids cannot make the proxy hammer the issuer; within it, the cached keys are the answer.
         */
        synchronized Future<List<JsonWebKey>> refreshForKid() {
            long now = System.nanoTime();
            if (inflight == null && keys != null && kidRefreshNanos != 0 && now - kidRefreshNanos < MIN_REFRESH.toNanos()) {
                return Future.succeededFuture(keys); // refreshed for a kid just now: this one is simply unknown
            }
            kidRefreshNanos = now;
            return refresh();
        }

        synchronized Future<List<JsonWebKey>> refresh() {
            if (inflight != null) {
                return inflight;
            }
            long now = System.nanoTime();
            if (failedAtNanos != 0 && now - failedAtNanos < FAILURE_BACKOFF.toNanos()) {
                return Future.failedFuture(lastFailure + " (less than " + FAILURE_BACKOFF.toMillis() + " ms ago)");
            }
            fetches.increment();
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
                        if (lastFailure != null) {
                            LOG.infof("the signing keys of %s are fetched again (%d keys)", issuer, ar.result().size());
                        }
                        keys = ar.result();
                        fetchedAtNanos = System.nanoTime();
                        failedAtNanos = 0;
                        lastFailure = null;
                    } else {
                        if (lastFailure == null) {
                            // Once per outage, not per request: tokens with a cached key keep verifying meanwhile.
                            LOG.warnf("the signing keys of %s could not be fetched: %s; %s", issuer,
                                    ar.cause().getMessage(), keys == null
                                            ? "requests with its tokens get 503 until they can be"
                                            : "its cached keys stay in use");
                        }
                        failedAtNanos = System.nanoTime();
                        lastFailure = String.valueOf(ar.cause().getMessage());
                    }
                }
            });
            return f;
        }
    }
}
