package io.gatehouse.proxy;

import io.gatehouse.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.proxy.ProxyFixture.config;
import static io.gatehouse.proxy.ProxyFixture.host;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** ProxyServer.shutdown: refuse new connections at once, let requests in flight finish, within a bound. */
class GracefulShutdownTest {
    private final ProxyFixture fx = new ProxyFixture();
    private final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void close() {
        fx.close();
    }

    private CompletableFuture<HttpResponse<String>> startSlowRequest(Backend backend) {
        fx.publish("gw", "prod", config("round_robin", host(backend, 1)),
                resources("slow", resource("GET", "/slow", "exact", "/slow")));
        CompletableFuture<HttpResponse<String>> response = jdk.sendAsync(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + fx.proxy.port() + "/gw/prod/slow")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        Eventually.eventually("the request to reach the backend",
                () -> backend.requests.get() > 0 && fx.proxy.inFlight() > 0);
        return response;
    }

    /**
     * Connecting to the closed port is refused. On loopback a connect can meet itself when the kernel picks the
     * probed port as the client's own ephemeral port (TCP simultaneous open): that is no listener, so it is
     * tried again; anything else accepted fails, naming both ports.
     */
    private void assertRefused() {
        int port = fx.proxy.port();
        for (int attempt = 0; attempt < 3; attempt++) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                if (s.getLocalPort() != port) {
                    fail("a new connection to the proxy port " + port + " was accepted while draining (client port "
                            + s.getLocalPort() + ")");
                }
            } catch (ConnectException refused) {
                return;
            } catch (IOException e) {
                fail("connecting to the proxy port " + port + " while draining: " + e);
            }
        }
        fail("three connects to port " + port + " met themselves");
    }

    @Test
    void aSlowRequestInFlightCompletesWhileNewConnectionsAreRefused() throws Exception {
        Backend slow = fx.backend("slow").handler(req -> fx.vertx.setTimer(1500, t -> req.response().end("slow done")));
        CompletableFuture<HttpResponse<String>> inFlight = startSlowRequest(slow);

        long t0 = System.nanoTime();
        CompletableFuture<Void> stopped = fx.proxy.shutdown(Duration.ofSeconds(20)).toCompletionStage().toCompletableFuture();
        awaitClosed();
        assertRefused();
        assertTrue(!stopped.isDone(), "shutdown waits for the request in flight");

        HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("slow done", r.body());
        stopped.get(10, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs < 10_000, "shutdown ends when the last request does, not at the bound: " + tookMs + " ms");
        assertEquals(0, fx.proxy.inFlight());
        assertRefused();
    }

    @Test
    void anOpenKeepAliveConnectionIsServedWhileDrainingAndToldToClose() throws Exception {
        Backend slow = fx.backend("slow").handler(req -> fx.vertx.setTimer(1500, t -> req.response().end("slow done")));
        Backend quick = fx.backend("quick");
        fx.publish("gw", "prod", config("round_robin", host(quick, 1)), resources("quick", resource("GET", "/quick", "exact", null)));
        try (Socket kept = RawHttp.connect(fx.proxy.port())) {
            String first = RawHttp.get(kept, "/gw/prod/quick");
            assertTrue(first.startsWith("HTTP/1.1 200"), first);
            assertTrue(!first.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), first);

            fx.publish("gw", "slow", config("round_robin", host(slow, 1)), resources("slow", resource("GET", "/slow", "exact", null)));
            CompletableFuture<HttpResponse<String>> inFlight = jdk.sendAsync(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + fx.proxy.port() + "/gw/slow/slow")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Eventually.eventually("the slow request to reach its backend", () -> slow.requests.get() > 0);
            CompletableFuture<Void> stopped = fx.proxy.shutdown(Duration.ofSeconds(20)).toCompletionStage().toCompletableFuture();
            awaitClosed();
            assertRefused();
            // The connection opened before the drain still gets its next answer, with Connection: close.
            String second = RawHttp.get(kept, "/gw/prod/quick");
            assertTrue(second.startsWith("HTTP/1.1 200"), second);
            assertTrue(second.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), second);
            assertEquals(200, inFlight.get(10, TimeUnit.SECONDS).statusCode());
            stopped.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBoundCutsARequestThatDoesNotFinish() throws Exception {
        Backend stuck = fx.backend("stuck").handler(req -> { });
        CompletableFuture<HttpResponse<String>> inFlight = startSlowRequest(stuck);

        long t0 = System.nanoTime();
        fx.proxy.shutdown(Duration.ofMillis(300)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(tookMs >= 250 && tookMs < 5_000, "stopped at the bound: " + tookMs + " ms");
        // At the bound the proxy closes its backend connections and its client connections together, so
        // what the client sees first is a race: its own connection cut, or the proxy's 502 for the backend
        // connection it just lost (written before the client connection closes). Never a success.
        try {
            HttpResponse<String> answered = inFlight.get(10, TimeUnit.SECONDS);
            assertEquals(502, answered.statusCode(), "a request cut at the bound: " + answered.body());
            assertTrue(answered.body().contains("backend_unreachable"), answered.body());
        } catch (ExecutionException cut) {
            assertTrue(cut.getCause() instanceof IOException, "the client sees its connection closed: " + cut.getCause());
        }
    }

    @Test
    void anOpenWebSocketSessionKeepsWorkingWhileDrainingAndIsClosedAtTheBound() throws Exception {
        Backend chat = fx.backend("chat").webSockets();
        fx.publish("gw", "prod", config("round_robin", host(chat, 1)), resources("chat", resource("GET", "/chat", "exact", null)));
        ProxyFixture.Ws ws = fx.webSocket("/gw/prod/chat");
        assertEquals("chat:hi", ws.ask("hi"));
        assertEquals(1, fx.proxy.inFlight(), "an open session is in flight");

        CompletableFuture<Void> stopped = fx.proxy.shutdown(Duration.ofMillis(1500)).toCompletionStage().toCompletableFuture();
        awaitClosed();
        assertRefused();
        assertEquals("chat:still here", ws.ask("still here"), "the session is not cut before the bound");
        assertTrue(!stopped.isDone(), "shutdown waits for the session up to the bound");

        stopped.get(10, TimeUnit.SECONDS);
        Backend.await(ws.closed.future());
        Eventually.eventually("the backend side of the session to close",
                () -> chat.sessionsClosed.get() > 0 && fx.proxy.inFlight() == 0);
    }

    @Test
    void anIdleProxyStopsAtOnce() throws Exception {
        long t0 = System.nanoTime();
        fx.proxy.shutdown(Duration.ofSeconds(20)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) < 3_000);
        assertRefused();
    }

    /** The listening socket closes shortly after shutdown begins (Vert.x closes it on its event loop). */
    private void awaitClosed() {
        Eventually.eventually("the proxy port to stop accepting", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", fx.proxy.port()), 2000);
                return false;
            } catch (ConnectException refused) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }
}
