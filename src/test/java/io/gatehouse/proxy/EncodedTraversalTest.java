package io.gatehouse.proxy;

import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.util.Map;

import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Encoded traversal through the proxy port, with raw sockets so the path reaches the proxy byte for byte: dot
 * segments (plain or encoded) and encoded slashes or backslashes in a path parameter or a prefix remainder are
 * refused with 400 problem JSON and never reach the backend; a config with {@code encoded_slashes: keep} forwards
 * encoded slashes exactly as sent, and still refuses dot segments between them.
 */
class EncodedTraversalTest {
    private final ProxyFixture fx = new ProxyFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static Map<String, ResourceSpec> shop(Map<String, BackendConfig> userOverrides) {
        return resources(
                "user", new ResourceSpec("GET", "/users/{id}", "exact", "/api/users/{id}", null, userOverrides),
                "files", new ResourceSpec("GET", "/files", "prefix", "/store", null, null));
    }

    private String get(String path) throws Exception {
        try (Socket s = RawHttp.connect(fx.proxy.port())) {
            return RawHttp.get(s, path);
        }
    }

    private void assertRefused(String path) throws Exception {
        String answer = get(path);
        assertTrue(answer.startsWith("HTTP/1.1 400 "), path + " -> " + answer);
        assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
        JsonObject problem = new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals("bad_path", problem.getString("code"), answer);
        assertEquals(400, problem.getInteger("status"));
    }

    private void assertForwarded(Backend b, String path, String backendUri) throws Exception {
        String answer = get(path);
        assertTrue(answer.startsWith("HTTP/1.1 200 "), path + " -> " + answer);
        assertEquals(backendUri, b.last.get().uri(), path);
    }

    @Test
    void encodedSlashesAndDotSegmentsInAParameterOrAPrefixRemainderGet400() throws Exception {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).build(), shop(null));

        for (String path : new String[]{
                // the request: a backend that decodes before normalising would serve /api/admin
                "/shop/prod/users/..%2f..%2fadmin", "/shop/prod/users/..%2F..%2Fadmin",
                "/shop/prod/users/a%2Fb", "/shop/prod/users/a%2fb", "/shop/prod/users/a%5Cb", "/shop/prod/users/a%5cb",
                "/shop/prod/users/%2e%2e", "/shop/prod/users/%2E%2E", "/shop/prod/users/.%2e", "/shop/prod/users/%2e",
                "/shop/prod/users/..",
                "/shop/prod/files/a/..%2Fsecret", "/shop/prod/files/a%2F..%2F..%2Fetc", "/shop/prod/files/x/y%5Cz",
                "/shop/prod/files/a/%2e%2e/b", "/shop/prod/files/a/./b", "/shop/prod/files/.%2E"}) {
            assertRefused(path);
        }
        assertEquals(0, b.requests.get(), "nothing refused reached the backend");

        // What is not traversal still passes, as sent.
        assertForwarded(b, "/shop/prod/users/a%20b", "/api/users/a%20b");
        assertForwarded(b, "/shop/prod/users/...", "/api/users/...");
        assertForwarded(b, "/shop/prod/users/.well-known", "/api/users/.well-known");
        assertForwarded(b, "/shop/prod/files/a/b.txt?v=%2F", "/store/a/b.txt?v=%2F");
    }

    @Test
    void keepForwardsEncodedSlashesAsSentButNeverDotSegmentsBetweenThem() throws Exception {
        Backend b = fx.backend("b");
        fx.publish("shop", "prod", Cfg.of("round_robin").host(b, 1).encodedSlashes("keep").build(), shop(null));

        assertForwarded(b, "/shop/prod/users/a%2Fb", "/api/users/a%2Fb");
        assertForwarded(b, "/shop/prod/users/a%5cb", "/api/users/a%5cb");
        assertForwarded(b, "/shop/prod/files/x/y%2fz", "/store/x/y%2fz");
        int seen = b.requests.get();
        assertRefused("/shop/prod/users/..%2f..%2fadmin");
        assertRefused("/shop/prod/files/a%2F..%2Fb");
        assertRefused("/shop/prod/users/%2e%2e");
        assertEquals(seen, b.requests.get());
    }

    @Test
    void aResourceOverrideCanKeepEncodedSlashesForItselfAlone() throws Exception {
        Backend b = fx.backend("b");
        BackendConfig stage = Cfg.of("round_robin").host(b, 1).build();
        BackendConfig keep = Cfg.of("round_robin").host(b, 1).encodedSlashes("keep").build();
        fx.publish("shop", "prod", stage, shop(Map.of("prod", keep)));

        assertForwarded(b, "/shop/prod/users/a%2Fb", "/api/users/a%2Fb");
        assertRefused("/shop/prod/files/a%2Fb");
    }
}
