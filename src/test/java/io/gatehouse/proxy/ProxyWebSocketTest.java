package io.gatehouse.proxy;

import io.gatehouse.traffic.TrafficMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.proxy.ProxyFixture.failure;
import static io.gatehouse.proxy.ProxyFixture.joined;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WebSocket (HTTP/1.1 Upgrade) passthrough through the real proxy port, against real loopback Vert.x
 * WebSocket backends: the handshake is routed, balanced and rewritten like any request; after the 101
 * the bytes flow both ways until either side closes; each session is recorded once.
 */
class ProxyWebSocketTest {

    private final ConcurrentLinkedQueue<ProxiedRequest> seen = new ConcurrentLinkedQueue<>();
    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrafficMetrics metrics = new TrafficMetrics(prometheus);
    private final ProxyFixture fx = new ProxyFixture(Duration.ofSeconds(10), r -> {
        seen.add(r);
        metrics.record(r);
    });

    @AfterEach
    void close() {
        fx.close();
    }

    /** The handshake's failure: the status, body and headers the client got instead of a 101. */
    private UpgradeRejectedException rejected(String path, String... headerPairs) {
        Throwable t = failure(fx.connectWebSocket(path, headerPairs));
        return assertInstanceOf(UpgradeRejectedException.class, t, String.valueOf(t));
    }

    @Test
    void messagesEchoBothWaysThroughTheProxy() {
        Backend a = fx.backend("a").webSockets();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).build(), anyPath());

        ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat");
        assertEquals("a:hello", ws.ask("hello"));
        assertEquals("a:again", ws.ask("again"));
        // Larger than one read and one frame (64 KiB): the pipe carries it in pieces, in order.
        String big = "0123456789abcdef".repeat(12_000);
        assertEquals("a:" + big, ws.ask(big));
        assertEquals(1, a.requests.get());
        ws.close();
    }

    @Test
    void sessionsAreBalancedLikeRequestsWeights3To1() {
        Backend a = fx.backend("a").webSockets();
        Backend b = fx.backend("b").webSockets();
        fx.publish("shop", "prod", Cfg.of("weighted_round_robin").host(a, 3).host(b, 1).build(), anyPath());

        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat");
            hosts.add(ws.ask("who").split(":")[0]);
            ws.close();
        }
        assertEquals("a a b a a a b a", joined(hosts));
    }

    @Test
    void theHandshakeIsRewrittenAndForwardedLikeARequest() {
        Backend shared = fx.backend("shared").webSockets();
        Backend acme = fx.backend("acme-1").webSockets();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).stripTenantHeader().build(),
                resources("room", resource("GET", "/chat/{room}", "exact", "/ws/rooms/{room}")));

        ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat/42?user=7", "X-Forwarded-For", "203.0.113.7",
                "X-Request-Id", "ws-1", "X-Tenant-Id", "acme", "Host", "api.example.com");
        assertEquals("acme-1:hi", ws.ask("hi"));
        Backend.Seen seen = acme.last.get();
        assertEquals("GET", seen.method());
        assertEquals("/ws/rooms/42?user=7", seen.uri());
        assertEquals("203.0.113.7, 127.0.0.1", seen.headers().get("X-Forwarded-For"));
        assertEquals("ws-1", seen.headers().get("X-Request-Id"));
        assertEquals("/shop/prod", seen.headers().get("X-Forwarded-Prefix"));
        assertEquals("api.example.com", seen.headers().get("X-Forwarded-Host"));
        assertEquals("api.example.com", seen.headers().get("Host"));
        assertEquals("websocket", seen.headers().get("Upgrade"));
        assertEquals("Upgrade", seen.headers().get("Connection"));
        assertEquals("13", seen.headers().get("Sec-WebSocket-Version"));
        assertNotNull(seen.headers().get("Sec-WebSocket-Key"));
        assertNull(seen.headers().get("X-Tenant-Id"), "strip_tenant_header applies to the handshake too");
        assertEquals("ws-1", ws.handshake.get("X-Request-Id"));
        assertEquals(0, shared.requests.get());
        ws.close();
    }

    /**
     * RFC 6455 §1.3's sample handshake, byte for byte on both sides, against a raw backend that answers
     * with hop-by-hop fields of its own: the 101 keeps Upgrade and Connection: Upgrade and drops the rest
     * of them, and after it the proxy carries raw bytes, not frames.
     */
    @Test
    void the101KeepsUpgradeDropsOtherHopByHopFieldsAndThenBytesFlowAsIs() throws Exception {
        NetServer raw = Backend.await(fx.vertx.createNetServer().connectHandler(so -> {
            StringBuilder head = new StringBuilder();
            boolean[] upgraded = {false};
            so.handler(buf -> {
                if (upgraded[0]) {
                    so.write(buf.toString(StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT));
                    return;
                }
                head.append(buf.toString(StandardCharsets.US_ASCII));
                if (head.indexOf("\r\n\r\n") >= 0) {
                    upgraded[0] = true;
                    so.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade, X-Private\r\n"
                            + "X-Private: secret\r\nKeep-Alive: timeout=5\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nX-End-To-End: yes\r\n\r\n");
                }
            });
        }).listen(0, "127.0.0.1"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host("http://127.0.0.1:" + raw.actualPort(), 1).build(),
                anyPath());
        try (Socket socket = new Socket("127.0.0.1", fx.proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /shop/prod/chat HTTP/1.1\r\nHost: server.example.com\r\n"
                    + "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nX-Request-Id: raw-1\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            List<String> lines = new ArrayList<>(List.of(head.split("\r\n")));
            assertEquals("HTTP/1.1 101 Switching Protocols", lines.remove(0));
            // Field names are case-insensitive (Vert.x writes them in lower case); values are compared exactly.
            lines.replaceAll(l -> l.substring(0, l.indexOf(':')).toLowerCase(java.util.Locale.ROOT) + l.substring(l.indexOf(':')));
            lines.sort(null);
            assertEquals(List.of("connection: Upgrade", "sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
                    "upgrade: websocket", "x-end-to-end: yes", "x-request-id: raw-1"), lines);

            socket.getOutputStream().write("not even a frame".getBytes(StandardCharsets.US_ASCII));
            byte[] back = in.readNBytes("NOT EVEN A FRAME".length());
            assertEquals("NOT EVEN A FRAME", new String(back, StandardCharsets.US_ASCII));
        } finally {
            Backend.await(raw.close());
        }
    }

    /**
     * Extensions are negotiated end to end (RFC 6455 §9.1): a client's permessage-deflate offer reaches the backend,
     * and a backend that accepts none gets none answered for it. The proxy's own HTTP server must not negotiate
     * (Netty's WebSocketServerExtensionHandler would add "permessage-deflate" to the 101 it relays, and the client
     * would then send compressed frames the backend never agreed to).
     */
    @Test
    void extensionsAreTheBackendsToAnswerNotTheProxys() throws Exception {
        List<String> offered = new java.util.concurrent.CopyOnWriteArrayList<>();
        NetServer raw = Backend.await(fx.vertx.createNetServer().connectHandler(so -> {
            StringBuilder head = new StringBuilder();
            boolean[] upgraded = {false};
            so.handler(buf -> {
                if (upgraded[0]) {
                    so.write(buf);
                    return;
                }
                head.append(buf.toString(StandardCharsets.US_ASCII));
                if (head.indexOf("\r\n\r\n") >= 0) {
                    upgraded[0] = true;
                    head.toString().lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT)
                            .startsWith("sec-websocket-extensions:")).forEach(offered::add);
                    so.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
                }
            });
        }).listen(0, "127.0.0.1"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host("http://127.0.0.1:" + raw.actualPort(), 1).build(),
                anyPath());
        try (Socket socket = new Socket("127.0.0.1", fx.proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /shop/prod/chat HTTP/1.1\r\nHost: server.example.com\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertFalse(head.toLowerCase(java.util.Locale.ROOT).contains("sec-websocket-extensions"), head);
            assertEquals(List.of("Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"), offered);

            socket.getOutputStream().write("raw bytes".getBytes(StandardCharsets.US_ASCII));
            assertEquals("raw bytes", new String(in.readNBytes("raw bytes".length()), StandardCharsets.US_ASCII));
        } finally {
            Backend.await(raw.close());
        }
    }

    private static String readHead(InputStream in) throws java.io.IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("connection closed after: " + head);
            }
            head.append((char) c);
        }
        return head.substring(0, head.length() - 4);
    }

    @Test
    void aBackendThatRefusesTheUpgradeIsRelayed() {
        Backend no = fx.backend("no").handler(req -> req.response().setStatusCode(403)
                .putHeader("X-Why", "members only").end("members only"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(no, 1).build(), anyPath());

        UpgradeRejectedException e = rejected("/shop/prod/chat", "X-Request-Id", "ws-403");
        assertEquals(403, e.getStatus());
        assertEquals("members only", e.getBody().toString());
        assertEquals("members only", e.getHeaders().get("X-Why"));
        assertEquals("ws-403", e.getHeaders().get("X-Request-Id"));
        assertEquals(1, no.requests.get());
    }

    @Test
    void unreachableAndSilentHostsGetTheUsualProblemsAndPassiveMarks() {
        Backend dead = fx.backend("dead");
        dead.stop();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dead, 1).retries(0).panicThreshold(0).build(),
                anyPath());
        for (int i = 0; i < 3; i++) {
            UpgradeRejectedException e = rejected("/shop/prod/chat");
            assertEquals(502, e.getStatus());
            assertEquals("application/problem+json", e.getHeaders().get("Content-Type"));
            assertEquals("backend_unreachable", new JsonObject(e.getBody()).getString("code"));
        }
        assertFalse(fx.up("shop", "prod", dead.url()), "three failed upgrade attempts take the host out");
        UpgradeRejectedException none = rejected("/shop/prod/chat");
        assertEquals(503, none.getStatus());
        assertEquals("no_healthy_host", new JsonObject(none.getBody()).getString("code"));

        Backend silent = fx.backend("silent").handler(req -> { /* never answers the handshake */ });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(silent, 1).timeouts(1000, 300).retries(0).build(),
                anyPath());
        UpgradeRejectedException slow = rejected("/shop/prod/chat");
        assertEquals(504, slow.getStatus());
        assertEquals("backend_timeout", new JsonObject(slow.getBody()).getString("code"));
    }

    @Test
    void aConnectFailureIsRetriedOnAnotherHostBeforeThe101() {
        Backend dead = fx.backend("dead");
        dead.stop();
        Backend live = fx.backend("live").webSockets();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(dead, 1).host(live, 1).retries(1).build(), anyPath());
        for (int i = 0; i < 4; i++) {
            ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat");
            assertEquals("live:" + i, ws.ask(String.valueOf(i)));
            ws.close();
        }
    }

    @Test
    void aSessionIdleLongerThanTheReadTimeoutStaysOpen() throws Exception {
        Backend a = fx.backend("a").webSockets();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).timeouts(1000, 200).build(), anyPath());
        ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat");
        assertEquals("a:before", ws.ask("before"));
        Thread.sleep(1000); // five times read_ms without a byte either way
        assertEquals("a:after", ws.ask("after"));
        assertFalse(ws.closed.future().isComplete());
        assertEquals(0, a.sessionsClosed.get());
        ws.close();
    }

    @Test
    void closingTheClientClosesTheBackendSideAndTheSessionIsRecordedOnce() throws Exception {
        Backend a = fx.backend("a").webSockets();
        fx.publish("shop", "prod", Cfg.of("least_conn").host(a, 1).build(),
                resources("chat", resource("GET", "/chat", "exact", null)));
        ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat", "X-Request-Id", "ws-rec");
        assertEquals("a:hi", ws.ask("hi"));
        long openedAt = System.nanoTime();
        assertEquals(1, fx.registry("shop", "prod").state(a.url()).inFlight(), "least_conn counts the session while it is open");
        Thread.sleep(300);
        assertTrue(seen.isEmpty(), "nothing is recorded while the session is open: " + seen);
        long heldNanos = System.nanoTime() - openedAt;

        ws.close();
        eventually("the backend side closed", () -> a.sessionsClosed.get() == 1);
        eventually("the session recorded", () -> !seen.isEmpty());
        Thread.sleep(100); // nothing more may come
        assertEquals(1, seen.size(), seen.toString());
        ProxiedRequest r = seen.poll();
        assertEquals("ws-rec", r.requestId());
        assertEquals(101, r.status());
        assertEquals("chat", r.resource());
        assertEquals(a.url(), r.host());
        assertEquals(1, r.attempts());
        assertEquals("GET", r.method());
        assertEquals("/shop/prod/chat", r.path());
        assertTrue(r.durationNanos() >= heldNanos, "the duration is the session's length: " + r.durationNanos());
        assertEquals(0, fx.registry("shop", "prod").state(a.url()).inFlight());
        assertEquals(0, fx.proxy.inFlight());
        assertEquals(1.0, requestsTotal("status=\"1xx\""));
        assertEquals(0.0, prometheusValue("gatehouse_proxy_request_duration_seconds_count"),
                "a session's length is no request latency");
    }

    @Test
    void aBackendThatClosesClosesTheClientSide() throws Exception {
        Backend a = fx.backend("a").webSockets();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).build(), anyPath());
        ProxyFixture.Ws ws = fx.webSocket("/shop/prod/chat");
        assertEquals("a:hi", ws.ask("hi"));
        a.sessions.peek().close((short) 4001, "bye");
        Backend.await(ws.closed.future());
        assertEquals((short) 4001, ws.socket.closeStatusCode(), "the close frame itself passes through");
        assertEquals("bye", ws.socket.closeReason());
        eventually("the session recorded", () -> seen.size() == 1);
        assertEquals(101, seen.peek().status());
        assertEquals(0, fx.proxy.inFlight());
    }

    @Test
    void http10AndNonGetRequestsAreNotUpgraded() throws Exception {
        Backend a = fx.backend("a");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(a, 1).build(), anyPath());
        try (Socket socket = new Socket("127.0.0.1", fx.proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /shop/prod/x HTTP/1.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(raw.startsWith("HTTP/1.0 200"), raw);
            assertTrue(raw.endsWith("\r\n\r\na"), raw);
        }
        assertNull(a.last.get().headers().get("Upgrade"));
        assertNull(a.last.get().headers().get("Connection"));

        ProxyFixture.Response post = fx.send(io.vertx.core.http.HttpMethod.POST, "/shop/prod/x", "body",
                "Connection", "Upgrade", "Upgrade", "websocket");
        assertEquals(200, post.status());
        assertEquals("a", post.body());
        assertNull(a.last.get().headers().get("Upgrade"));
    }

    private double requestsTotal(String label) {
        return prometheusSum("gatehouse_proxy_requests_total", label);
    }

    private double prometheusValue(String metric) {
        return prometheusSum(metric, "");
    }

    private double prometheusSum(String metric, String label) {
        double sum = 0;
        for (String line : prometheus.scrape().split("\n")) {
            if (line.startsWith(metric + "{") && line.contains(label)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
