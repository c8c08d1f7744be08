package io.gatehouse.proxy;

import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.traffic.ConnectionMetrics;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
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
 * Issue 15's flood, bounded: 3,000 connections to a proxy port that send nothing or half a request head, against a
 * cap lowered to 2,500 and a head timeout lowered to 8 s. The port is a proxy-only instance's inside the
 * application's process (on the application's own Vert.x, so the console shares its event loops), with those limits
 * as its options: a test profile, i.e. one more Quarkus boot, is not needed for them. While they are held, a normal client
 * on a kept-alive connection, the readiness probe and the admin API keep answering; the 501 connections above the
 * cap are closed at once and counted; the held ones stay open until the head timeout, then are closed (408 for a
 * begun head) and counted; afterwards the port serves new clients again. Everything on 127.0.0.1; every socket is
 * closed at the end, every wait bounded.
 */
@QuarkusTest
class ConnectionFloodTest {
    static final int CAP = 2500;
    static final int FLOOD = 3000;
    /**
     * Long enough that opening the flood (0.1-1 s on the CI machine, asserted under half of it) and the check 3 s
     * before it leave room; every second more is a second the suite waits.
     */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(8);

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

    private String scrapeApplication() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consolePort + "/q/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** Reads {@code name} from a Prometheus text scrape (labels as {@code {a="b"}}, with or without the 0.0.4 trailing comma). */
    private static double metric(String scraped, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(scraped.replace(",} ", "} "));
        assertTrue(m.find(), name + " not in the scrape");
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
        ProxyInstance proxy = null;
        java.util.function.Supplier<ClientConnectionStats> meterSource = null; // held weakly by the meters
        try {
            // The application's own port reports through /q/metrics; the flooded instance through the same meters
            // bound to a registry of its own.
            assertEquals(runtime.instance().connections().max(),
                    (int) metric(scrapeApplication(), "gatehouse_proxy_connections_max"));
            proxy = ExtraInstance.named("flood").options(o -> o.withMaxConnections(CAP)
                    .withRequestHeadTimeout(HEAD_TIMEOUT)).start();
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            ConnectionMetrics.bind(meters, meterSource = proxy::connections);
            java.util.function.ToDoubleFunction<String> metric = name -> metric(meters.scrape(), name);

            Backend backend = new Backend(vertx, "ok");
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host(backend.url(), 1)));
            Fixtures.resource(gw, "ok", "GET", "/ok");
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
            ProxyInstance flooded = proxy;
            eventually("the release served", Duration.ofSeconds(15), () -> flooded.store().get(gw, "prod") != null);
            int port = proxy.port();
            String ok = "/" + gw + "/prod/ok";

            kept = open(port);
            assertTrue(RawHttp.get(kept, ok).startsWith("HTTP/1.1 200"));
            eventually("only the kept-alive connection open", Duration.ofSeconds(10),
                    () -> flooded.connections().open() == 1);
            assertEquals(CAP, (int) metric.applyAsDouble("gatehouse_proxy_connections_max"));
            double refusedBefore = metric.applyAsDouble("gatehouse_proxy_connections_refused_total");
            double headTimeoutsBefore = metric.applyAsDouble("gatehouse_proxy_client_timeouts_total{phase=\"head\"}");

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
            eventually("the port at its cap", Duration.ofSeconds(10), () -> flooded.connections().open() == CAP);
            eventually("the rest refused", Duration.ofSeconds(10),
                    () -> flooded.connections().refused() == (long) refusedBefore + FLOOD - held);

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
            assertEquals(refusedBefore + FLOOD - held + 1, metric.applyAsDouble("gatehouse_proxy_connections_refused_total"));
            assertEquals(CAP, (int) metric.applyAsDouble("gatehouse_proxy_connections"));

            // Held until the head timeout: still all open shortly before it.
            long beforeTimeout = floodStart + HEAD_TIMEOUT.minusSeconds(3).toNanos();
            Thread.sleep(Math.max(0, (beforeTimeout - System.nanoTime()) / 1_000_000));
            assertEquals(CAP, proxy.connections().open(), "nothing closed before the head timeout");

            // Then closed: a begun head gets 408, a silent connection just its end.
            eventually("the held connections closed", HEAD_TIMEOUT, () -> flooded.connections().open() == 1);
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
            assertEquals(headTimeoutsBefore + held, metric.applyAsDouble("gatehouse_proxy_client_timeouts_total{phase=\"head\"}"));

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
            java.lang.ref.Reference.reachabilityFence(meterSource);
            if (proxy != null) {
                proxy.close();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
