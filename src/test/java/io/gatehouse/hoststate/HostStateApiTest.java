package io.gatehouse.hoststate;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/** PUT/GET /api/v1/gateways/{gw}/host-states: validation naming the field, no release needed, audited. */
@QuarkusTest
class HostStateApiTest {

    @Test
    void drainingAndBackToActiveWithoutARelease() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 5), host("HTTP://10.0.0.2", 1)));
        admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200).body("$", empty());

        // The URL is matched in its canonical form (lower case, port always present).
        admin().body(Map.of("url", "http://10.0.0.2", "state", "draining", "reason", "kernel upgrade"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200)
                .body("url", equalTo("http://10.0.0.2:80")).body("state", equalTo("draining"))
                .body("reason", equalTo("kernel upgrade")).body("updated_by", equalTo("admin"));
        admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200)
                .body("url", contains("http://10.0.0.2:80")).body("state", contains("draining"));
        admin().body(Map.of("url", "http://10.0.0.1:8000", "state", "disabled"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200).body("reason", equalTo(""));
        admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200)
                .body("url", contains("http://10.0.0.1:8000", "http://10.0.0.2:80"))
                .body("state", contains("disabled", "draining"));

        admin().body(Map.of("url", "http://10.0.0.2:80", "state", "active", "reason", "done"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200).body("state", equalTo("active"));
        admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200)
                .body("url", contains("http://10.0.0.1:8000"));
        // No release was needed, and none was made.
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(200).body("$", empty());
        admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.hasItems("host_state.draining", "host_state.disabled",
                        "host_state.active"))
                .body("find { it.action == 'host_state.draining' }.target",
                        equalTo("gateway/" + gw + "/host-states/http://10.0.0.2:80"));
    }

    @Test
    void badInputNamesTheFieldAndSavesNothing() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        admin().body(Map.of("url", "http://10.0.0.1:8000", "state", "sleeping"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(422)
                .body("errors.field", contains("state"))
                .body("errors.message", contains("must be one of active, draining, disabled"));
        admin().body(Map.of("url", "10.0.0.1:8000/x", "state", "draining"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(422)
                .body("errors.field", contains("url"));
        admin().body(Map.of("url", "http://10.0.0.1:8000", "state", "draining", "reason", "x".repeat(501)))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(422)
                .body("errors.field", contains("reason"));
        // A typo on the emergency lever must not look like success.
        admin().body(Map.of("url", "http://10.0.0.7:8000", "state", "draining"))
                .put("/api/v1/gateways/{g}/host-states", gw).then().statusCode(422)
                .body("errors.field", contains("url"))
                .body("errors[0].message", equalTo("names no host of gateway '" + gw + "' (its stages, overrides"
                        + " and live releases use: http://10.0.0.1:8000)"));
        admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200).body("$", empty());
    }

    @Test
    void hostsOfOverridesAndTenantPoolsCount() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.tenant(gw, "acme");
        Fixtures.stage(gw, "prod", Map.of("type", "round_robin", "hosts", List.of(host("http://10.0.0.1:8000", 1)),
                "tenant_pools", Map.of("acme", List.of(host("http://acme-1:8080", 1)))));
        admin().body(Map.of("method", "GET", "path", "/x", "overrides",
                Map.of("prod", backend(host("https://orders.internal", 1))))).put("/api/v1/gateways/{g}/resources/x", gw)
                .then().statusCode(201);
        for (String url : List.of("http://acme-1:8080", "https://orders.internal:443")) {
            admin().body(Map.of("url", url, "state", "disabled")).put("/api/v1/gateways/{g}/host-states", gw)
                    .then().statusCode(200);
        }
    }
}
