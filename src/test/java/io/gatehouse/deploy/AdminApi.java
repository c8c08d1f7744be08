package io.gatehouse.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API of one packaged instance, as its bootstrap admin, for the ITs that publish through it. */
final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "admin";
    /** Random per run: a fixed test password could be refused as a known one. */
    static final String PASSWORD = "it-" + UUID.randomUUID();

    private final Instances.Instance instance;

    AdminApi(Instances.Instance instance) {
        this.instance = instance;
    }

    /** One session key per run, shared by the instances a test starts, as the deployment docs ask. */
    private static final String SESSION_KEY = Base64.getEncoder().encodeToString(randomBytes());

    private static byte[] randomBytes() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * The environment that makes an instance create the bootstrap admin this client signs in as, with the session
     * key a console on an external database must have (StartupSecrets).
     */
    static Map<String, String> bootstrapEnv() {
        return Map.of("GATEHOUSE_BOOTSTRAP_ADMIN_USERNAME", USER, "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", PASSWORD,
                "QUARKUS_HTTP_AUTH_SESSION_ENCRYPTION_KEY", SESSION_KEY);
    }

    String auth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(instance.http("/api/v1" + path)))
                .timeout(Duration.ofSeconds(20)).header("Authorization", auth()).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return Instances.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call that must succeed (2xx); its JSON body, or null when empty. */
    JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = send(method, path, body);
        assertTrue(r.statusCode() / 100 == 2, method + " " + path + " -> " + r.statusCode() + " " + r.body());
        return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    void createTeam(String team) throws Exception {
        call("POST", "/teams", "{\"slug\":\"" + team + "\",\"name\":\"" + team + "\"}");
    }

    /** A gateway of {@code team}, its stage prod on {@code backendUrl}, a resource GET /items/{id} -> {backendPrefix}/items/{id}. */
    void createGateway(String team, String gateway, String backendUrl, String backendPrefix) throws Exception {
        call("POST", "/teams/" + team + "/gateways", "{\"name\":\"" + gateway + "\",\"description\":\"IT\"}");
        call("PUT", "/gateways/" + gateway + "/stages/prod", "{\"backend\":{\"hosts\":[{\"url\":\"" + backendUrl + "\"}]}}");
        route(gateway, backendPrefix);
    }

    void route(String gateway, String backendPrefix) throws Exception {
        call("PUT", "/gateways/" + gateway + "/resources/get_item", "{\"method\":\"GET\",\"path\":\"/items/{id}\","
                + "\"backend_path\":\"" + backendPrefix + "/items/{id}\"}");
    }

    void publish(String gateway, String title) throws Exception {
        int version = call("POST", "/gateways/" + gateway + "/versions", "{\"title\":\"" + title + "\"}").path("number").asInt();
        call("POST", "/gateways/" + gateway + "/stages/prod/releases", "{\"version\":" + version + "}");
    }

    /** A loopback backend answering 200 "ok {path}". */
    static HttpServer backend() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("ok " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    static String url(HttpServer backend) {
        return "http://127.0.0.1:" + backend.getAddress().getPort();
    }
}
