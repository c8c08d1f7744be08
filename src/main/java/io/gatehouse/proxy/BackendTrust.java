package io.gatehouse.proxy;

import io.vertx.core.net.TrustOptions;

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

/**
 * Whom the proxy trusts on {@code https://} backend hosts (forwarding and health probes): the JDK's CA
 * certificates plus the CAs of {@code gatehouse.proxy.tls.ca-file}, a PEM bundle. Additive, as Kong's
 * {@code lua_ssl_trusted_certificate = system,/path/ca.pem} and APISIX's {@code ssl_trusted_certificate}
 * with {@code system}: a private CA for internal services must not cost the public ones. Verification of
 * the chain and of the host name stays on; there is deliberately no switch to turn it off.
 */
public final class BackendTrust {

    private BackendTrust() {
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
