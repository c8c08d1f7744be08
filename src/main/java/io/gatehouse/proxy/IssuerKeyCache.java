package io.gatehouse.proxy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The signing keys of the JWT issuers {@link JwtVerifier} checks tokens against, one {@link IssuerKeys} per
 * issuer. The JWKS is found through the issuer's {@code /.well-known/openid-configuration} (OpenID Connect
 * Discovery §4), fetched with Vert.x's client, never blocking an event loop, and cached per issuer; a token whose
 * {@code kid} is not in the cached set triggers one refresh (key rotation), at most every {@link #MIN_REFRESH}
 * per issuer, so forged kids cannot make the proxy hammer the issuer.
 *
 * <p>When the issuer cannot be reached (designed, tested in JwtIssuerFailureTest): keys are fetched when a
 * release that names the issuer is applied ({@link #prefetch}), not on the first request. While no keys were
 * ever fetched, a request with a token gets 503 at once for {@link #FAILURE_BACKOFF} after each failed fetch,
 * and at most one fetch per issuer is in flight, bounded by {@link #FETCH_TIMEOUT_MS}; requests never wait on the
 * database or block an event loop. Once keys were fetched, an outage changes nothing for tokens signed with a
 * known key: the cached set is kept until a fetch succeeds (as Envoy's jwt_authn keeps its remote JWKS),
 * refreshed in the background every {@link #MAX_AGE} so keys the issuer dropped stop verifying; only a token
 * with a kid the cached set lacks gets 503 then, since a key rotated in during the outage cannot be told from a
 * forged kid. Thread-safe.
 */
final class IssuerKeyCache {

    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    /** After a failed fetch (issuer down), requests get 503 at once for this long rather than each waiting. */
    static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    /** Cached keys older than this are refetched in the background on the next request (they still serve). */
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    /** Connect and idle timeout of a discovery or JWKS fetch: the longest a request waits for keys. */
    static final int FETCH_TIMEOUT_MS = 3000;
    private static final Logger LOG = Logger.getLogger(IssuerKeyCache.class);

    private final Vertx vertx;
    private volatile HttpClient client;
    private final ConcurrentHashMap<String, IssuerKeys> issuers = new ConcurrentHashMap<>();
    private final LongAdder fetches = new LongAdder();

    IssuerKeyCache(Vertx vertx) {
        this.vertx = vertx;
    }

    /** The keys of {@code issuer}, none fetched yet when it is new. */
    IssuerKeys of(String issuer) {
        return issuers.computeIfAbsent(issuer, IssuerKeys::new);
    }

    /** Starts fetching the keys of each issuer that has none yet. Returns at once. */
    void prefetch(Collection<String> issuerUrls) {
        for (String issuer : issuerUrls) {
            IssuerKeys keys = of(issuer);
            if (keys.keys == null) {
                keys.refresh();
            }
        }
    }

    /** Discovery plus JWKS fetches started, over all issuers. */
    long fetches() {
        return fetches.sum();
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
    final class IssuerKeys {
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

        /** The cached keys, null while none were ever fetched. */
        List<JsonWebKey> keys() {
            return keys;
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
