package io.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose topology on loopback: the packaged jar started three times (the full instance and the two
 * proxy-only ones, each with the environment deploy/compose.yaml gives it, the database swapped for one
 * embedded PostgreSQL), a publish through the full instance's admin API, and the same answers from all
 * three proxies, down to the exact weighted split.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START = Duration.ofSeconds(150);

    private static EmbeddedDatabase db;
    private static Instances instances;
    private static final List<HttpServer> backends = new ArrayList<>();
    private static final Map<String, Instance> byService = new LinkedHashMap<>();
    private static String auth;
    private static Instance full;
    private static Instance refused;

    @BeforeAll
    static void startTheComposeTopology() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "scale-out-it"));
        db = EmbeddedDatabase.start(Files.createTempDirectory("gatehouse-it-pg"), true);
        instances = new Instances(work);
        Map<String, Map<String, Object>> services = Manifests.gatehouseServices(Manifests.compose());
        // compose order: the full instance first (the proxies depend on it being healthy), then the proxies.
        Map<String, Map<String, String>> envs = new TreeMap<>();
        services.forEach((name, s) -> {
            Map<String, String> env = new LinkedHashMap<>();
            Manifests.environment(s).forEach((k, v) -> env.put(k, Manifests.interpolateDefaults(v)));
            env.put("QUARKUS_DATASOURCE_JDBC_URL", db.jdbcUrl());
            env.put("QUARKUS_DATASOURCE_USERNAME", db.username());
            env.put("QUARKUS_DATASOURCE_PASSWORD", db.password());
            // No Keycloak here: OIDC stays off (the compose wiring of OIDC is checked by ComposeFileTest).
            env.remove("QUARKUS_OIDC_AUTH_SERVER_URL");
            envs.put(name, env);
        });
        String fullName = envs.entrySet().stream().filter(e -> "full".equals(e.getValue().getOrDefault("GATEHOUSE_MODE", "full")))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        Map<String, String> fullEnv = envs.get(fullName);
        auth = "Basic " + Base64.getEncoder().encodeToString((fullEnv.get("GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME") + ":"
                + fullEnv.get("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD")).getBytes(StandardCharsets.UTF_8));
        // First, on the empty database: the same full instance with the README's example password and no session key.
        Map<String, String> unsafe = new LinkedHashMap<>(fullEnv);
        unsafe.put("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "change-me-now");
        unsafe.remove("QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY");
        refused = instances.start("unsafe-secrets", unsafe);
        assertTrue(refused.process().waitFor(START.toSeconds(), TimeUnit.SECONDS), "the unsafe instance should exit by itself");
        full = instances.start(fullName, fullEnv);
        byService.put(fullName, full);
        Instances.awaitReady(full, START);
        for (var e : envs.entrySet()) {
            if (!e.getKey().equals(fullName)) {
                byService.put(e.getKey(), instances.start(e.getKey(), e.getValue()));
            }
        }
        for (Instance i : byService.values()) {
            Instances.awaitReady(i, START);
        }
        backends.add(backend("a"));
        backends.add(backend("b"));
    }

    @AfterAll
    static void stop() {
        if (instances != null) {
            instances.close();
        }
        backends.forEach(b -> b.stop(0));
        if (db != null) {
            db.close();
        }
    }

    /** A backend that answers "{name} {path}" so a response shows which host served it and with what path. */
    private static HttpServer backend(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer backend) {
        return "http://127.0.0.1:" + backend.getAddress().getPort();
    }

    private static JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(full.http("/api/v1" + path)))
                .timeout(Duration.ofSeconds(20)).header("Authorization", auth).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = Instances.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    private static void publish(String gateway, String title) throws Exception {
        int version = api("POST", "/gateways/" + gateway + "/versions", "{\"title\":\"" + title + "\"}").path("number").asInt();
        api("POST", "/gateways/" + gateway + "/stages/prod/releases", "{\"version\":" + version + "}");
    }

    /** Who served each of {@code n} requests through one proxy. */
    private static Map<String, Integer> split(Instance proxy, String path, int n) throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = Instances.get(proxy.proxy(path));
            assertEquals(200, r.statusCode(), proxy.name() + " " + path + ": " + r.body());
            counts.merge(r.body().split(" ")[0], 1, Integer::sum);
        }
        return counts;
    }

    @Test
    @Order(1)
    void aPublishOnTheConsoleIsServedIdenticallyByAllThreeProxies() throws Exception {
        api("POST", "/teams", "{\"slug\":\"scale\",\"name\":\"Scale-out\"}");
        api("POST", "/teams/scale/gateways", "{\"name\":\"orders\",\"description\":\"scale-out IT\"}");
        api("PUT", "/gateways/orders/stages/prod", "{\"backend\":{\"type\":\"weighted_round_robin\",\"hosts\":["
                + "{\"url\":\"" + url(backends.get(0)) + "\",\"weight\":3},{\"url\":\"" + url(backends.get(1)) + "\",\"weight\":1}]}}");
        api("PUT", "/gateways/orders/resources/get_user", "{\"method\":\"GET\",\"path\":\"/users/{id}\","
                + "\"backend_path\":\"/api/users/{id}\"}");
        publish("orders", "first");

        for (Instance i : byService.values()) {
            Instances.await(Duration.ofSeconds(15), () -> Instances.status(i.proxy("/orders/prod/users/42")) == 200,
                    () -> i.name() + " never served release 1");
        }
        for (Instance i : byService.values()) {
            HttpResponse<String> r = Instances.get(i.proxy("/orders/prod/users/42?x=1"));
            assertEquals(200, r.statusCode(), i.name());
            assertTrue(r.body().endsWith(" /api/users/42?x=1"), i.name() + " maps the path: " + r.body());
            // Smooth WRR: any 8 consecutive picks of weights {3,1} are exactly 6 and 2, on every instance.
            assertEquals(Map.of("a", 6, "b", 2), split(i, "/orders/prod/users/7", 8), i.name() + " weighted split");
            assertEquals(404, Instances.status(i.proxy("/orders/prod/nothing-here")), i.name() + " unknown resource");
            assertEquals(404, Instances.status(i.proxy("/no-such-gateway/prod/users/1")), i.name() + " unknown gateway");
        }

        // Every instance records a receipt: the console says "live on 3 of 3".
        Instances.await(Duration.ofSeconds(15), () -> {
            try {
                JsonNode live = api("GET", "/gateways/orders/stages/prod/releases", null).get(0).path("live");
                return live.path("on").asInt() == 3 && live.path("of").asInt() == 3;
            } catch (Exception e) {
                return false;
            }
        }, () -> "release 1 not live on 3 of 3");

        // A second publish moves all three: only backend b now, and a new path.
        api("PUT", "/gateways/orders/stages/prod", "{\"backend\":{\"type\":\"round_robin\",\"hosts\":["
                + "{\"url\":\"" + url(backends.get(1)) + "\",\"weight\":1}]}}");
        api("PUT", "/gateways/orders/resources/get_user", "{\"method\":\"GET\",\"path\":\"/users/{id}\","
                + "\"backend_path\":\"/v2/users/{id}\"}");
        publish("orders", "second");
        for (Instance i : byService.values()) {
            Instances.await(Duration.ofSeconds(15), () -> {
                try {
                    return Instances.get(i.proxy("/orders/prod/users/9")).body().equals("b /v2/users/9");
                } catch (IOException e) {
                    return false;
                }
            }, () -> i.name() + " never served release 2");
        }
    }

    @Test
    @Order(2)
    void probePathsOfTheManifestsAnswerOnEveryInstanceAndProxyOnlyHasNoApi() throws Exception {
        for (Instance i : byService.values()) {
            for (String path : List.of("/q/health/live", "/q/health/ready", "/q/health/started")) {
                assertEquals(200, Instances.status(i.http(path)), i.name() + " " + path);
            }
        }
        for (Instance i : byService.values()) {
            int api = Instances.status(i.http("/api/v1/teams"));
            if (i == full) {
                assertEquals(401, api, "the full instance serves the admin API (and wants credentials)");
                assertEquals(200, Instances.status(i.http("/q/openapi")), "the full instance serves the API's document");
            } else {
                assertEquals(404, api, i.name() + " is proxy-only: no admin API");
                proxyOnlyServesHealthAndMetricsOnly(i);
            }
        }
    }

    /**
     * On an external database a console refuses to start on the README's example password and without a session key,
     * names both and how to generate them, and creates no admin with that password (the check runs before).
     */
    @Test
    @Order(0)
    void aConsoleWithPublishedOrMissingSecretsRefusesToStart() throws Exception {
        assertTrue(refused.process().exitValue() != 0, "exit code of the refused start");
        String log = Files.readString(refused.log());
        for (String expected : List.of("Refusing to start with unsafe secrets",
                "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD is a published example or placeholder",
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY is not set", "openssl rand -base64 32")) {
            assertTrue(log.contains(expected), "the refusal says: " + expected + "; log:\n" + Instances.tail(refused.log()));
        }
        HttpResponse<String> r = Instances.HTTP.send(HttpRequest.newBuilder(URI.create(full.http("/api/v1/me")))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:change-me-now".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), "no admin was created with the refused password");
        assertEquals(200, Instances.HTTP.send(HttpRequest.newBuilder(URI.create(full.http("/api/v1/me")))
                .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "the admin has the password of the generated deploy/.env");
    }

    /**
     * A proxy-only instance answers health and metrics on its management port and nothing else: no console,
     * admin API (with or without credentials), OpenAPI document or Swagger UI (was ProxyOnlyModeTest, a
     * Quarkus boot of its own for this one check; the packaged jar in that mode is the real thing).
     */
    private static void proxyOnlyServesHealthAndMetricsOnly(Instance i) throws Exception {
        HttpResponse<String> api = Instances.get(i.http("/api/v1/teams"));
        assertEquals("application/problem+json", api.headers().firstValue("Content-Type").orElse(""), i.name());
        assertTrue(api.body().contains("\"code\":\"proxy_only\""), i.name() + ": " + api.body());
        HttpResponse<String> withCredentials = Instances.HTTP.send(HttpRequest.newBuilder(
                        URI.create(i.http("/api/v1/teams"))).header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString("admin:admin-password-1".getBytes(StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, withCredentials.statusCode(), i.name() + " with credentials");
        assertEquals(404, Instances.status(i.http("/")), i.name() + " /");
        assertEquals(200, Instances.status(i.http("/q/health")), i.name() + " /q/health");
        HttpResponse<String> metrics = Instances.get(i.http("/q/metrics"));
        assertEquals(200, metrics.statusCode(), i.name() + " /q/metrics");
        assertTrue(metrics.body().contains("jvm_memory_used_bytes"), i.name() + " /q/metrics");
        for (String path : List.of("/q/openapi", "/q/openapi.json", "/q/swagger-ui", "/q/swagger-ui/",
                "/q/swagger-ui/index.html", "/q/healthz", "/q/metricsx", "/q/dev-ui", "/login",
                "/_static/htmx.org/dist/htmx.min.js")) {
            HttpResponse<String> r = Instances.get(i.http(path));
            assertEquals(404, r.statusCode(), i.name() + " " + path);
            assertTrue(r.body().contains("\"code\":\"proxy_only\""), i.name() + " " + path + ": " + r.body());
        }
    }

    /** Last: stops one proxy-only process the way Kubernetes and compose do, with SIGTERM. */
    @Test
    @Order(3)
    void sigtermDrainsTheProxyASlowRequestFinishesAndNewConnectionsAreRefused() throws Exception {
        AtomicInteger slowStarted = new AtomicInteger();
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        slow.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/slow")) {
                slowStarted.incrementAndGet();
                try {
                    Thread.sleep(4000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("done " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        slow.start();
        backends.add(slow);
        api("POST", "/teams/scale/gateways", "{\"name\":\"drain\",\"description\":\"graceful shutdown\"}");
        api("PUT", "/gateways/drain/stages/prod", "{\"backend\":{\"hosts\":[{\"url\":\"" + url(slow) + "\"}],"
                + "\"timeouts\":{\"read_ms\":20000}}}");
        api("PUT", "/gateways/drain/resources/ping", "{\"method\":\"GET\",\"path\":\"/ping\"}");
        api("PUT", "/gateways/drain/resources/slow", "{\"method\":\"GET\",\"path\":\"/slow\"}");
        publish("drain", "drain");
        Instance victim = byService.values().stream().filter(i -> i != full).reduce((a, b) -> b).orElseThrow();
        Instances.await(Duration.ofSeconds(15), () -> Instances.status(victim.proxy("/drain/prod/ping")) == 200,
                () -> victim.name() + " never served the drain gateway");

        CompletableFuture<HttpResponse<String>> inFlight = Instances.HTTP.sendAsync(HttpRequest.newBuilder(
                URI.create(victim.proxy("/drain/prod/slow"))).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        Instances.await(Duration.ofSeconds(10), () -> slowStarted.get() == 1, () -> "the slow request never reached the backend");

        victim.process().destroy(); // SIGTERM, to this test's own child only
        Instances.await(Duration.ofSeconds(3), () -> refused(victim.proxyPort()),
                () -> "new connections to " + victim.name() + " were not refused while it drained");
        assertTrue(!inFlight.isDone(), "the drain started while the slow request was still in flight");

        HttpResponse<String> r = inFlight.get(20, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), "the in-flight request completes during shutdown");
        assertEquals("done /slow", r.body());
        assertTrue(victim.process().waitFor(30, TimeUnit.SECONDS), victim.name() + " exits after the drain");
        byService.values().removeIf(i -> i == victim);
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
