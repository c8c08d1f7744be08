package io.gatehouse.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.TrustOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.Backend.await;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTPS backends through the real proxy port: a loopback TLS server whose self-signed certificate for
 * {@code localhost} is generated per run ({@link TestCertificate}; no key is committed). Trusted through
 * {@code gatehouse.proxy.tls.ca-file} ({@link BackendTrust}) the request arrives, with SNI, and health
 * probes pass too; untrusted, or reached by a name the certificate does not carry, the client gets the
 * proxy's 502 problem naming the TLS handshake.
 */
class ProxyTlsTest {

    private final Vertx vertx = Vertx.vertx();
    private final TestCertificate cert = TestCertificate.create("localhost");
    private final Path caFile = cert.writeCertificate();
    private final AtomicReference<String> sni = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();
    private final HttpServer server = await(vertx.createHttpServer(new HttpServerOptions()
                    .setSsl(true).setSni(true).setKeyCertOptions(cert.keyCertOptions()))
            .requestHandler(req -> {
                if (req.path().equals("/health")) {
                    probes.incrementAndGet();
                    req.response().end("ok");
                    return;
                }
                requests.incrementAndGet();
                sni.set(req.connection().indicatedServerName());
                req.response().putHeader("Content-Type", "text/plain").end("tls-ok " + req.uri());
            })
            .listen(0, "127.0.0.1"));
    private final List<ProxyFixture> fixtures = new ArrayList<>();

    @AfterEach
    void close() {
        fixtures.forEach(ProxyFixture::close);
        await(server.close());
        await(vertx.close());
        try {
            Files.deleteIfExists(caFile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private ProxyFixture proxy(TrustOptions trust) {
        ProxyFixture fx = new ProxyFixture(Duration.ofSeconds(10), ProxyObserver.NONE, trust);
        fixtures.add(fx);
        return fx;
    }

    private ProxyFixture trustingTheCertificate() {
        return proxy(BackendTrust.withCaFile(caFile));
    }

    private void publish(ProxyFixture fx, String hostUrl) {
        fx.publish("shop", "prod", Cfg.of("round_robin").host(hostUrl, 1).retries(0).build(),
                resources("all", resource("ANY", "/", "prefix", "/api")));
    }

    @Test
    void aTrustedCertificateIsVerifiedAndTheHostNameGoesAsSni() {
        ProxyFixture fx = trustingTheCertificate();
        publish(fx, "https://localhost:" + server.actualPort());

        ProxyFixture.Response r = fx.get("/shop/prod/items/1?x=y");
        assertEquals(200, r.status(), r.body());
        assertEquals("tls-ok /api/items/1?x=y", r.body());
        assertEquals("localhost", sni.get(), "the host name of the URL goes as SNI");
    }

    @Test
    void anUntrustedCertificateIsA502NamingTheTlsHandshake() {
        ProxyFixture fx = proxy(null); // the JDK's CAs only
        publish(fx, "https://localhost:" + server.actualPort());

        ProxyFixture.Response r = fx.get("/shop/prod/items/1");
        assertTlsProblem(r);
        assertEquals(0, requests.get(), "nothing reached the backend");
    }

    @Test
    void aTrustedCertificateForAnotherNameIsRefused() {
        ProxyFixture fx = trustingTheCertificate();
        // Same server, same trusted certificate, but reached as 127.0.0.1: the certificate names
        // localhost only, so host-name verification must refuse it.
        publish(fx, "https://127.0.0.1:" + server.actualPort());

        assertTlsProblem(fx.get("/shop/prod/items/1"));
        assertEquals(0, requests.get());
        assertNull(sni.get());
    }

    @Test
    void healthProbesTrustWhatForwardingTrusts() throws Exception {
        ProxyFixture fx = trustingTheCertificate();
        String url = "https://localhost:" + server.actualPort();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(url, 1).healthCheck(100, 1, 1).build(),
                resources("all", resource("ANY", "/", "prefix", null)));
        // One failed probe would take the host out (unhealthy_threshold 1): several good ones keep it in.
        eventually("probes over TLS", () -> probes.get() >= 4);
        assertTrue(fx.up("shop", "prod", "https://localhost:" + server.actualPort()));
        assertEquals(200, fx.get("/shop/prod/x").status());
    }

    private static void assertTlsProblem(ProxyFixture.Response r) {
        assertEquals(502, r.status(), r.body());
        assertEquals("application/problem+json", r.header("Content-Type"));
        JsonObject problem = new JsonObject(r.body());
        assertEquals("backend_tls_failed", problem.getString("code"), r.body());
        assertEquals(502, problem.getInteger("status"));
        assertTrue(problem.getString("detail").contains("TLS handshake"), problem.getString("detail"));
        assertTrue(problem.getString("detail").contains("certificate"), problem.getString("detail"));
    }

    @Test
    void theCaFileAddsToTheJdksCasAndABadFileIsRefusedByName() throws Exception {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int jdkCas = ((X509TrustManager) jdk.getTrustManagers()[0]).getAcceptedIssuers().length;
        assertTrue(jdkCas > 0);
        TrustManagerFactory both = BackendTrust.withCaFile(caFile).getTrustManagerFactory(vertx);
        assertEquals(jdkCas + 1, ((X509TrustManager) both.getTrustManagers()[0]).getAcceptedIssuers().length);

        Path notPem = Files.createTempFile("gatehouse-ca", ".pem");
        try {
            Files.writeString(notPem, "not a certificate\n");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BackendTrust.withCaFile(notPem));
            assertTrue(e.getMessage().contains(notPem.toString()), e.getMessage());
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> BackendTrust.withCaFile(notPem.resolveSibling("no-such-ca.pem")));
            assertTrue(missing.getMessage().contains("no-such-ca.pem"), missing.getMessage());
        } finally {
            Files.deleteIfExists(notPem);
        }
    }
}
