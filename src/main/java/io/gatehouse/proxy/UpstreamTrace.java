package io.gatehouse.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Which host answered, for "Try it" only: a response carries {@value #RESPONSE_HEADER} (the host's URL)
 * when its request carried {@value #REQUEST_HEADER} with this process's random secret, and never
 * otherwise, so clients cannot map a gateway's backends. The request header is never forwarded, right
 * or wrong (see {@link Headers}). The secret lives in memory only and is new on every start; "Try it"
 * sends its requests through this same process, so nothing else needs to know it.
 */
public final class UpstreamTrace {
    public static final String REQUEST_HEADER = "X-Gatehouse-Trace";
    public static final String RESPONSE_HEADER = "X-Gatehouse-Upstream";

    private static final String SECRET = newSecret();
    private static final byte[] SECRET_BYTES = SECRET.getBytes(StandardCharsets.US_ASCII);

    private UpstreamTrace() {
    }

    private static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The value that makes the proxy reveal the upstream; for this process's own "Try it" only. */
    public static String secret() {
        return SECRET;
    }

    /** Whether {@code req} carries the right secret (compared in constant time). */
    static boolean requested(HttpServerRequest req) {
        String v = req.getHeader(REQUEST_HEADER);
        return v != null && MessageDigest.isEqual(v.getBytes(StandardCharsets.US_ASCII), SECRET_BYTES);
    }

    /** Sets {@value #RESPONSE_HEADER} on a response when its request was {@link #requested}, else removes it. */
    static void answer(MultiMap response, boolean requested, String hostUrl) {
        if (requested) {
            response.set(RESPONSE_HEADER, hostUrl);
        } else {
            response.remove(RESPONSE_HEADER); // only the proxy may say which host answered
        }
    }
}
