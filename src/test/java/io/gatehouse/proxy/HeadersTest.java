package io.gatehouse.proxy;

import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What of a backend's answer reaches the client, read from the head as Netty decodes it (AsciiString names). */
class HeadersTest {

    @Test
    void hopByHopProxyStarAndConnectionNamedFieldsStayBehindInAnyCaseTheRestGoesInOrder() {
        HeadersMultiMap from = HeadersMultiMap.httpHeaders();
        from.add(AsciiString.of("Content-Type"), "text/plain");
        from.add(AsciiString.of("CONNECTION"), "keep-alive, X-Hop");
        from.add(AsciiString.of("connection"), " Upgrade ,\tx-other ,,");
        from.add(AsciiString.of("Keep-Alive"), "timeout=5");
        from.add(AsciiString.of("TE"), "trailers");
        from.add(AsciiString.of("Trailer"), "Expires");
        from.add(AsciiString.of("Transfer-Encoding"), "chunked");
        from.add(AsciiString.of("Upgrade"), "websocket");
        from.add(AsciiString.of("proxy-authenticate"), "Basic");
        from.add(AsciiString.of("Proxy-Connection"), "keep-alive");
        from.add(AsciiString.of("x-HOP"), "1");
        from.add(AsciiString.of("X-Other"), "2");
        from.add(AsciiString.of("Set-Cookie"), "a=1");
        from.add(AsciiString.of("Set-Cookie"), "b=2");
        from.add(AsciiString.of("Proxy"), "not a Proxy-* field");
        from.add(AsciiString.of("X-Keep-Alive"), "end to end");
        MultiMap to = HeadersMultiMap.httpHeaders();

        Headers.toClient(from, to);

        assertEquals(List.of("Content-Type: text/plain", "Set-Cookie: a=1", "Set-Cookie: b=2",
                "Proxy: not a Proxy-* field", "X-Keep-Alive: end to end"), lines(to));
    }

    @Test
    void withoutAConnectionFieldOnlyTheFixedHopByHopOnesStayBehind() {
        HeadersMultiMap from = HeadersMultiMap.httpHeaders();
        from.add(AsciiString.of("Date"), "Mon, 07 Dec 2026 14:00:00 GMT");
        from.add(AsciiString.of("keep-alive"), "timeout=5");
        from.add(AsciiString.of("Content-Length"), "2");
        MultiMap to = HeadersMultiMap.httpHeaders();

        Headers.toClient(from, to);

        assertEquals(List.of("Date: Mon, 07 Dec 2026 14:00:00 GMT", "Content-Length: 2"), lines(to));
    }

    private static List<String> lines(MultiMap headers) {
        return headers.entries().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }
}
