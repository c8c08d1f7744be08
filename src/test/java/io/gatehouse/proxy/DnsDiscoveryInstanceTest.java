package io.gatehouse.proxy;

import io.gatehouse.instance.ProxyRuntime;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.ExtraInstance;
import io.gatehouse.Fixtures;
import io.gatehouse.TestDns;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static io.gatehouse.Eventually.eventually;
import static io.gatehouse.Fixtures.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS discovery on real proxy instances sharing the suite's database (issue 19, item 4): the application's proxy
 * follows a name served by the suite's DNS server ({@link TestDns}) without a release, the console's Traffic tab
 * lists its addresses live and says when a lookup failed and the last good set is served, the meters count it,
 * and an instance that restarts while the DNS server is down answers the 503 that says why until the name
 * answers again.
 */
@QuarkusTest
class DnsDiscoveryInstanceTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    ProxyRuntime runtime;
    @Inject
    Vertx vertx;

    @AfterEach
    void answerAgain() {
        TestDns.answer();
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A gateway whose stage prod sends everything to {@code url} (pass_host node), published. */
    private static String publish(String url) {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", Map.of("type", "round_robin", "pass_host", "node",
                "hosts", java.util.List.of(Fixtures.host(url, 1))));
        admin().body(Map.of("method", "ANY", "path", "/", "match", "prefix"))
                .put("/api/v1/gateways/{g}/resources/{r}", gw, "all").then().statusCode(201);
        int v = admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw)
                .then().statusCode(201).extract().path("number");
        admin().body(Map.of("version", v)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        return gw;
    }

    @Test
    void theConsoleListsTheAddressesLiveAndSaysWhenTheLastGoodSetIsServed() {
        String name = Fixtures.unique("orders") + ".gatehouse.test";
        try (Backend a = new Backend(vertx, "a", "127.0.0.2", 0)) {
            try (Backend b = new Backend(vertx, "b", "127.0.0.3", a.port())) {
                String url = "http://" + name + ":" + a.port();
                TestDns.set(name, 1, "127.0.0.2");
                String gw = publish(url);
                int port = runtime.instance().port();
                eventually("the release on this instance", () -> runtime.instance().store().get(gw, "prod") != null);
                HttpResponse<String> first = get(port, "/" + gw + "/prod/x");
                assertEquals("a", first.body());
                assertEquals(name + ":" + a.port(), a.last.get().headers().get("Host"));

                ConsoleSession session = ConsoleSession.login("admin", "admin-password-1");
                String live = "/gateways/{g}/stages/prod/traffic/live";
                String fragment = session.get(live, gw).asString();
                assertTrue(fragment.contains("data-dns-name=\"" + name + "\" data-stale=\"false\""), fragment);
                assertTrue(fragment.contains("data-dns-address=\"127.0.0.2\""), fragment);
                assertTrue(fragment.contains("data-host=\"" + url + "#127.0.0.2\""), fragment);

                // A second address, without a release: listed live, and served.
                TestDns.set(name, 1, "127.0.0.2", "127.0.0.3");
                eventually("the new address listed", () -> session.get(live, gw).asString()
                        .contains("data-dns-address=\"127.0.0.3\""));
                eventually("the new address served", () -> get(port, "/" + gw + "/prod/x").body().equals("b"));

                // The server stops answering: the last good set is served, and the console and meters say so.
                TestDns.silence();
                eventually("the console says the last good set is served", () -> {
                    String now = session.get(live, gw).asString();
                    return now.contains("data-dns-name=\"" + name + "\" data-stale=\"true\"")
                            && now.contains("serving the last good set") && now.contains("last lookup failed at ");
                });
                String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
                assertTrue(metrics.matches("(?s).*\ngatehouse_dns_stale_names(\\{[^}]*})? [1-9][0-9.E]*\n.*"), metrics);
                assertTrue(metrics.matches("(?s).*\ngatehouse_dns_failures_total(\\{[^}]*})? [1-9][0-9.E]*\n.*"), metrics);
                assertEquals(200, get(port, "/" + gw + "/prod/x").statusCode());
                assertEquals(200, get(port, "/" + gw + "/prod/x").statusCode());
            }
        }
    }

    @Test
    void anInstanceRestartedWhileDnsIsDownSaysWhyUntilTheNameAnswers() throws Exception {
        String name = Fixtures.unique("billing") + ".gatehouse.test";
        try (Backend a = new Backend(vertx, "a", "127.0.0.2", 0)) {
            String url = "http://" + name + ":" + a.port();
            TestDns.set(name, 1, "127.0.0.2");
            String gw = publish(url);
            try (ProxyInstance before = ExtraInstance.named("dns-before").start()) {
                assertEquals("a", get(before.port(), "/" + gw + "/prod/x").body());
            }
            // The last good set lives in memory only: an instance that starts while DNS is down has no address for
            // the name, and says so, rather than guess one.
            TestDns.silence();
            try (ProxyInstance restarted = ExtraInstance.named("dns-restarted").start()) {
                HttpResponse<String> r = get(restarted.port(), "/" + gw + "/prod/x");
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(r.body().contains(url + " has no address: DNS lookup of " + name + " failed"), r.body());
                TestDns.answer();
                eventually("served once the name answers (retried every 5 s)", Duration.ofSeconds(20),
                        () -> get(restarted.port(), "/" + gw + "/prod/x").body().equals("a"));
            }
        }
    }
}
