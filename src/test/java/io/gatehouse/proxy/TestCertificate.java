package io.gatehouse.proxy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.PemKeyCertOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed X.509 certificate for one DNS name, made at test time with plain JDK code, so no private
 * key is ever committed. Netty's generator (behind Vert.x's SelfSignedCertificate) needs BouncyCastle or
 * access to {@code sun.security.x509}, neither of which the test JVM has; the DER below is the few
 * fields RFC 5280 requires, plus the subjectAltName that host-name verification reads (RFC 6125 §6.4.4:
 * DNS names in subjectAltName, not the CN).
 */
record TestCertificate(X509Certificate certificate, String certificatePem, String privateKeyPem) {

    static TestCertificate create(String dnsName) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair keys = gen.generateKeyPair();
            byte[] name = seq(set(seq(oid(0x55, 0x04, 0x03), tlv(0x0C, dnsName.getBytes(StandardCharsets.UTF_8)))));
            byte[] sha256WithRsa = seq(oid(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B), new byte[] {0x05, 0x00});
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
            DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
            byte[] validity = seq(tlv(0x17, now.minusDays(1).format(utc).getBytes(StandardCharsets.US_ASCII)),
                    tlv(0x17, now.plusDays(2).format(utc).getBytes(StandardCharsets.US_ASCII)));
            byte[] san = seq(oid(0x55, 0x1D, 0x11),
                    tlv(0x04, seq(tlv(0x82, dnsName.getBytes(StandardCharsets.US_ASCII)))));
            byte[] tbs = seq(
                    tlv(0xA0, tlv(0x02, new byte[] {2})),                       // version v3
                    tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                    sha256WithRsa, name, validity, name,
                    keys.getPublic().getEncoded(),                               // SubjectPublicKeyInfo
                    tlv(0xA3, seq(san)));                                        // extensions
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] sig = signer.sign();
            byte[] bits = new byte[sig.length + 1]; // BIT STRING: a leading count of unused bits, 0
            System.arraycopy(sig, 0, bits, 1, sig.length);
            byte[] der = seq(tbs, sha256WithRsa, tlv(0x03, bits));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            cert.verify(keys.getPublic());
            return new TestCertificate(cert, pem("CERTIFICATE", der), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For a Vert.x server: the key and certificate from memory. */
    PemKeyCertOptions keyCertOptions() {
        return new PemKeyCertOptions().addKeyValue(Buffer.buffer(privateKeyPem)).addCertValue(Buffer.buffer(certificatePem));
    }

    /** The certificate as a PEM file (the form of gatehouse.proxy.tls.ca-file); the caller deletes it. */
    Path writeCertificate() {
        try {
            Path file = Files.createTempFile("gatehouse-test-ca", ".pem");
            Files.writeString(file, certificatePem);
            return file;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] oid(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return tlv(0x06, b);
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, parts);
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, parts);
    }

    /** A DER tag-length-value: definite length, short form below 128, else long form. */
    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            body.writeBytes(p);
        }
        int n = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (n < 128) {
            out.write(n);
        } else {
            byte[] len = BigInteger.valueOf(n).toByteArray();
            int skip = len[0] == 0 ? 1 : 0;
            out.write(0x80 | (len.length - skip));
            out.write(len, skip, len.length - skip);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }
}
