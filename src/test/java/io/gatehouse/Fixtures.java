package io.gatehouse;

import io.quarkus.test.common.QuarkusTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;

/**
 * Test data through the admin API, as a user would create it. Every name is unique, so no test
 * depends on another's data or on their order.
 */
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(TestDns.class)
public final class Fixtures {
    public static final String ADMIN = "admin";
    public static final String PASSWORD = "password-1234";
    private static final String ADMIN_PASSWORD = "admin-password-1";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();
    private static final String RUN = Long.toString(System.nanoTime() % 100000, 36);

    private Fixtures() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    /**
     * Calls as the platform admin. Fixtures sign in with a personal access token made once per user over
     * Basic: a bcrypt check per call would make the suites slow without testing anything more.
     */
    public static RequestSpecification admin() {
        return bearer(ADMIN, ADMIN_PASSWORD);
    }

    public static RequestSpecification as(String username) {
        return bearer(username, PASSWORD);
    }

    /** HTTP Basic, for the tests that are about Basic itself. */
    public static RequestSpecification basic(String username, String password) {
        return given().auth().preemptive().basic(username, password).contentType(ContentType.JSON);
    }

    private static RequestSpecification bearer(String username, String password) {
        String token = TOKENS.computeIfAbsent(username, u -> basic(u, password)
                .body(Map.of("name", "fixtures", "expires_in_days", 1)).post("/api/v1/tokens")
                .then().statusCode(201).extract().path("token"));
        return given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON);
    }

    public static RequestSpecification anonymous() {
        return given().contentType(ContentType.JSON);
    }

    public static String user() {
        String name = unique("user");
        admin().body(Map.of("username", name, "password", PASSWORD, "display_name", "Test " + name))
                .post("/api/v1/users").then().statusCode(201);
        return name;
    }

    public static String team() {
        String slug = unique("team");
        admin().body(Map.of("slug", slug, "name", "Team " + slug)).post("/api/v1/teams").then().statusCode(201);
        return slug;
    }

    public static void member(String team, String user, String role) {
        admin().body(Map.of("role", role)).put("/api/v1/teams/{t}/members/{u}", team, user)
                .then().statusCode(201);
    }

    public static String gateway(String team) {
        String name = unique("gw");
        admin().body(Map.of("name", name, "description", "test gateway"))
                .post("/api/v1/teams/{t}/gateways", team).then().statusCode(201);
        return name;
    }

    /** Declares tenant {@code name} of {@code gateway}, so tenant pools and rules may name it. */
    public static void tenant(String gateway, String name) {
        admin().body(Map.of("description", "tenant " + name)).put("/api/v1/gateways/{g}/tenants/{t}", gateway, name)
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    public static Map<String, Object> host(String url, int weight) {
        return Map.of("url", url, "weight", weight);
    }

    public static Map<String, Object> backend(Map<String, Object>... hosts) {
        return Map.of("type", "weighted_round_robin", "hosts", List.of(hosts));
    }

    public static void stage(String gateway, String stage, Map<String, Object> backend) {
        admin().body(Map.of("description", stage, "backend", backend))
                .put("/api/v1/gateways/{g}/stages/{s}", gateway, stage).then().statusCode(201);
    }

    public static void resource(String gateway, String name, String method, String path) {
        admin().body(Map.of("method", method, "path", path))
                .put("/api/v1/gateways/{g}/resources/{r}", gateway, name).then().statusCode(201);
    }

    /** A gateway of {@code team} with stage prod, resource r1 and version 1 published to prod: the access matrices' world. */
    public static String publishedGateway(String team) {
        String gw = gateway(team);
        stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        resource(gw, "r1", "GET", "/r1");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        return gw;
    }
}
