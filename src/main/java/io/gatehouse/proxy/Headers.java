package io.gatehouse.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    private static final String[] HOP_BY_HOP = {"connection", "keep-alive", "te", "trailer", "transfer-encoding",
        "upgrade"};

    /**
     * Not passed to the backend: the hop-by-hop fields, and what the proxy sets itself: Host
     * (pass_host decides), Expect (the proxy answered it), X-Forwarded-* and X-Request-Id, and the
     * {@link UpstreamTrace} header, whose secret must never leave the process.
     */
    private static final String[] NOT_TO_BACKEND = {"connection", "keep-alive", "te", "trailer", "transfer-encoding",
        "upgrade", "host", "expect", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-prefix", "x-forwarded-for",
        "x-request-id", UpstreamTrace.REQUEST_HEADER};

    /**
     * Whether {@code name} is one of {@code names}, ignoring case: on the {@link CharSequence} as decoded (Netty's
     * {@code AsciiString} names), so no header name becomes a {@code String} per request just to be looked up.
     */
    private static boolean oneOf(String[] names, CharSequence name) {
        for (String n : names) {
            if (AsciiString.contentEqualsIgnoreCase(n, name)) {
                return true;
            }
        }
        return false;
    }

    private Headers() {
    }

    private static boolean proxyStar(CharSequence name) {
        return name.length() >= 6 && AsciiString.regionMatches(name, true, 0, "proxy-", 0, 6);
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
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields(headers); it.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> h = it.next();
            if (!AsciiString.contentEqualsIgnoreCase(HttpHeaders.CONNECTION, h.getKey())) {
                continue;
            }
            CharSequence v = h.getValue();
            int start = 0;
            while (start <= v.length()) {
                int end = start;
                while (end < v.length() && v.charAt(end) != ',') {
                    end++;
                }
                int from = start;
                int to = end;
                while (from < to && v.charAt(from) <= ' ') { // String.trim's rule, without the String
                    from++;
                }
                while (to > from && v.charAt(to - 1) <= ' ') {
                    to--;
                }
                if (from < to && !hopByHop(v, from, to)) {
                    if (names == null) {
                        names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
                    }
                    names.add(v.subSequence(from, to).toString());
                }
                start = end + 1;
            }
        }
        return names == null ? Set.of() : names;
    }

    /** Whether {@code v[from, to)} is a hop-by-hop field name, ignoring case. */
    private static boolean hopByHop(CharSequence v, int from, int to) {
        for (String n : HOP_BY_HOP) {
            if (n.length() == to - from && AsciiString.regionMatches(v, true, from, n, 0, n.length())) {
                return true;
            }
        }
        return false;
    }

    /** The fields of {@code headers} as decoded, names and values not turned into {@code String}s (HTTP/1.x). */
    @SuppressWarnings("unchecked")
    private static Iterator<Map.Entry<CharSequence, CharSequence>> fields(MultiMap headers) {
        if (headers instanceof io.netty.handler.codec.http.HttpHeaders decoded) {
            return decoded.iteratorCharSequence();
        }
        // HTTP/2's adaptor: its entries are Strings already.
        return (Iterator<Map.Entry<CharSequence, CharSequence>>) (Iterator<?>) headers.iterator();
    }

    /** Copies the field unless it is one of {@code dropped}, a Proxy-* field, or named by Connection. */
    private static void copy(Map.Entry<CharSequence, CharSequence> h, String[] dropped, Set<String> named,
                             MultiMap out) {
        CharSequence name = h.getKey();
        if (oneOf(dropped, name) || proxyStar(name) || (!named.isEmpty() && named.contains(name.toString()))) {
            return;
        }
        out.add(name, h.getValue());
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
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields(in); it.hasNext(); ) {
            copy(it.next(), NOT_TO_BACKEND, named, out);
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
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = fields(from); it.hasNext(); ) {
            copy(it.next(), HOP_BY_HOP, named, to);
        }
    }
}
