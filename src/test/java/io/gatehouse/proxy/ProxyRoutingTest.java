package io.gatehouse.proxy;

import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.gatehouse.proxy.ProxyFixture.anyPath;
import static io.gatehouse.proxy.ProxyFixture.joined;
import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Routing and pool choice through the real proxy port, against real loopback backends. */
class ProxyRoutingTest {

    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    @Test
    void smoothWeightedRoundRobinThroughTheProxyPort() {
        Backend a = fx.backend("a");
        Backend b = fx.backend("b");
        Backend c = fx.backend("c");
        fx.publish("shop", "prod", Cfg.of("weighted_round_robin").host(a, 5).host(b, 1).host(c, 1).build(), anyPath());

        assertEquals("a a b a c a a", joined(fx.names("/shop/prod/items", 7)));
        assertEquals("a a b a c a a", joined(fx.names("/shop/prod/items", 7)));
    }

    @Test
    void tenantHeaderReachesItsPoolAndUnknownTenantsTheDefaultHosts() {
        Backend shared = fx.backend("shared");
        Backend acme = fx.backend("acme-1");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).build(), anyPath());

        assertEquals("acme-1 acme-1", joined(fx.names("/shop/prod/x", 2, "X-Tenant-Id", "acme")));
        assertEquals("shared shared", joined(fx.names("/shop/prod/x", 2, "X-Tenant-Id", "globex")));
        assertEquals("shared", fx.get("/shop/prod/x").body());
        // A value that is not a tenant name is no tenant at all, never a near miss of one.
        for (String odd : new String[]{"acme,acme", "acme;x=1", "ácme", "acme/..", "a".repeat(65)}) {
            assertEquals("shared", joined(fx.names("/shop/prod/x", 1, "X-Tenant-Id", odd)), odd);
        }
    }

    @Test
    void tenantHeaderIsForwardedUnlessTheConfigStripsIt() {
        Backend shared = fx.backend("shared");
        Backend acme = fx.backend("acme-1");
        Cfg cfg = Cfg.of("round_robin").host(shared, 1).tenant("acme", acme);
        fx.publish("shop", "prod", cfg.build(), anyPath());
        assertEquals("acme-1", fx.get("/shop/prod/x", "x-tenant-id", "acme").body());
        assertEquals("acme", acme.last.get().headers().get("X-Tenant-Id"));

        fx.publish("shop", "prod", cfg.stripTenantHeader().build(), anyPath());
        // Stripped after the pool is chosen: the tenant still reaches its pool, its backend no longer sees the header.
        assertEquals("acme-1", fx.get("/shop/prod/x", "x-tenant-id", "acme").body());
        assertFalse(acme.last.get().headers().contains("X-Tenant-Id"), acme.last.get().headers().toString());
        assertEquals("shared", fx.get("/shop/prod/x", "X-Tenant-Id", "a b").body());
        assertFalse(shared.last.get().headers().contains("X-Tenant-Id"), "a value that is no tenant is stripped too");
        assertEquals(2, acme.requests.get());
    }

    @Test
    void tenantPoolWithNoHealthyHostFailsUnlessFallbackIsDefault() {
        Backend shared = fx.backend("shared");
        Backend acme = fx.backend("acme-1");
        fx.registry("shop", "prod").state(acme.url()).markFailure(1);
        // Panic off: with it (the default), the pool would spread over its own unhealthy host instead.
        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme).panicThreshold(0).build(),
                anyPath());
        ProxyFixture.Response r = fx.get("/shop/prod/x", "X-Tenant-Id", "acme");
        assertEquals(503, r.status());
        assertTrue(new JsonObject(r.body()).getString("detail").contains("tenant pool 'acme'"), r.body());

        fx.publish("shop", "prod", Cfg.of("round_robin").host(shared, 1).tenant("acme", acme)
                .tenantFallback("default").build(), anyPath());
        assertEquals("shared", fx.get("/shop/prod/x", "X-Tenant-Id", "acme").body());
    }

    @Test
    void resourceOverrideForTheStageBeatsTheStageConfig() {
        Backend stageHost = fx.backend("stage-host");
        Backend special = fx.backend("special");
        BackendConfig override = Cfg.of("round_robin").host(special, 1).build();
        fx.publish("shop", "prod", Cfg.of("round_robin").host(stageHost, 1).build(), resources(
                "plain", resource("GET", "/plain", "exact", null),
                "special", new ResourceSpec("GET", "/special", "exact", null, null, Map.of("prod", override)),
                "other-stage", new ResourceSpec("GET", "/other", "exact", null, null, Map.of("test", override))));

        assertEquals("stage-host", fx.get("/shop/prod/plain").body());
        assertEquals("special", fx.get("/shop/prod/special").body());
        assertEquals("stage-host", fx.get("/shop/prod/other").body());
    }

    @Test
    void consistentHashKeepsAHeaderOnOneHost() {
        List<Backend> hosts = List.of(fx.backend("h1"), fx.backend("h2"), fx.backend("h3"));
        Cfg cfg = Cfg.of("consistent_hash").hashHeader("X-User-Id");
        hosts.forEach(h -> cfg.host(h, 1));
        fx.publish("shop", "prod", cfg.build(), anyPath());

        Set<String> used = new HashSet<>();
        for (int user = 0; user < 30; user++) {
            List<String> names = fx.names("/shop/prod/cart", 5, "X-User-Id", "user-" + user);
            assertEquals(1, new HashSet<>(names).size(), "user-" + user + " moved: " + names);
            used.add(names.get(0));
        }
        assertEquals(3, used.size(), "30 users should spread over all three hosts: " + used);
    }

    @Test
    void pathParametersAndPrefixRestAreRewrittenAndTheQueryKept() {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), resources(
                "user", resource("GET", "/users/{id}", "exact", "/api/v2/users/{id}"),
                "files", resource("GET", "/files/{bucket}", "prefix", "/storage/{bucket}/objects")));

        fx.get("/shop/prod/users/42?expand=orders&x=%2F");
        assertEquals("/api/v2/users/42?expand=orders&x=%2F", b.last.get().uri());
        fx.get("/shop/prod/files/photos/2024/cat%20one.jpg?v=3");
        assertEquals("/storage/photos/objects/2024/cat%20one.jpg?v=3", b.last.get().uri());
        fx.get("/shop/prod/files/photos");
        assertEquals("/storage/photos/objects", b.last.get().uri());
    }

    /**
     * X-Forwarded-Proto, -Host and -Prefix describe this hop as the proxy saw it: what a client sends in them
     * is replaced, never appended to or passed on (a backend building redirects or links from them would
     * otherwise trust the client). X-Forwarded-For is the one that is appended to.
     */
    @Test
    void clientSentForwardedProtoHostAndPrefixAreOverwritten() {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        fx.get("/shop/prod/x", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example",
                "X-Forwarded-Prefix", "/admin", "Host", "api.example.com");
        MultiMap seen = b.last.get().headers();
        assertEquals(List.of("http"), seen.getAll("X-Forwarded-Proto"));
        assertEquals(List.of("api.example.com"), seen.getAll("X-Forwarded-Host"));
        assertEquals(List.of("/shop/prod"), seen.getAll("X-Forwarded-Prefix"));
    }

    @Test
    void forwardedHeadersRequestIdAndHopByHopRemoval() {
        Backend b = fx.backend("b").handler(req -> req.response()
                .putHeader("Connection", "X-Backend-Private")
                .putHeader("X-Backend-Private", "secret")
                .putHeader("Keep-Alive", "timeout=5")
                .putHeader("Proxy-Authenticate", "Basic")
                .putHeader("X-End-To-End", "yes")
                .end("b"));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());

        ProxyFixture.Response r = fx.get("/shop/prod/x",
                "Connection", "keep-alive, X-Client-Private",
                "X-Client-Private", "secret",
                "Keep-Alive", "timeout=5",
                "TE", "trailers",
                "Proxy-Authorization", "Basic Zm9vOmJhcg==",
                "X-Forwarded-For", "203.0.113.7",
                "X-Custom", "kept",
                "Host", "api.example.com");
        Backend.Seen seen = b.last.get();
        assertNull(seen.headers().get("X-Client-Private"));
        assertNull(seen.headers().get("Keep-Alive"));
        assertNull(seen.headers().get("TE"));
        assertNull(seen.headers().get("Proxy-Authorization"));
        assertEquals("kept", seen.headers().get("X-Custom"));
        assertEquals("203.0.113.7, 127.0.0.1", seen.headers().get("X-Forwarded-For"));
        assertEquals("http", seen.headers().get("X-Forwarded-Proto"));
        assertEquals("api.example.com", seen.headers().get("X-Forwarded-Host"));
        assertEquals("/shop/prod", seen.headers().get("X-Forwarded-Prefix"));
        assertEquals("api.example.com", seen.headers().get("Host"), "pass_host defaults to pass");
        String id = seen.headers().get("X-Request-Id");
        assertNotNull(id);
        assertEquals(32, id.length());
        assertEquals(id, r.header("X-Request-Id"));

        assertNull(r.header("X-Backend-Private"));
        assertNull(r.header("Keep-Alive"));
        assertNull(r.header("Proxy-Authenticate"));
        assertEquals("yes", r.header("X-End-To-End"));

        ProxyFixture.Response again = fx.get("/shop/prod/x", "X-Request-Id", "client-chosen-1");
        assertEquals("client-chosen-1", b.last.get().headers().get("X-Request-Id"));
        assertEquals("client-chosen-1", again.header("X-Request-Id"));
        assertNotEquals(id, fx.get("/shop/prod/x").header("X-Request-Id"));
    }

    @Test
    void passHostNodeAndRewrite() {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).passHost("node", null).build(), anyPath());
        fx.get("/shop/prod/x", "Host", "api.example.com");
        assertEquals("127.0.0.1:" + b.port(), b.last.get().headers().get("Host"));

        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).passHost("rewrite", "internal.svc:8443").build(),
                anyPath());
        fx.get("/shop/prod/x", "Host", "api.example.com");
        assertEquals("internal.svc:8443", b.last.get().headers().get("Host"));
    }

    @Test
    void unknownGatewayStageOrResourceIs404AndWrongMethodIs405AsProblemJson() {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(),
                resources("user", resource("GET", "/users/{id}", "exact", null),
                        "create", resource("POST", "/users/{id}", "exact", null)));

        for (String path : List.of("/nope/prod/users/1", "/shop/test/users/1", "/shop/prod/orders", "/", "/shop")) {
            ProxyFixture.Response r = fx.get(path);
            assertEquals(404, r.status(), path);
            assertEquals("application/problem+json", r.header("Content-Type"));
            JsonObject p = new JsonObject(r.body());
            assertEquals(404, p.getInteger("status"));
            assertEquals("not_found", p.getString("code"));
            assertNotNull(p.getString("type"));
            assertNotNull(p.getString("title"));
            assertNotNull(p.getString("detail"));
            assertNotNull(r.header("X-Request-Id"));
        }
        ProxyFixture.Response r = fx.send(HttpMethod.DELETE, "/shop/prod/users/1", null);
        assertEquals(405, r.status());
        assertEquals("GET, HEAD, POST", r.header("Allow"));
        assertEquals("method_not_allowed", new JsonObject(r.body()).getString("code"));
        assertEquals(400, fx.get("/shop/prod/users/..").status());
        assertEquals(0, b.requests.get());
    }

    @Test
    void h2cClientsAreServedAndForwardedOverHttp11() {
        Backend b = fx.backend("b").handler(req -> req.body().onSuccess(body ->
                req.response().end(req.version() + " " + req.method() + " " + body)));
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        io.vertx.core.http.HttpClient h2 = fx.vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
                .setDefaultHost("127.0.0.1").setDefaultPort(fx.proxy.port()));
        io.vertx.core.Promise<String> get = io.vertx.core.Promise.promise();
        io.vertx.core.Promise<String> post = io.vertx.core.Promise.promise();
        fx.onContext(() -> {
            h2.request(HttpMethod.GET, "/shop/prod/x").compose(r -> r.send())
                    .compose(r -> r.body().map(body -> r.version() + " -> " + body)).onComplete(get);
            h2.request(HttpMethod.POST, "/shop/prod/x").compose(r -> r.send("hello over h2"))
                    .compose(r -> r.body().map(Object::toString)).onComplete(post);
        });
        assertEquals("HTTP_2 -> HTTP_1_1 GET ", Backend.await(get.future()));
        assertEquals("HTTP_1_1 POST hello over h2", Backend.await(post.future()));
        h2.close();
    }

    @Test
    void http10ClientGetsABackendChunkedBodyUntilClose() throws Exception {
        Backend b = fx.backend("b").handler(req -> { req.response().setChunked(true).write("chunk-1 "); req.response().end("chunk-2"); });
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), anyPath());
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", fx.proxy.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /shop/prod/x HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String raw = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(raw.startsWith("HTTP/1.0 200"), raw);
            assertTrue(raw.endsWith("\r\n\r\nchunk-1 chunk-2"), raw);
            assertFalse(raw.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding"), raw);
        }
    }
}
