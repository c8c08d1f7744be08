package io.gatehouse.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID provider on loopback that the test controls (Keycloak is the real one, in KeycloakJwtTenantTest):
 * serves {@code /.well-known/openid-configuration} and its JWKS from a {@link Backend}, so it can be stopped
 * and started again on the same port to play an unreachable issuer, rotates its key on request, counts the
 * fetches, and signs tokens with jose4j.
 */
final class TestIssuer implements AutoCloseable {
    final Backend server;
    final AtomicInteger discoveryFetches = new AtomicInteger();
    final AtomicInteger jwksFetches = new AtomicInteger();
    private final List<RsaJsonWebKey> published = new CopyOnWriteArrayList<>();
    private volatile RsaJsonWebKey signing;
    private final AtomicInteger kids = new AtomicInteger();

    TestIssuer(Vertx vertx) {
        server = new Backend(vertx, "issuer");
        signing = newKey();
        published.add(signing);
        server.handler(req -> {
            if (req.path().endsWith("/.well-known/openid-configuration")) {
                discoveryFetches.incrementAndGet();
                req.response().putHeader("Content-Type", "application/json").end(new JsonObject()
                        .put("issuer", issuer()).put("jwks_uri", issuer() + "/jwks").encode());
            } else if (req.path().endsWith("/jwks")) {
                jwksFetches.incrementAndGet();
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonWebKeySet(List.copyOf(published)).toJson());
            } else {
                req.response().setStatusCode(404).end();
            }
        });
    }

    String issuer() {
        return server.url() + "/realms/test";
    }

    /** A new signing key (new kid) that the JWKS publishes beside the old ones. */
    void rotate() {
        signing = newKey();
        published.add(signing);
    }

    /** A token for {@code tenant} (no tenant claim when null) and {@code audience}, expiring in {@code seconds}. */
    String token(String tenant, String audience, long seconds) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(audience);
        claims.setSubject("client-" + kids.incrementAndGet());
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(seconds / 60f);
        if (tenant != null) {
            claims.setStringClaim("tenant", tenant);
        }
        return sign(claims, signing);
    }

    static String sign(JwtClaims claims, RsaJsonWebKey key) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    private RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey key = RsaJwkGenerator.generateJwk(2048);
            key.setKeyId("test-" + kids.incrementAndGet());
            key.setUse("sig");
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            return key;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
