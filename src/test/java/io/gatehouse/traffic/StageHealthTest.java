package io.gatehouse.traffic;

import io.gatehouse.Eventually;
import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.Fixtures.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Why a host is down, on every instance: three instances on one PostgreSQL (the application's own and two
 * proxy-only ones, as separate processes would be), one of which alone sends traffic to a host that refuses
 * connections. The health API and the Traffic tab name that instance and its reason; the others see the host
 * up; an instance whose heartbeat stopped no longer counts.
 */
@QuarkusTest
class StageHealthTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    DataSource db;
    @Inject
    Vertx vertx;

    private static ProxyInstance extra(String name) throws Exception {
        return ExtraInstance.named(name).passiveCooldown(Duration.ofSeconds(60)).poll(Duration.ofMillis(300)).start();
    }

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Each check is an HTTP call or a query: polled every 100 ms. */
    private static void eventually(String what, java.util.function.BooleanSupplier condition) {
        Eventually.eventually(() -> what, Duration.ofSeconds(20), Duration.ofMillis(100), condition);
    }

    private static JsonPath health(String gw) {
        return admin().get("/api/v1/gateways/{g}/stages/prod/health", gw).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void theHealthApiNamesTheInstanceThatSeesABlockedHostAndItsReason() throws Exception {
        HttpServer ok = vertx.createHttpServer().requestHandler(req -> req.response().end("ok"))
                .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        int blockedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            blockedPort = s.getLocalPort(); // closed again: connections to it are refused
        }
        String okUrl = "http://127.0.0.1:" + ok.actualPort();
        String blocked = "http://127.0.0.1:" + blockedPort;
        ProxyInstance p2 = extra("health-2");
        boolean p2Closed = false;
        try (ProxyInstance p1 = extra("health-1")) {
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Map.of("type", "round_robin", "retries", 1,
                    "hosts", List.of(Fixtures.host(okUrl, 1), Fixtures.host(blocked, 1))));
            Fixtures.resource(gw, "hello", "GET", "/hello");
            int v = admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then()
                    .statusCode(201).extract().path("number");
            admin().body(Map.of("version", v)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                    .then().statusCode(201);
            String path = "/" + gw + "/prod/hello";
            for (int port : List.of(runtime.instance().port(), p1.port(), p2.port())) {
                eventually("served on " + port, () -> status(port, path) == 200);
            }
            eventually("every instance reports both hosts", () -> {
                JsonPath h = health(gw);
                return h.getList("hosts").size() == 2 && h.getInt("hosts.find { it.url == '" + blocked + "' }.of") == 3;
            });

            // Only p2's clients reach the blocked host: each refusal is retried on the good one.
            for (int i = 0; i < 8; i++) {
                assertEquals(200, status(p2.port(), path));
            }
            eventually("p2's view of the blocked host written", () ->
                    health(gw).getInt("hosts.find { it.url == '" + blocked + "' }.down_on") == 1);
            JsonPath h = health(gw);
            assertTrue(h.getInt("live_instances") >= 3, h.prettify());
            Map<String, Object> host = h.getMap("hosts.find { it.url == '" + blocked + "' }");
            assertEquals(2, host.get("up_on"));
            assertEquals(3, host.get("of"));
            assertTrue(((String) host.get("summary")).startsWith("down on 1 of 3 instances: connect refused (3 in a row) since "),
                    (String) host.get("summary"));
            List<Map<String, Object>> down = h.getList("hosts.find { it.url == '" + blocked + "' }.instances.findAll { it.state == 'down' }");
            assertEquals(1, down.size());
            assertEquals(p2.instanceId(), down.get(0).get("instance"));
            assertEquals("connect refused (3 in a row)", down.get(0).get("reason"));
            assertEquals("up on 3 of 3 instances", h.getString("hosts.find { it.url == '" + okUrl + "' }.summary"));

            // The Traffic tab shows the same, per instance.
            String page = ConsoleSession.login("admin", "admin-password-1")
                    .get("/gateways/{g}/stages/prod/traffic/live", gw).asString();
            assertTrue(page.contains("data-health-host=\"" + blocked + "\" data-down-on=\"1\" data-of=\"3\""), page);
            assertTrue(page.contains("data-instance=\"" + p2.instanceId() + "\" data-state=\"down\""), page);

            // An instance whose heartbeat stopped drops out of the count, its rows with it.
            String ghost = Fixtures.unique("ghost");
            try (Connection c = db.getConnection()) {
                try (PreparedStatement s = c.prepareStatement("insert into proxy_instance (id, mode, heartbeat_at) "
                        + "values (?, 'proxy-only', now() - interval '1 minute')")) {
                    s.setString(1, ghost);
                    s.executeUpdate();
                }
                try (PreparedStatement s = c.prepareStatement("insert into host_health (instance_id, gateway, stage, "
                        + "url, up, since, reason) values (?, ?, 'prod', ?, false, now(), 'connect refused')")) {
                    s.setString(1, ghost);
                    s.setString(2, gw);
                    s.setString(3, okUrl);
                    s.executeUpdate();
                }
            }
            assertEquals("up on 3 of 3 instances", health(gw).getString("hosts.find { it.url == '" + okUrl + "' }.summary"));
            p2.close();
            p2Closed = true;
            eventually("p2 gone from the count", () ->
                    health(gw).getInt("hosts.find { it.url == '" + blocked + "' }.of") == 2);
            assertEquals(0, health(gw).getInt("hosts.find { it.url == '" + blocked + "' }.down_on"));
        } finally {
            if (!p2Closed) {
                p2.close();
            }
            ok.close();
        }
    }

    @Test
    void anotherTeamsStageIsNotFound() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://127.0.0.1:9", 1)));
        admin().get("/api/v1/gateways/{g}/stages/nope/health", gw).then().statusCode(404);
    }
}
