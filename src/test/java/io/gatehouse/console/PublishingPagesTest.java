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
    void aStageThatRequiresApprovalTakesASecondMemberInTheConsole() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String alice = Fixtures.user();
        String bob = Fixtures.user();
        Fixtures.member(team, alice, "maintainer");
        Fixtures.member(team, bob, "maintainer");
        Fixtures.resource(gw, "r1", "GET", "/r1");
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> stage = Map.of("name", "prod", "description", "", "backend.hosts[0].url", "http://10.0.0.1:8000",
                "backend.hosts[0].weight", "1", "requires_approval", "true", "requires_approval.offered", "true");
        admin.post("/gateways/{g}/stages", stage, gw).then().statusCode(303);
        admin.post("/gateways/{g}/publishing/versions", Map.of("title", "first", "comment", ""), gw).then().statusCode(303);

        ConsoleSession a = ConsoleSession.login(alice, Fixtures.PASSWORD);
        a.get("/gateways/{g}/publishing", gw).then().statusCode(200).body(containsString("requires approval"))
                .body(containsString(">Request release<"));
        var requested = a.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "1", "comment", "ship"), gw);
        requested.then().statusCode(303);
        a.request().cookie("gatehouse-flash", flash(requested)).get("/gateways/{g}/publishing", gw).then()
                .body(containsString("request 1 (publish of version 1) waits for another maintainer or owner"))
                .body(containsString("Waiting for another maintainer or owner."))
                .body(not(containsString("Approve and release")))
                .body(containsString("resource <strong>r1</strong> added"));

        ConsoleSession b = ConsoleSession.login(bob, Fixtures.PASSWORD);
        b.get("/gateways/{g}/publishing", gw).then().body(containsString("Approve and release"))
                .body(not(containsString(">Request release<")));
        // Not shown to the requester, and refused if forged.
        a.post("/gateways/{g}/publishing/stages/prod/requests/1/approve", Map.of("comment", ""), gw).then().statusCode(403);
        b.post("/gateways/{g}/publishing/stages/prod/requests/1/approve", Map.of("comment", "ok"), gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                .body("[0].created_by", equalTo(alice)).body("[0].approved_by", equalTo(bob));
        b.get("/gateways/{g}/publishing", gw).then().body(containsString("approved by " + bob));

        // A maintainer sees the setting but cannot switch it off; the stage list marks it.
        a.get("/gateways/{g}/stages/prod", gw).then().body(containsString("only an owner can turn this off"))
                .body(not(containsString("requires_approval.offered")));
        a.get("/gateways/{g}/stages", gw).then().body(containsString(">approval</span>"));
        a.post("/gateways/{g}/stages/prod", Map.of("description", "", "backend.hosts[0].url", "http://10.0.0.2:8000",
                "backend.hosts[0].weight", "1"), gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("requires_approval", equalTo(true));
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

    @Test
    void aReleaseDiffComparesBackendConfigTenantPoolsAndEachResourcesEffectiveHosts() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 5), host("http://10.0.0.2:8000", 2)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        Fixtures.admin().body(Map.of("method", "GET", "path", "/r2", "overrides", Map.of("prod",
                backend(host("http://10.0.0.9:8000", 1))))).put("/api/v1/gateways/{g}/resources/r2", gw).then().statusCode(201);
        Fixtures.admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        Fixtures.admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        // Release 2: weight 2 -> 4 and a tenant pool; the same version, so the resources do not change.
        Map<String, Object> b2 = new java.util.HashMap<>(backend(host("http://10.0.0.1:8000", 5), host("http://10.0.0.2:8000", 4)));
        b2.put("tenant_pools", Map.of("acme", java.util.List.of(host("http://10.0.1.1:8000", 1))));
        Fixtures.tenant(gw, "acme"); // tenant pools may name only declared tenants
        Fixtures.admin().body(Map.of("backend", b2)).put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        Fixtures.admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);

        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases/1/diff/2", gw).then().statusCode(200)
                .body("backend.find { it.field == 'hosts[1].weight' }.from", equalTo(2))
                .body("backend.find { it.field == 'hosts[1].weight' }.to", equalTo(4))
                .body("backend.find { it.field == 'tenant_pools.acme[0].url' }.to", equalTo("http://10.0.1.1:8000"))
                .body("host_moves.size()", equalTo(2))
                .body("host_moves[0].resource", equalTo(null))
                .body("host_moves[0].pool", equalTo("default"))
                .body("host_moves[0].from", equalTo(java.util.List.of("http://10.0.0.1:8000 ×5", "http://10.0.0.2:8000 ×2")))
                .body("host_moves[0].to", equalTo(java.util.List.of("http://10.0.0.1:8000 ×5", "http://10.0.0.2:8000 ×4")))
                .body("host_moves[1].pool", equalTo("acme"))
                .body("host_moves[1].from", equalTo(java.util.List.of()))
                // r1 follows the stage config, so its effective config changes; r2's override does not.
                .body("effective.r1.find { it.field == 'hosts[1].weight' }.to", equalTo(4))
                .body("effective.r2", equalTo(null))
                .body("resources.changed.size()", equalTo(0));
        // Reversed, against the draft, and a release that does not exist.
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases/2/diff/1", gw).then().statusCode(200)
                .body("host_moves[1].to", equalTo(java.util.List.of()));
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases/2/diff/draft", gw).then().statusCode(200)
                .body("backend.size()", equalTo(0)).body("host_moves.size()", equalTo(0));
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod/releases/9/diff/draft", gw).then().statusCode(404);

        // The page: coloured rows, host moves on top.
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/publishing/diff?stage=prod&a=1&b=2", gw).then().statusCode(200)
                .body(containsString("Which resources and tenants change hosts"))
                .body(containsString("<tr class=\"diff-changed\" data-field=\"hosts[1].weight\"><td><code>hosts[1].weight</code></td><td class=\"diff-from\">2</td><td class=\"diff-to\">4</td></tr>"))
                .body(containsString("<tr class=\"diff-added\" data-field=\"tenant_pools.acme[0].url\">"))
                .body(containsString("data-effective=\"r1\""))
                .body(not(containsString("data-effective=\"r2\"")));
        admin.get("/gateways/{g}/publishing/diff?stage=prod&a=2&b=draft", gw).then().statusCode(200)
                .body(containsString("No differences: both serve exactly the same."));
        admin.get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(containsString("data-testid=\"compare-prod\""));
    }
}
