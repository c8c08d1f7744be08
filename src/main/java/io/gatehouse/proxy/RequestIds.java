package io.gatehouse.proxy;

import io.vertx.core.http.HttpServerRequest;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/** A request's id: the one the client sent when it is sane, else a new one (sent on as X-Request-Id both ways). */
final class RequestIds {

    private static final int MAX_REQUEST_ID = 200;

    private RequestIds() {
    }

    /** The client's X-Request-Id when it is a sane token, else a new random 128-bit hex id. */
    static String of(HttpServerRequest req) {
        String sent = req.getHeader(Headers.X_REQUEST_ID);
        if (sent != null && !sent.isEmpty() && sent.length() <= MAX_REQUEST_ID && printable(sent)) {
            return sent;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return hex32(r.nextLong(), r.nextLong());
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * 32 lower-case hex digits of two longs, into one String (no Long.toHexString and padding copies; bytes, not
     * chars, since the String keeps Latin-1 bytes anyway: a 48-byte scratch array instead of an 80-byte one).
     */
    static String hex32(long a, long b) {
        byte[] c = new byte[32];
        for (int i = 15; i >= 0; i--) {
            c[i] = HEX[(int) (a & 0xf)];
            c[i + 16] = HEX[(int) (b & 0xf)];
            a >>>= 4;
            b >>>= 4;
        }
        return new String(c, StandardCharsets.ISO_8859_1);
    }
}
