package io.gatehouse.proxy;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.Fixtures.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15's flood, bounded: 3,000 connections to the application's proxy port that send nothing or half a request
 * head, against a cap lowered to 2,500 and a head timeout lowered to 15 s. While they are held, a normal client
 * on a kept-alive connection, the readiness probe and the admin API keep answering; the 501 connections above the
 * cap are closed at once and counted; the held ones stay open until the head timeout, then are closed (408 for a
 * begun head) and counted; afterwards the port serves new clients again. Everything on 127.0.0.1; every socket is
 * closed at the end, every wait bounded.
 */
@QuarkusTest
@TestProfile(ConnectionFloodTest.SmallLimits.class)
class ConnectionFloodTest {
    static final int CAP = 2500;
    static final int FLOOD = 3000;
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(15);

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.proxy.max-connections", Integer.toString(CAP),
                    "gatehouse.proxy.request-head-timeout", HEAD_TIMEOUT.toSeconds() + "s");
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    ProxyRuntime runtime;
    @ConfigProperty(name = "quarkus.http.test-port")
    int consolePort;

    private int console(String path, boolean asAdmin) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + path))
                .timeout(Duration.ofSeconds(10));
        if (asAdmin) {
            r.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString("admin:admin-password-1".getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private double metric(String name) throws Exception {
        String scraped = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scraped);
        assertTrue(m.find(), name + " not in /q/metrics");
        return Double.parseDouble(m.group(1));
    }

    private Socket open(int port) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(5000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }

    @Test
    void heldConnectionsCannotStarveTheProxyTheProbesOrTheApiAndAreClosedAfterTheHeadTimeout() throws Exception {
        Vertx vertx = Vertx.vertx();
        List<Socket> flood = new ArrayList<>(FLOOD);
        Socket kept = null;
        try {
            Backend backend = new Backend(vertx, "ok");
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host(backend.url(), 1)));
            Fixtures.resource(gw, "ok", "GET", "/ok");
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
            ProxyInstance proxy = runtime.instance();
            eventually("the release served", Duration.ofSeconds(15), () -> proxy.store().get(gw, "prod") != null);
            int port = proxy.port();
            String ok = "/" + gw + "/prod/ok";

            kept = open(port);
            assertTrue(RawHttp.get(kept, ok).startsWith("HTTP/1.1 200"));
            eventually("only the kept-alive connection open", Duration.ofSeconds(10),
                    () -> proxy.connections().open() == 1);
            assertEquals(CAP, (int) metric("gatehouse_proxy_connections_max"));
            double refusedBefore = metric("gatehouse_proxy_connections_refused_total");
            double headTimeoutsBefore = metric("gatehouse_proxy_client_timeouts_total{phase=\"head\"}");

            // The flood: every other connection sends half a head, the rest nothing.
            long floodStart = System.nanoTime();
            for (int i = 0; i < FLOOD; i++) {
                Socket s = open(port);
                flood.add(s);
                if (i % 2 == 1) {
                    try {
                        s.getOutputStream().write(("GET " + ok + " HTTP/1.1\r\nHost: gw\r\nX-Slow: ")
                                .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException closedAboveTheCap) {
                        // refused connections may already be closed
                    }
                }
            }
            Duration floodTook = Duration.ofNanos(System.nanoTime() - floodStart);
            assertTrue(floodTook.compareTo(HEAD_TIMEOUT.dividedBy(2)) < 0,
                    "opening the flood took " + floodTook + ", too close to the head timeout for exact counts");
            int held = CAP - 1; // the kept-alive connection holds the first place
            eventually("the port at its cap", Duration.ofSeconds(10), () -> proxy.connections().open() == CAP);
            eventually("the rest refused", Duration.ofSeconds(10),
                    () -> proxy.connections().refused() == (long) refusedBefore + FLOOD - held);

            // Above the cap: closed at once, unanswered (connections are accepted in the order they were opened).
            for (Socket s : flood.subList(held, FLOOD)) {
                assertTrue(RawHttp.closedByPeer(s), "a connection above the cap is closed at once");
            }
            try (Socket late = open(port)) {
                assertEquals("closed", RawHttp.get(late, ok), "a new connection at the cap is closed");
            }
            // Meanwhile everything else answers.
            assertTrue(RawHttp.get(kept, ok).startsWith("HTTP/1.1 200"), "the kept-alive client is served");
            assertEquals(200, console("/q/health/ready", false), "readiness");
            assertEquals(200, console("/api/v1/teams", true), "admin API");
            assertEquals(refusedBefore + FLOOD - held + 1, metric("gatehouse_proxy_connections_refused_total"));
            assertEquals(CAP, (int) metric("gatehouse_proxy_connections"));

            // Held until the head timeout: still all open shortly before it.
            long beforeTimeout = floodStart + HEAD_TIMEOUT.minusSeconds(3).toNanos();
            Thread.sleep(Math.max(0, (beforeTimeout - System.nanoTime()) / 1_000_000));
            assertEquals(CAP, proxy.connections().open(), "nothing closed before the head timeout");

            // Then closed: a begun head gets 408, a silent connection just its end.
            eventually("the held connections closed", HEAD_TIMEOUT, () -> proxy.connections().open() == 1);
            long closedAfter = System.nanoTime() - floodStart;
            assertTrue(closedAfter >= HEAD_TIMEOUT.toNanos(), "closed after " + closedAfter / 1_000_000 + " ms");
            for (int i = 0; i < held; i++) {
                String answer = new String(flood.get(i).getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                if (i % 2 == 1) {
                    assertTrue(answer.startsWith("HTTP/1.1 408 Request Timeout\r\n"), i + ": " + answer);
                } else {
                    assertEquals("", answer, i + ": a silent connection gets no answer");
                }
            }
            assertEquals(headTimeoutsBefore + held, metric("gatehouse_proxy_client_timeouts_total{phase=\"head\"}"));

            System.out.printf("ConnectionFloodTest: %d connections opened in %d ms; held ones closed %d ms after the"
                    + " flood began (head timeout %s)%n", FLOOD, floodTook.toMillis(), closedAfter / 1_000_000, HEAD_TIMEOUT);
            // And the port serves new clients again, the kept-alive one too.
            try (Socket fresh = open(port)) {
                assertTrue(RawHttp.get(fresh, ok).startsWith("HTTP/1.1 200"));
            }
            assertTrue(RawHttp.get(kept, ok).startsWith("HTTP/1.1 200"));
        } finally {
            for (Socket s : flood) {
                s.close();
            }
            if (kept != null) {
                kept.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
