import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * A stand-in OpenID provider for the getting-started guide, with nothing but a JDK:
 * {@code java docs/examples/DemoIssuer.java 9004} serves, on 127.0.0.1:9004, the discovery document
 * ({@code /.well-known/openid-configuration}) and JWKS that Gatehouse fetches, and hands out RS256 access tokens at
 * {@code /token?tenant=acme&aud=store-api} (valid 5 minutes). Its key is made at start-up and never stored.
 * A demo only: anyone who can reach it gets a token. In production the issuer is your identity provider
 * (Keycloak, Auth0, Entra ID, ...), with the tenant put in the access token by a claim mapper.
 */
public class DemoIssuer {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String issuer = "http://127.0.0.1:" + port;
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"demo-1\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + b64(pub.getModulus()) + "\",\"e\":\"" + b64(pub.getPublicExponent()) + "\"}]}";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/.well-known/openid-configuration", ex -> send(ex, "application/json",
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}"));
        server.createContext("/jwks", ex -> send(ex, "application/json", jwks));
        server.createContext("/token", ex -> {
            String tenant = param(ex, "tenant");
            String aud = param(ex, "aud");
            long now = System.currentTimeMillis() / 1000;
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"demo-1\"}";
            String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"demo-client\",\"aud\":\"" + aud + "\",\"iat\":" + now
                    + ",\"exp\":" + (now + 300) + (tenant == null ? "" : ",\"tenant\":\"" + tenant + "\"") + "}";
            String signingInput = b64(header) + "." + b64(claims);
            try {
                Signature rs256 = Signature.getInstance("SHA256withRSA");
                rs256.initSign(keys.getPrivate());
                rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
                send(ex, "text/plain", signingInput + "." + B64.encodeToString(rs256.sign()));
            } catch (Exception e) {
                send(ex, "text/plain", "error: " + e);
            }
        });
        server.start();
        System.out.println("issuer " + issuer + " listening");
    }

    /** A query parameter's value (letters, digits, . _ - only, as tenant names and audiences here are). */
    private static String param(HttpExchange ex, String name) {
        String query = ex.getRequestURI().getQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            if (pair.startsWith(name + "=") && pair.substring(name.length() + 1).matches("[A-Za-z0-9._-]{1,64}")) {
                return pair.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** An unsigned big-endian integer without a leading zero byte (RFC 7518 §6.3.1). */
    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return B64.encodeToString(bytes);
    }

    private static void send(HttpExchange ex, String type, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }
}
