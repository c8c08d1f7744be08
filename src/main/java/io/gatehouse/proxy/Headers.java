package io.gatehouse.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/** Header rewriting between client and backend, both ways. */
final class Headers {

    static final String X_REQUEST_ID = "X-Request-Id";
    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String X_FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String X_FORWARDED_HOST = "X-Forwarded-Host";
    static final String X_FORWARDED_PREFIX = "X-Forwarded-Prefix";

    /**
     * Hop-by-hop fields (RFC 9110 §7.6.1): they describe one connection and must not be forwarded;
     * neither must any field the Connection header names. {@code Proxy-*} is matched by prefix
     * (Proxy-Authorization, Proxy-Authenticate, the non-standard Proxy-Connection). Keep-Alive is
     * RFC 2068's; TE, Trailer, Transfer-Encoding and Upgrade are listed by §7.6.1 and §7.8.
     */
    private static final Set<String> HOP_BY_HOP = caseInsensitive("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade");

    /**
     * Not passed to the backend: the hop-by-hop fields, and what the proxy sets itself: Host
     * (pass_host decides), Expect (the proxy answered it), X-Forwarded-* and X-Request-Id, and the
     * {@link UpstreamTrace} header, whose secret must never leave the process.
     */
    private static final Set<String> NOT_TO_BACKEND = caseInsensitive("connection", "keep-alive", "te", "trailer",
            "transfer-encoding", "upgrade", "host", "expect", "x-forwarded-proto", "x-forwarded-host",
            "x-forwarded-prefix", "x-forwarded-for", "x-request-id", UpstreamTrace.REQUEST_HEADER);

    /** Case-insensitive lookups without lower-casing (and allocating) every header name per request. */
    private static Set<String> caseInsensitive(String... names) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.addAll(List.of(names));
        return Collections.unmodifiableSet(set);
    }

    private static final int MAX_REQUEST_ID = 200;

    private Headers() {
    }

    private static boolean proxyStar(String name) {
        return name.regionMatches(true, 0, "proxy-", 0, 6);
    }

    /**
     * Field names the Connection header lists ({@code Connection: close, X-Foo}) besides the hop-by-hop ones,
     * which are dropped anyway: usually none, and then nothing is allocated ({@code keep-alive} and
     * {@code close} are what backends and clients send).
     */
    private static Set<String> connectionNamed(MultiMap headers) {
        if (headers.get(HttpHeaders.CONNECTION) == null) {
            return Set.of();
        }
        Set<String> names = null;
        for (String v : headers.getAll(HttpHeaders.CONNECTION)) {
            int start = 0;
            while (start <= v.length()) {
                int comma = v.indexOf(',', start);
                int end = comma < 0 ? v.length() : comma;
                String t = v.substring(start, end).trim();
                if (!t.isEmpty() && !HOP_BY_HOP.contains(t)) {
                    if (names == null) {
                        names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    }
                    names.add(t);
                }
                start = end + 1;
            }
        }
        return names == null ? Set.of() : names;
    }

    /**
     * The headers the backend gets: the client's end-to-end fields, plus X-Forwarded-For (appended to,
     * as the de-facto standard and RFC 7239 §5.2 for Forwarded "for" chains), X-Forwarded-Proto and
     * -Host (what the client used), X-Forwarded-Prefix (the public path prefix the backend is mounted
     * under, so it can build links) and X-Request-Id. Written into {@code out}, the backend request's own map.
     */
    static MultiMap toBackend(HttpServerRequest req, String peer, String requestId, String prefix, MultiMap out) {
        MultiMap in = req.headers();
        Set<String> named = connectionNamed(in);
        for (Map.Entry<String, String> h : in) {
            String name = h.getKey();
            if (NOT_TO_BACKEND.contains(name) || proxyStar(name) || (!named.isEmpty() && named.contains(name))) {
                continue;
            }
            out.add(h.getKey(), h.getValue());
        }
        List<String> chain = in.get(X_FORWARDED_FOR) == null ? List.of() : in.getAll(X_FORWARDED_FOR);
        String xff = chain.isEmpty() ? peer : String.join(", ", chain) + (peer == null ? "" : ", " + peer);
        if (xff != null) {
            out.set(X_FORWARDED_FOR, xff);
        }
        out.set(X_FORWARDED_PROTO, req.isSSL() ? "https" : "http");
        String host = req.authority() == null ? null : req.authority().toString();
        if (host != null) {
            out.set(X_FORWARDED_HOST, host);
        }
        out.set(X_FORWARDED_PREFIX, prefix);
        out.set(X_REQUEST_ID, requestId);
        return out;
    }

    /**
     * Whether {@code req} asks to become a WebSocket (RFC 6455 §4.1): an HTTP/1.1 GET with
     * {@code Connection: upgrade} and {@code Upgrade: websocket}, tokens case-insensitive and possibly
     * in lists ({@code Connection: keep-alive, Upgrade}, as Firefox sends). HTTP/1.0 is never upgraded
     * (RFC 9110 §7.8: a server must ignore Upgrade in an HTTP/1.0 request), nor is HTTP/2, which has no
     * Upgrade (RFC 9113 §8.6; RFC 8441's extended CONNECT is not supported). Any other request has its
     * Upgrade stripped as a hop-by-hop field.
     */
    static boolean isWebSocketUpgrade(HttpServerRequest req) {
        return req.version() == HttpVersion.HTTP_1_1 && req.method() == HttpMethod.GET
                && hasToken(req.headers().getAll(HttpHeaders.CONNECTION), "upgrade")
                && hasToken(req.headers().getAll(HttpHeaders.UPGRADE), "websocket");
    }

    /** Whether the request carries a body the proxy must stream (RFC 9112 §6.3 for HTTP/1.1). */
    static boolean hasBody(HttpServerRequest req) {
        String length = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            return !length.equals("0");
        }
        if (req.version() != HttpVersion.HTTP_2) {
            return req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
        }
        // HTTP/2 frames bodies without a length; a GET, HEAD, OPTIONS or DELETE without one has none.
        String m = req.method().name();
        return !(m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS") || m.equals("DELETE"));
    }

    private static boolean hasToken(List<String> values, String token) {
        for (String v : values) {
            for (String t : v.split(",")) {
                if (t.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The hop-by-hop pair an upgrade needs on the next hop too: {@code Upgrade} as the client sent it and
     * {@code Connection: Upgrade}. {@link #toBackend} dropped both; the {@code Sec-WebSocket-*} fields are
     * end-to-end and already there.
     */
    static void keepUpgrade(MultiMap from, MultiMap to) {
        to.set(HttpHeaders.UPGRADE.toString(), from.getAll(HttpHeaders.UPGRADE));
        to.set(HttpHeaders.CONNECTION, "Upgrade");
    }

    /** Copies a backend response's end-to-end fields to the client's response. */
    static void toClient(MultiMap from, MultiMap to) {
        Set<String> named = connectionNamed(from);
        for (Map.Entry<String, String> h : from) {
            String name = h.getKey();
            if (HOP_BY_HOP.contains(name) || proxyStar(name) || (!named.isEmpty() && named.contains(name))) {
                continue;
            }
            to.add(h.getKey(), h.getValue());
        }
    }

    /** The client's X-Request-Id when it is a sane token, else a new random 128-bit hex id. */
    static String requestId(HttpServerRequest req) {
        String sent = req.getHeader(X_REQUEST_ID);
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
