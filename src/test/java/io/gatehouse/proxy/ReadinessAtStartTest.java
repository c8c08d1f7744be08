package io.gatehouse.proxy;

import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.Eventually;
import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.Fixtures.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "At boot, the proxy loads every stage's latest release before it reports ready" (docs/architecture.md, "Start and
 * stop"; docs/operations.md, probes):
 * a proxy-only instance starts while the release table is locked, so its load waits; meanwhile it is not ready and
 * its proxy port is not open, so nothing can be answered 404 for a live stage; once the lock goes, its first request
 * is served by the published release.
 */
@QuarkusTest
class ReadinessAtStartTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    DataSource db;
    @Inject
    Vertx vertx;

    private long count(String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registered (its first write), and a query waiting on the locked release table (its load, next). */
    private boolean loadWaiting() {
        return count("select count(*) from proxy_instance where id like 'boot-%'") == 1
                && count("select count(*) from pg_locks where relation = 'release'::regclass and not granted") > 0;
    }

    @Test
    void anInstanceIsNotReadyAndItsPortClosedUntilEveryLiveStageIsLoaded() throws Exception {
        // Before an instance exists at all, the readiness check says so.
        HealthCheckResponse starting = new ProxyRuntime.Ready(new ProxyRuntime()).call();
        assertEquals(HealthCheckResponse.Status.DOWN, starting.getStatus());

        try (Backend backend = new Backend(vertx, "live")) {
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host(backend.url(), 1)));
            Fixtures.resource(gw, "hello", "GET", "/hello");
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .statusCode(201);
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }

            CompletableFuture<ProxyInstance> started;
            try (Connection lock = db.getConnection()) {
                lock.setAutoCommit(false);
                try (Statement s = lock.createStatement()) {
                    s.execute("lock table release in access exclusive mode");
                }
                started = CompletableFuture.supplyAsync(() -> {
                    try {
                        return ExtraInstance.named("boot").options(o -> o.withPort(port)).start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                try {
                    Eventually.eventually(() -> "the instance's load waiting on the release table",
                            Duration.ofSeconds(15), Duration.ofMillis(20), this::loadWaiting);
                    assertFalse(started.isDone(), "start returns only after the load");
                    assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                            "the proxy port stays closed while the snapshots load");
                } finally {
                    lock.rollback();
                }
            }
            try (ProxyInstance instance = started.get(30, TimeUnit.SECONDS)) {
                assertTrue(instance.ready());
                HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/" + gw + "/prod/hello"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals("200 live", first.statusCode() + " " + first.body(), "the first request is served");
            }
        }
    }
}
