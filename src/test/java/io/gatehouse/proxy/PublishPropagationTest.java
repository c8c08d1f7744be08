package io.gatehouse.proxy;

import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.Eventually;
import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static io.gatehouse.Fixtures.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Publishing end to end: the application's own instance plus extra proxy-only instances on the same
 * PostgreSQL, each with its own snapshot store, proxy port and LISTEN connection, as separate
 * processes would have. Backends are real loopback HTTP servers answering with their name.
 */
@QuarkusTest
class PublishPropagationTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    DataSource db;
    @Inject
    Vertx vertx;

    private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(1);

    private static ProxyInstance extra(String name, boolean listen, Duration poll) throws Exception {
        return ExtraInstance.named(name).listen(listen).poll(poll).start();
    }

    private static Map<String, Object> pool(Backend b) {
        return Fixtures.backend(Fixtures.host(b.url(), 1));
    }

    private static void setHosts(String gw, Backend b) {
        admin().body(Map.of("backend", pool(b))).put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
    }

    private static void publish(String gw, int version) {
        admin().body(Map.of("version", version)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(201);
    }

    /** A gateway with stage prod on {@code first}, resource GET /hello, version 1 published. */
    private static String gateway(Backend first) {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", pool(first));
        Fixtures.resource(gw, "hello", "GET", "/hello");
        int v = admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201)
                .extract().path("number");
        publish(gw, v);
        return gw;
    }

    private static String get(int port, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + " " + r.body();
        } catch (Exception e) {
            return "error " + e;
        }
    }

    private static void awaitServed(int port, String path, String expected, Duration within) {
        String[] last = {null};
        Eventually.eventually(() -> "port " + port + " to answer '200 " + expected + "' (still '" + last[0] + "')",
                within, Duration.ZERO, () -> (last[0] = get(port, path)).equals("200 " + expected));
    }

    @Test
    void aPublishIsServedByEveryInstanceWithinMilliseconds() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             ProxyInstance p1 = extra("proxy-1", true, Duration.ofSeconds(2));
             ProxyInstance p2 = extra("proxy-2", true, Duration.ofSeconds(2))) {
            String gw = gateway(a);
            String path = "/" + gw + "/prod/hello";
            List<Integer> ports = List.of(runtime.instance().port(), p1.port(), p2.port());
            for (int port : ports) {
                awaitServed(port, path, "a", Duration.ofSeconds(5));
            }
            // The swap of a stage's snapshot is the instant new requests get the new hosts; each store's
            // listener runs right after it, so it time-stamps exactly that. HTTP then confirms it.
            List<ProxyInstance> instances = List.of(runtime.instance(), p1, p2);
            Map<ProxyInstance, AtomicLong> swappedAt = new java.util.HashMap<>();
            Map<ProxyInstance, java.util.function.Consumer<SnapshotStore>> listeners = new java.util.HashMap<>();
            for (ProxyInstance instance : instances) {
                AtomicLong at = new AtomicLong();
                swappedAt.put(instance, at);
                listeners.put(instance, store -> {
                    if (store.get(gw, "prod") != null) {
                        at.set(System.nanoTime());
                    }
                });
                instance.store().addListener(listeners.get(instance));
            }
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Backend target = i % 2 == 0 ? b : a;
                setHosts(gw, target);
                swappedAt.values().forEach(at -> at.set(0));
                long sent = System.nanoTime();
                publish(gw, 1);
                // The promise is milliseconds; 1 s is 10x the worst p99 measured on a saturated machine
                // (docs/benchmarks.md) and half the 2 s poll (which also carries the heartbeat, so it stays):
                // a poll alone would miss the bound on about every other publish, never on 50 in a row.
                int n = i;
                Eventually.eventually(() -> "every instance to apply publish " + n, PROPAGATION_BOUND,
                        Duration.ofNanos(200_000), () -> swappedAt.values().stream().allMatch(at -> at.get() != 0));
                long last = swappedAt.values().stream().mapToLong(AtomicLong::get).max().orElseThrow();
                // From the publish call's start: its answer waits for the instances (Receipts.settle), so a
                // swap usually comes before it returns; this is the time the publish takes to be live everywhere.
                micros.add((last - sent) / 1000);
                for (int port : ports) {
                    awaitServed(port, path, target.name, Duration.ofSeconds(5));
                }
            }
            listeners.forEach((instance, listener) -> instance.store().removeListener(listener));
            Collections.sort(micros);
            System.out.printf("publish call -> new hosts served on all 3 instances, %d publishes: p50 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms%n", micros.size(), micros.get(micros.size() / 2) / 1000.0,
                    micros.get(micros.size() * 99 / 100) / 1000.0, micros.get(micros.size() - 1) / 1000.0);
            admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .body("[0].live.on", equalTo(3)).body("[0].live.of", equalTo(3));
        }
    }

    @Test
    void hostsNoLongerPublishedAreForgotten() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             ProxyInstance p = extra("proxy-forget", true, Duration.ofSeconds(2))) {
            String gw = gateway(a);
            String path = "/" + gw + "/prod/hello";
            awaitServed(p.port(), path, "a", Duration.ofSeconds(5));
            int known = p.knownHosts();
            setHosts(gw, b);
            publish(gw, 1);
            awaitServed(p.port(), path, "b", Duration.ofSeconds(5));
            // A request that read the old snapshot just before the swap may bring a's state back until the next
            // apply, so the count is checked after one more apply with no traffic: the gateway's removal. Without
            // the cleanup it would be known + 1 (a and b both kept); with it, both are gone.
            admin().delete("/api/v1/gateways/{g}", gw).then().statusCode(204);
            Eventually.eventually("the removed gateway's hosts to be forgotten", () -> p.knownHosts() == known - 1);
        }
    }

    @Test
    void rollbackServesTheOldHostsAgainAndPublishingToTestLeavesProdAlone() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b"); Backend t = new Backend(vertx, "t")) {
            String gw = gateway(a);
            int port = runtime.instance().port();
            String prod = "/" + gw + "/prod/hello";
            awaitServed(port, prod, "a", Duration.ofSeconds(5));
            setHosts(gw, b);
            publish(gw, 1);
            awaitServed(port, prod, "b", Duration.ofSeconds(5));

            admin().body(Map.of("release", 1)).post("/api/v1/gateways/{g}/stages/prod/rollback", gw)
                    .then().statusCode(201).body("number", equalTo(3));
            awaitServed(port, prod, "a", Duration.ofSeconds(5));

            Fixtures.stage(gw, "test", pool(t));
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/test/releases", gw).then().statusCode(201);
            awaitServed(port, "/" + gw + "/test/hello", "t", Duration.ofSeconds(5));
            assertEquals("200 a", get(port, prod));
            admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("size()", equalTo(3));
        }
    }

    @Test
    void thePollAloneAppliesAPublish() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             ProxyInstance pollOnly = extra("poll-only", false, Duration.ofMillis(300))) {
            String gw = gateway(a);
            String path = "/" + gw + "/prod/hello";
            awaitServed(pollOnly.port(), path, "a", Duration.ofSeconds(5));
            setHosts(gw, b);
            publish(gw, 1);
            awaitServed(pollOnly.port(), path, "b", Duration.ofSeconds(5));
        }
    }

    @Test
    void aKilledListenConnectionIsReplacedAndPublishesStillArrive() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             ProxyInstance p = extra("killed", true, Duration.ofSeconds(60))) {
            String gw = gateway(a);
            String path = "/" + gw + "/prod/hello";
            awaitServed(p.port(), path, "a", Duration.ofSeconds(5));
            try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(
                    "select pg_terminate_backend(pid) from pg_stat_activity where application_name = ?")) {
                s.setString(1, "gatehouse-listen " + p.instanceId());
                var rs = s.executeQuery();
                assertTrue(rs.next() && rs.getBoolean(1), "the listen connection was found and terminated");
            }
            setHosts(gw, b);
            publish(gw, 1);
            // The poll is 60 s here, so only a reconnected LISTEN (which syncs on reconnect) can apply it.
            awaitServed(p.port(), path, "b", Duration.ofSeconds(10));
        }
    }

    @Test
    void publishingAHundredTimesUnderLoadLosesNoRequest() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b")) {
            String gw = gateway(a);
            String path = "/" + gw + "/prod/hello";
            int port = runtime.instance().port();
            awaitServed(port, path, "a", Duration.ofSeconds(5));
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong ok = new AtomicLong();
            AtomicLong bad = new AtomicLong();
            ExecutorService load = Executors.newFixedThreadPool(4);
            for (int i = 0; i < 4; i++) {
                load.submit(() -> {
                    while (running.get()) {
                        String r = get(port, path);
                        (r.equals("200 a") || r.equals("200 b") ? ok : bad).incrementAndGet();
                    }
                });
            }
            for (int i = 0; i < 100; i++) {
                setHosts(gw, i % 2 == 0 ? b : a);
                publish(gw, 1);
            }
            running.set(false);
            load.shutdown();
            assertTrue(load.awaitTermination(30, TimeUnit.SECONDS));
            System.out.printf("100 publishes under load: %d requests answered 200, %d failed%n", ok.get(), bad.get());
            assertTrue(ok.get() > 100, "load ran: " + ok.get());
            assertEquals(0, bad.get());
        }
    }
}
