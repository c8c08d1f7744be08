package io.gatehouse.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.gatehouse.database.EmbeddedDatabase;
import io.gatehouse.deploy.Instances.Instance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.gatehouse.deploy.EmbeddedDatabaseCrashIT.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full and a proxy-only instance of the packaged jar on one external PostgreSQL (a server this test owns), and
 * that server failing under them: stopped (connections refused), then its processes frozen with SIGSTOP (connections
 * hang). Readiness stays 200 within a second and proxied requests keep succeeding on both; the database health
 * group, the metric, the admin API (503) and the console's banner report the database down; once it is back a publish
 * reaches both. Before that, the connections each mode really opens are counted in pg_stat_activity.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(150);

    private static EmbeddedDatabase db;
    private static Instances instances;
    private static HttpServer backend;
    private static Instance full;
    private static Instance proxy;
    private static AdminApi api;
    private static final List<Long> frozen = new ArrayList<>();
    /** The backend path prefix of the release published last. */
    private static String served = "v1";

    @BeforeAll
    static void start() throws Exception {
        db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-outage-it"), true);
        instances = new Instances(Files.createDirectories(Path.of("target", "database-outage-it")));
        backend = AdminApi.backend();
        full = instances.start("full", env("full", "full"));
        Instances.awaitReady(full, START);
        proxy = instances.start("proxy", env("proxy", "proxy-only"));
        Instances.awaitReady(proxy, START);
        api = new AdminApi(full);
        api.createTeam("outage");
        api.createGateway("outage", "shop", AdminApi.url(backend), "/v1");
        api.publish("shop", "first");
        for (Instance i : List.of(full, proxy)) {
            awaitBody(i, "ok /v1/items/7");
        }
    }

    /** The instance's pool connections carry its name as application_name, its LISTEN "gatehouse-listen <name>". */
    private static Map<String, String> env(String name, String mode) {
        Map<String, String> env = new HashMap<>(AdminApi.bootstrapEnv());
        env.put("GATEHOUSE_MODE", mode);
        env.put("GATEHOUSE_INSTANCE_ID", name);
        env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl() + "?ApplicationName=" + name);
        env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
        env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
        return env;
    }

    @AfterAll
    static void stop() {
        signal("-CONT", frozen);
        if (instances != null) {
            instances.close();
        }
        if (backend != null) {
            backend.stop(0);
        }
        if (db != null) {
            db.close();
        }
    }

    /** Under admin-API load on the full instance, neither mode opens more than its pool plus its LISTEN connection. */
    @Test
    @Order(1)
    void eachModeOpensAtMostItsPoolPlusItsListenConnection() throws Exception {
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(24);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 24; t++) {
            load.add(pool.submit(() -> {
                while (loading.get()) {
                    try {
                        api.send("GET", "/gateways/shop/stages/prod/releases", null);
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
                return null;
            }));
        }
        int maxFull = 0;
        int maxProxy = 0;
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
            while (System.nanoTime() < until) {
                maxFull = Math.max(maxFull, connections(c, "full"));
                maxProxy = Math.max(maxProxy, connections(c, "proxy"));
                Thread.sleep(50);
            }
            loading.set(false);
            for (Future<?> f : load) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertEquals(1, listening(c, "full"), "the full instance's LISTEN connection");
            assertEquals(1, listening(c, "proxy"), "the proxy-only instance's LISTEN connection");
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("DatabaseOutageIT: most connections seen: full %d (budget 11), proxy-only %d (budget 4); load %s%n",
                maxFull, maxProxy, EmbeddedDatabaseCrashIT.loadAverage());
        assertTrue(maxFull <= 11, "full: pool 10 + LISTEN, saw " + maxFull);
        assertTrue(maxProxy <= 4, "proxy-only: pool 3 + LISTEN, saw " + maxProxy);
        assertTrue(maxFull > 2, "the load made the full instance use its pool (saw " + maxFull + ")");
    }

    private static int connections(Connection c, String instance) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from pg_stat_activity where backend_type = 'client backend'"
                + " and (application_name = ? or application_name = 'gatehouse-listen ' || ?)")) {
            s.setString(1, instance);
            s.setString(2, instance);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int listening(Connection c, String instance) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select count(*) from pg_stat_activity where application_name = ?")) {
            s.setString(1, "gatehouse-listen " + instance);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** pg_ctl stop -m fast: every connection refused until it is started again. */
    @Test
    @Order(2)
    void aStoppedServerLeavesBothProxiesReadyAndServingAndTheConsoleSaysSo() throws Exception {
        db.stopServer();
        try {
            outage("stopped server");
            HttpResponse<String> r = api.send("GET", "/teams", null);
            assertEquals(503, r.statusCode(), "the admin API without its database: " + r.body());
            assertEquals("database_unavailable", JSON.readTree(r.body()).path("code").asText(), r.body());
            assertTrue(r.headers().firstValue("Retry-After").isPresent(), "503 says when to retry");
            String login = Instances.get(full.http("/login")).body();
            assertTrue(login.contains("data-testid=\"database-down\"") && login.contains("The database does not answer"),
                    "the console's sign-in page shows the outage:\n" + login);
        } finally {
            db.startServer();
        }
        recovered("/v2");
    }

    /** SIGSTOP to every server process: connections are accepted by the kernel and then hang. */
    @Test
    @Order(3)
    void aFrozenServerLeavesBothProxiesReadyAndServing() throws Exception {
        long postmaster = db.serverPid();
        ProcessHandle server = ProcessHandle.of(postmaster).orElseThrow();
        frozen.add(postmaster);
        server.descendants().forEach(p -> frozen.add(p.pid()));
        signal("-STOP", frozen);
        try {
            outage("frozen server");
        } finally {
            signal("-CONT", frozen);
            frozen.clear();
        }
        recovered("/v3");
    }

    /** For a while: readiness 200 within a second and the last release served, on both; the database reported down. */
    private static void outage(String what) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
        while (System.nanoTime() < until) {
            for (Instance i : List.of(full, proxy)) {
                assertEquals(200, status(i.http("/q/health/ready")), i.name() + " readiness, " + what);
                assertEquals(200, status(i.http("/q/health/live")), i.name() + " liveness, " + what);
                HttpResponse<String> r = Instances.get(i.proxy("/shop/prod/items/7"));
                assertEquals("ok /" + served + "/items/7", r.body(), i.name() + " serves the last release, " + what);
            }
            Thread.sleep(200);
        }
        for (Instance i : List.of(full, proxy)) {
            Instances.await(Duration.ofSeconds(10), () -> status(i.http("/q/health/group/database")) == 503,
                    () -> i.name() + " never reported the database down (" + what + ")");
            String metrics = Instances.get(i.http("/q/metrics")).body();
            assertTrue(metrics.lines().anyMatch(l -> l.startsWith("gatehouse_database_up ") && l.endsWith(" 0.0")),
                    i.name() + " gatehouse_database_up 0 (" + what + ")");
        }
    }

    /** The database reported up again on both, and a publish through the full instance reaches both proxies. */
    private static void recovered(String prefix) throws Exception {
        for (Instance i : List.of(full, proxy)) {
            Instances.await(Duration.ofSeconds(30), () -> status(i.http("/q/health/group/database")) == 200,
                    () -> i.name() + " never reported the database back:\n" + Instances.tail(i.log()));
        }
        api.route("shop", prefix);
        api.publish("shop", "after " + prefix);
        served = prefix.substring(1);
        for (Instance i : List.of(full, proxy)) {
            awaitBody(i, "ok " + prefix + "/items/7");
        }
        for (Instance i : List.of(full, proxy)) {
            EmbeddedDatabaseCrashIT.assertNoNoise(i.name(), Files.readString(i.log()));
        }
    }

    private static void awaitBody(Instance i, String body) {
        Instances.await(Duration.ofSeconds(30), () -> {
            try {
                return Instances.get(i.proxy("/shop/prod/items/7")).body().equals(body);
            } catch (IOException e) {
                return false;
            }
        }, () -> i.name() + " never served " + body);
    }

    /** kill(1) with a signal Java cannot send (STOP, CONT), to this test's own database processes only. */
    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", signal));
        pids.forEach(p -> command.add(String.valueOf(p)));
        try {
            new ProcessBuilder(command).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
