package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The Hosts tab: every host of the gateway with its state, and the switch, through the same service as the API. */
@QuarkusTest
class HostStatePagesTest {

    @Test
    void drainingFromTheConsoleNeedsNoReleaseAndViewersSeeNoSwitch() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 2), host("http://10.0.0.2:8000", 1)));
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/hosts", gw).then().statusCode(200)
                .body(containsString("<tr data-host=\"http://10.0.0.1:8000\">"))
                .body(containsString("<tr data-host=\"http://10.0.0.2:8000\">"))
                .body(containsString("value=\"draining\">Drain</button>"));

        admin.post("/gateways/{g}/hosts", Map.of("url", "http://10.0.0.2:8000", "state", "draining",
                "reason", "disk replacement"), gw).then().statusCode(303)
                .header("Location", endsWith("/gateways/" + gw + "/hosts"));
        Fixtures.admin().get("/api/v1/gateways/{g}/host-states", gw).then().statusCode(200)
                .body("[0].url", equalTo("http://10.0.0.2:8000")).body("[0].state", equalTo("draining"))
                .body("[0].reason", equalTo("disk replacement"));
        admin.get("/gateways/{g}/hosts", gw).then().statusCode(200)
                .body(containsString("<span class=\"badge state-draining\" data-testid=\"state\">draining</span>"))
                .body(containsString("disk replacement"));

        // A bad state comes back as the flash error, nothing saved.
        admin.post("/gateways/{g}/hosts", Map.of("url", "http://10.0.0.1:8000", "state", "asleep"), gw).then()
                .statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/host-states", gw).then().body("size()", equalTo(1));

        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        ConsoleSession.login(viewer, Fixtures.PASSWORD).get("/gateways/{g}/hosts", gw).then().statusCode(200)
                .body(containsString("state-draining"))
                .body(not(containsString("Drain</button>")));
    }
}
