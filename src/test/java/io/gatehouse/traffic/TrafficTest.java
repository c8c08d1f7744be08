package io.gatehouse.traffic;

import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.gatehouse.proxy.Backend;
import io.gatehouse.instance.ProxyRuntime;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The traffic of a published stage, end to end on the application's own proxy: the Prometheus
 * counters at /q/metrics move by exactly the requests sent, per host and status class; host health
 * and publish propagation are there too; the proxy port adds no raw-path series; and the console's
 * traffic fragment shows the same counts per pool and host.
 */
@QuarkusTest
class TrafficTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    Vertx vertx;

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.instance().port() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value of the one sample of {@code metric} whose labels include all of {@code labels}, or 0. */
    private static double sample(String scraped, String metric, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)} (\\S+)$").matcher(scraped);
        double found = 0;
        int matches = 0;
        while (m.find()) {
            String set = m.group(1);
            boolean all = true;
            for (String l : labels) {
                all &= set.contains(l);
            }
            if (all) {
                found = Double.parseDouble(m.group(2));
                matches++;
            }
        }
        assertTrue(matches <= 1, metric + " " + List.of(labels) + " names " + matches + " series");
        return found;
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void countersHealthPropagationAndTheTrafficViewAgreeWithWhatWasSent() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             Backend dead = new Backend(vertx, "dead")) {
            dead.stop();
            String team = Fixtures.team();
            String gw = Fixtures.gateway(team);
            Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host(a.url(), 3), Fixtures.host(b.url(), 1)));
            Fixtures.resource(gw, "items", "GET", "/items");
            // A resource whose override has only a dead host, probed and taken out at once: with panic off, its
            // requests get 503 (with panic on, an all-down pool would spread over its hosts and answer 502).
            admin().body(Map.of("method", "GET", "path", "/broken", "overrides", Map.of("prod", Map.of(
                    "hosts", List.of(Fixtures.host(dead.url(), 1)), "panic_threshold", 0,
                    "health_check", Map.of("path", "/health", "interval_ms", 100, "timeout_ms", 100,
                            "unhealthy_threshold", 1)))))
                    .put("/api/v1/gateways/{g}/resources/broken", gw).then().statusCode(201);
            int v = admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw)
                    .then().statusCode(201).extract().path("number");
            admin().body(Map.of("version", v)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                    .then().statusCode(201);
            eventually("the release on this instance", () -> runtime.instance().store().get(gw, "prod") != null);
            String g = "gateway=\"" + gw + "\"";
            eventually("the dead host marked down", () -> {
                String now = metrics();
                return now.contains("host=\"" + dead.url() + "\"")
                        && sample(now, "gatehouse_proxy_host_up", g, "host=\"" + dead.url() + "\"") == 0.0;
            });

            for (int i = 0; i < 100; i++) {
                assertEquals(200, status("/" + gw + "/prod/items"));
            }
            assertEquals(404, status("/" + gw + "/prod/no-such-resource"));
            assertEquals(503, status("/" + gw + "/prod/broken"));
            String expected = "data-host=\"" + b.url() + "\" data-requests=\"25\"";
            ConsoleSession session = ConsoleSession.login("admin", "admin-password-1");
            eventually("the last request recorded", () -> session.get("/gateways/{g}/stages/prod/traffic/live", gw)
                    .asString().contains(expected));

            String scraped = metrics();
            assertEquals(75.0, sample(scraped, "gatehouse_proxy_requests_total", g, "stage=\"prod\"",
                    "resource=\"items\"", "host=\"" + a.url() + "\"", "status=\"2xx\"", "tenant=\"(none)\""));
            assertEquals(25.0, sample(scraped, "gatehouse_proxy_requests_total", g, "host=\"" + b.url() + "\"",
                    "status=\"2xx\""));
            assertEquals(1.0, sample(scraped, "gatehouse_proxy_requests_total", g, "resource=\"(none)\"",
                    "host=\"(none)\"", "status=\"4xx\""));
            assertEquals(1.0, sample(scraped, "gatehouse_proxy_requests_total", g, "resource=\"broken\"",
                    "host=\"(none)\"", "status=\"5xx\""));
            assertEquals(75.0, sample(scraped, "gatehouse_proxy_request_duration_seconds_count", g,
                    "host=\"" + a.url() + "\""));
            assertEquals(75.0, sample(scraped, "gatehouse_proxy_request_duration_seconds_bucket", g,
                    "host=\"" + a.url() + "\"", "le=\"+Inf\""));
            assertEquals(1.0, sample(scraped, "gatehouse_proxy_host_up", g, "host=\"" + a.url() + "\""));
            assertEquals(0.0, sample(scraped, "gatehouse_proxy_host_up", g, "host=\"" + dead.url() + "\""));
            assertEquals(1.0, sample(scraped, "gatehouse_release_propagation_seconds_count", g, "stage=\"prod\""));
            // Quarkus' own HTTP metrics would tag the proxy's requests with their raw paths: refused.
            assertEquals(List.of(), scraped.lines().filter(l -> l.contains("/" + gw + "/prod")).toList(),
                    "proxy paths in /q/metrics");

            // The console's fragment: the same counts per pool and host, health, and the 503s of the override.
            String fragment = session.get("/gateways/{g}/stages/prod/traffic/live", gw).then().statusCode(200)
                    .extract().asString();
            assertTrue(fragment.contains("data-host=\"" + a.url() + "\" data-requests=\"75\" data-errors=\"0\" "
                    + "data-health=\"up\""), fragment);
            assertTrue(fragment.contains(expected), fragment);
            assertTrue(fragment.contains("<strong data-col=\"actual\">75.0%</strong> <span class=\"muted\">vs 75.0%</span>"),
                    fragment);
            assertTrue(fragment.contains("data-host=\"" + dead.url() + "\" data-requests=\"0\" data-errors=\"0\" "
                    + "data-health=\"down\""), fragment);
            assertTrue(fragment.contains("<span data-testid=\"no-host\">1 sent to no host (503 no healthy host, or refused)</span>"),
                    fragment);
            assertTrue(fragment.contains("data-total=\"102\""), fragment);
            assertTrue(fragment.contains("hx-trigger=\"every 3s\""), fragment);
        }
    }

    @Test
    void viewersSeeTheTrafficPageAndOtherTeamsGet404() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://127.0.0.1:9", 1)));
        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        String outsider = Fixtures.user();
        Fixtures.member(Fixtures.team(), outsider, "owner");

        ConsoleSession.login(viewer, Fixtures.PASSWORD).get("/gateways/{g}/stages/prod/traffic", gw).then()
                .statusCode(200)
                .body(containsString("this console process's own proxy"))
                .body(containsString("No release of prod is served by this instance yet"))
                .body(containsString("hx-get=\"/gateways/" + gw + "/stages/prod/traffic/live\""));
        ConsoleSession.login(outsider, Fixtures.PASSWORD).get("/gateways/{g}/stages/prod/traffic", gw).then()
                .statusCode(404);
        ConsoleSession.login(outsider, Fixtures.PASSWORD).get("/gateways/{g}/stages/prod/traffic/live", gw).then()
                .statusCode(404);
        ConsoleSession.login(viewer, Fixtures.PASSWORD).get("/gateways/{g}/stages/nope/traffic", gw).then()
                .statusCode(404);
    }
}
