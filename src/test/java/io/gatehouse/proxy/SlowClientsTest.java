package io.gatehouse.proxy;

import io.vertx.core.http.HttpServerRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that hold the proxy port without using it (ConnectionGuard, StalledBodies), over raw sockets on 127.0.0.1
 * with small limits: a 1 s request head timeout, a 1 s body timeout and a cap of 20 connections. Every wait is
 * bounded by a socket read timeout; every socket is closed.
 */
class SlowClientsTest {
    private final ProxyFixture fx = ProxyFixture.withOptions(o -> o.withRequestHeadTimeout(Duration.ofSeconds(1))
            .withClientBodyTimeout(Duration.ofSeconds(1)).withMaxConnections(20));
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        fx.close();
    }

    private Socket connect() throws Exception {
        Socket s = RawHttp.connect(fx.proxy.port());
        sockets.add(s);
        return s;
    }

    private static void send(Socket s, String text) throws Exception {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    /** Everything the peer sends until it closes (bounded by the socket's read timeout). */
    private static String untilClosed(Socket s) throws Exception {
        return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    }

    private static boolean stillOpen(Socket s, int waitMs) throws Exception {
        int before = s.getSoTimeout();
        s.setSoTimeout(waitMs);
        try {
            return s.getInputStream().read() >= 0;
        } catch (SocketTimeoutException open) {
            return true;
        } finally {
            s.setSoTimeout(before);
        }
    }

    @Test
    void aHeadNotCompleteInTimeClosesTheConnectionWith408WhenOneHadBegun() throws Exception {
        Backend b = fx.backend("b");
        fx.publish("gw", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        Socket silent = connect();
        Socket half = connect();
        send(half, "GET /gw/prod/x HTTP/1.1\r\nHost: gw\r\nX-Slow: ");
        Socket served = connect();
        long t0 = System.nanoTime();
        assertTrue(RawHttp.get(served, "/gw/prod/x").startsWith("HTTP/1.1 200"));

        assertTrue(stillOpen(silent, 300) && stillOpen(half, 1), "not closed before the timeout");
        String answer = untilClosed(half);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("Connection: close") && answer.contains("\"code\":\"request_timeout\"")
                && answer.contains("application/problem+json"), answer);
        assertTrue(tookMs >= 900, "closed after " + tookMs + " ms, before the 1 s timeout");
        assertEquals("", untilClosed(silent), "a connection that sent nothing is closed without an answer");
        eventually("two head timeouts counted", () -> fx.proxy.connections().headTimeouts() == 2);

        Thread.sleep(500); // past the head timeout: a connection whose head completed in time is still kept alive
        assertTrue(RawHttp.get(served, "/gw/prod/x").startsWith("HTTP/1.1 200"));
        assertEquals(2, b.requests.get());
        assertEquals(2, fx.proxy.connections().headTimeouts());
    }

    @Test
    void anHttp2ConnectionWhoseFirstRequestCameInTimeIsNotCutByTheHeadTimeout() throws Exception {
        Backend b = fx.backend("b");
        fx.publish("gw", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        io.vertx.core.http.HttpClient h2 = fx.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1").setDefaultPort(fx.proxy.port()).setHttp2MaxPoolSize(1));
        List<String> connections = new java.util.concurrent.CopyOnWriteArrayList<>();
        h2.connectionHandler(c -> connections.add(c.toString()));
        try {
            for (int i = 0; i < 2; i++) {
                io.vertx.core.Promise<String> got = io.vertx.core.Promise.promise();
                fx.onContext(() -> h2.request(io.vertx.core.http.HttpMethod.GET, "/gw/prod/x").compose(r -> r.send())
                        .compose(r -> r.body().map(body -> r.version() + " " + body)).onComplete(got));
                assertEquals("HTTP_2 b", Backend.await(got.future()));
                Thread.sleep(1500); // past the 1 s head timeout
            }
            assertEquals(1, connections.size(), "one HTTP/2 connection served both requests: " + connections);
            assertEquals(0, fx.proxy.connections().headTimeouts());
        } finally {
            h2.close();
        }
    }

    @Test
    void aboveTheCapNewConnectionsAreClosedAtOnceAndCountedWhileOpenOnesAreServed() throws Exception {
        Backend b = fx.backend("b");
        fx.publish("gw", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        Socket kept = connect();
        assertTrue(RawHttp.get(kept, "/gw/prod/x").startsWith("HTTP/1.1 200"));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 19; i++) {
            held.add(connect());
        }
        eventually("20 open", () -> fx.proxy.connections().open() == 20);
        for (int i = 0; i < 3; i++) {
            Socket over = connect();
            long t0 = System.nanoTime();
            assertEquals("closed", RawHttp.get(over, "/gw/prod/x"), "over the cap: closed unanswered");
            assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(900), "closed at once, not by a timeout");
        }
        assertEquals(3, fx.proxy.connections().refused());
        assertTrue(RawHttp.get(kept, "/gw/prod/x").startsWith("HTTP/1.1 200"), "an open connection is still served");

        held.get(0).close();
        eventually("a slot freed", () -> fx.proxy.connections().open() == 19);
        assertTrue(RawHttp.get(connect(), "/gw/prod/x").startsWith("HTTP/1.1 200"), "under the cap again: served");
        assertEquals(3, fx.proxy.connections().refused());
        assertEquals(20, fx.proxy.connections().max());
    }

    @Test
    void aStalledBodyGets408AndTheBackendNeverTakesItForWhole() throws Exception {
        CompletableFuture<String> backendSaw = new CompletableFuture<>();
        Backend b = fx.backend("b").handler(req -> req.body()
                .onSuccess(body -> {
                    backendSaw.complete("whole body of " + body.length());
                    req.response().end("got " + body.length());
                })
                .onFailure(e -> backendSaw.complete("cut")));
        fx.publish("gw", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());

        Socket stalled = connect();
        send(stalled, "POST /gw/prod/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 100\r\n\r\n0123456789");
        long t0 = System.nanoTime();
        String answer = untilClosed(stalled);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), answer);
        assertTrue(answer.contains("\"code\":\"request_timeout\""), answer);
        assertTrue(tookMs >= 900, "cut after " + tookMs + " ms");
        assertEquals("cut", backendSaw.get(10, TimeUnit.SECONDS));
        assertEquals(1, fx.proxy.connections().bodyTimeouts());

        // A slow but steady body is not cut: a chunk every 400 ms for 2.4 s.
        Socket steady = connect();
        send(steady, "POST /gw/prod/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: 60\r\n\r\n");
        for (int i = 0; i < 6; i++) {
            Thread.sleep(400);
            send(steady, "0123456789");
        }
        String ok = RawHttp.read(steady);
        assertTrue(ok.startsWith("HTTP/1.1 200") && ok.endsWith("got 60"), ok);
        assertEquals(1, fx.proxy.connections().bodyTimeouts());
    }

    @Test
    void timeTheBackendTakesToReadTheBodyIsNotTheClientsStall() throws Exception {
        int size = 32 * 1024 * 1024;
        AtomicLong read = new AtomicLong();
        Backend b = fx.backend("b").handler((HttpServerRequest req) -> {
            req.pause(); // a backend busy for 2.5 s before it reads: the proxy's write queue fills, the pipe pauses
            fx.vertx.setTimer(2500, t -> {
                req.handler(chunk -> read.addAndGet(chunk.length()));
                req.endHandler(v -> req.response().end("read " + read.get()));
                req.resume();
            });
        });
        fx.publish("gw", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        Socket big = connect();
        big.setSoTimeout(20_000);
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = big.getOutputStream();
                out.write(("POST /gw/prod/upload HTTP/1.1\r\nHost: gw\r\nContent-Length: " + size + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < size / chunk.length; i++) {
                    out.write(chunk);
                }
                out.flush();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String answer = RawHttp.read(big);
        sent.get(20, TimeUnit.SECONDS);
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.endsWith("read " + size), answer);
        assertEquals(0, fx.proxy.connections().bodyTimeouts());
        assertFalse(answer.contains("408"));
    }
}
