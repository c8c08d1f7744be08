package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** Publishing pages: version, publish, history, unpublished changes, diff and rollback, over the publishing services. */
@QuarkusTest
class PublishingPagesTest {

    private static String flash(io.restassured.response.Response r) {
        return r.getCookie("gatehouse-flash");
    }

    @Test
    void versionPublishDiffAndRollback() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(containsString("Never published")).body(containsString("unpublished changes"));

        admin.post("/gateways/{g}/publishing/versions", Map.of("title", "first", "comment", ""), gw).then().statusCode(303);
        admin.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "1", "comment", "go live"), gw)
                .then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(200)
                .body("[0].comment", equalTo("go live"));

        // A second version with another resource and other hosts, published, then rolled back to release 1.
        Fixtures.resource(gw, "r2", "GET", "/r2");
        admin.get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(containsString("resource <strong>r2</strong> added"));
        admin.post("/gateways/{g}/publishing/versions", Map.of("title", "second", "comment", ""), gw).then().statusCode(303);
        admin.get("/gateways/{g}/publishing/diff?a=1&b=2", gw).then().statusCode(200)
                .body(containsString("<strong>r2</strong>"));
        admin.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "2", "comment", ""), gw)
                .then().statusCode(303);
        var again = admin.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "2", "comment", ""), gw);
        again.then().statusCode(303);
        admin.request().cookie("gatehouse-flash", flash(again)).get("/gateways/{g}/publishing", gw).then()
                .body(containsString("nothing to publish"));
        admin.post("/gateways/{g}/publishing/stages/prod/rollback", Map.of("release", "1", "comment", "oops"), gw)
                .then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                .body("[0].rollback_of", equalTo(1)).body("[0].version", equalTo(1));
        admin.get("/gateways/{g}/publishing", gw).then().statusCode(200).body(containsString("rollback to 1"));
    }

    @Test
    void viewersSeeHistoryButCannotPublish() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        ConsoleSession s = ConsoleSession.login(viewer, Fixtures.PASSWORD);
        s.get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(not(containsString("Create version"))).body(not(containsString(">Publish<")));
        s.post("/gateways/{g}/publishing/versions", Map.of("title", "x"), gw).then().statusCode(403);
    }
}
