package io.gatehouse.proxy;

import io.gatehouse.balance.Endpoint;
import io.netty.channel.Channel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.vertx.core.net.TrustOptions;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Whom the proxy trusts on {@code https://} backend hosts (forwarding and health probes): the JDK's CA
 * certificates plus the CAs of {@code gatehouse.proxy.tls.ca-file}, a PEM bundle. Additive, as Kong's
 * {@code lua_ssl_trusted_certificate = system,/path/ca.pem} and APISIX's {@code ssl_trusted_certificate}
 * with {@code system}: a private CA for internal services must not cost the public ones. Verification of
 * the chain and of the host name stays on; there is deliberately no switch to turn it off.
 */
public final class BackendTrust {

    /** Vert.x's default TLS handshake bound ({@code TCPSSLOptions.DEFAULT_SSL_HANDSHAKE_TIMEOUT}). */
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private BackendTrust() {
    }

    /**
     * The TLS handler of a connection to {@code target} with {@code trust}: the host name checked against the
     * certificate (endpoint identification HTTPS, RFC 9110 §4.3.4) and sent as SNI when it is a name, not an address
     * literal (RFC 6066 §3).
     */
    static SslHandler handler(SslContext trust, Channel ch, Endpoint target) {
        SslHandler handler = trust.newHandler(ch.alloc(), target.serverName(), target.port());
        handler.setHandshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS);
        SSLEngine engine = handler.engine();
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!literalAddress(target.serverName())) {
            params.setServerNames(List.of(new SNIHostName(target.serverName())));
        }
        engine.setSSLParameters(params);
        return handler;
    }

    private static boolean literalAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * The JDK's CAs plus every certificate in {@code pemFile}.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no certificate
     */
    public static TrustOptions withCaFile(Path pemFile) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    for (X509Certificate ca : x509.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, ca);
                    }
                }
            }
            Collection<? extends Certificate> own;
            try (InputStream in = Files.newInputStream(pemFile)) {
                own = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (own.isEmpty()) {
                throw new IllegalArgumentException("gatehouse.proxy.tls.ca-file " + pemFile + " holds no certificate");
            }
            for (Certificate ca : own) {
                store.setCertificateEntry("ca-file-" + n++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return TrustOptions.wrap(tmf);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("gatehouse.proxy.tls.ca-file " + pemFile
                    + " is not a readable PEM file of certificates: " + e.getMessage(), e);
        }
    }
}
