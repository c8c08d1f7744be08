package io.gatehouse.release;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.as;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stages that require approval: four eyes on every publish and rollback, over the admin API. */
@QuarkusTest
class ApprovalApiTest {
    @Inject
    DataSource db;

    private String team;
    private String gw;
    private String alice;
    private String bob;
    private String owner;
    private String viewer;

    @BeforeEach
    void gatewayWithAProtectedStage() {
        team = Fixtures.team();
        gw = Fixtures.gateway(team);
        alice = Fixtures.user();
        bob = Fixtures.user();
        owner = Fixtures.user();
        viewer = Fixtures.user();
        Fixtures.member(team, alice, "maintainer");
        Fixtures.member(team, bob, "maintainer");
        Fixtures.member(team, owner, "owner");
        Fixtures.member(team, viewer, "viewer");
        Fixtures.resource(gw, "items", "GET", "/items");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        as(owner).body(Map.of("backend", backend(host("http://10.0.0.1:80", 1)), "requires_approval", true))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201)
                .body("requires_approval", equalTo(true));
    }

    private int request(String who, int version) {
        return as(who).body(Map.of("version", version, "comment", "please")).post(
                        "/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(202).body("status", equalTo("pending")).body("requested_by", equalTo(who))
                .extract().path("number");
    }

    private void setHosts(String who, String url) {
        as(who).body(Map.of("backend", backend(host(url, 1)))).put("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(200);
    }

    @Test
    void aPublishWaitsForASecondMemberAndThenReleasesWhatWasRequested() {
        int n = request(alice, 1);
        assertEquals(1, n);
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("size()", equalTo(0));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests/1", gw).then().statusCode(200)
                .body("request.kind", equalTo("publish")).body("request.version", equalTo(1))
                .body("request.base_release", nullValue()).body("resources.added", contains("items"));

        // The draft moves on after the request: the approver still releases exactly what was requested.
        setHosts(alice, "http://10.0.0.99:80");
        as(alice).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(403).body("detail", containsString("needs a second member"));
        as(viewer).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(403);
        as(bob).body(Map.of("comment", "lgtm")).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(201).body("number", equalTo(1)).body("created_by", equalTo(alice))
                .body("approved_by", equalTo(bob)).body("comment", equalTo("please"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases/1", gw).then()
                .body("backend.hosts[0].url", equalTo("http://10.0.0.1:80"));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests", gw).then()
                .body("[0].status", equalTo("approved")).body("[0].decided_by", equalTo(bob))
                .body("[0].decision_comment", equalTo("lgtm")).body("[0].release", equalTo(1));
        as(bob).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(409).body("detail", equalTo("request 1 is already approved"));
        admin().get("/api/v1/gateways/{g}/audit", gw).then()
                .body("action", hasItems("release.request", "release.publish", "release.approve"));
    }

    @Test
    void oneOpenRequestPerStageAndOnlyTheRequesterWithdraws() {
        request(alice, 1);
        as(bob).body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(409).body("detail", containsString("already has release request 1 by " + alice));
        as(bob).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/withdraw", gw)
                .then().statusCode(403).body("detail", containsString("reject it instead"));
        as(owner).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/withdraw", gw)
                .then().statusCode(403);
        as(alice).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/withdraw", gw)
                .then().statusCode(200).body("status", equalTo("withdrawn")).body("decided_by", equalTo(alice));

        assertEquals(2, request(bob, 1));
        as(alice).body(Map.of("comment", "c".repeat(1001)))
                .post("/api/v1/gateways/{g}/stages/prod/release-requests/2/reject", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("comment"));
        as(alice).body(Map.of("comment", "not on a Friday"))
                .post("/api/v1/gateways/{g}/stages/prod/release-requests/2/reject", gw)
                .then().statusCode(200).body("status", equalTo("rejected"));
        as(alice).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/3/approve", gw)
                .then().statusCode(404);
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("size()", equalTo(0));
    }

    @Test
    void approvalRefusesARequestWhoseStageChangedSinceItWasMade() {
        request(alice, 1);
        // An owner switches approval off and publishes directly: the request's base is gone.
        as(owner).body(Map.of("backend", backend(host("http://10.0.0.1:80", 1)), "requires_approval", false))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        as(bob).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(409).body("detail", containsString("has changed since request 1 was made"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("size()", equalTo(1))
                .body("[0].approved_by", nullValue());
    }

    @Test
    void rollbackToAStageThatRequiresApprovalIsARequestToo() {
        as(owner).body(Map.of("backend", backend(host("http://10.0.0.1:80", 1)), "requires_approval", false))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        setHosts(owner, "http://10.0.0.2:80");
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        as(owner).body(Map.of("backend", backend(host("http://10.0.0.2:80", 1)), "requires_approval", true))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);

        as(alice).body(Map.of("release", 1)).post("/api/v1/gateways/{g}/stages/prod/rollback", gw)
                .then().statusCode(202).body("kind", equalTo("rollback")).body("rollback_of", equalTo(1))
                .body("base_release", equalTo(2));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests/1", gw).then()
                .body("backend.field", contains("hosts[0].url"));
        as(owner).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(201).body("number", equalTo(3)).body("rollback_of", equalTo(1))
                .body("approved_by", equalTo(owner));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases/3", gw).then()
                .body("backend.hosts[0].url", equalTo("http://10.0.0.1:80"));
    }

    @Test
    void onlyAnOwnerTurnsApprovalOffOrDeletesTheStage() {
        // Leaving the field out keeps the setting, so pipelines that PUT backend only change nothing.
        setHosts(alice, "http://10.0.0.5:80");
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("requires_approval", equalTo(true));
        long audit = auditCount();
        as(alice).body(Map.of("backend", backend(host("http://10.0.0.6:80", 1)), "requires_approval", false))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(403)
                .body("detail", containsString("turning requires_approval off needs the owner role"));
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("requires_approval", equalTo(true))
                .body("backend.hosts[0].url", equalTo("http://10.0.0.5:80"));
        assertEquals(audit, auditCount());
        as(alice).delete("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(403);

        // Turning it on is safe for a maintainer; a new stage can start with it.
        as(alice).body(Map.of("backend", backend(host("http://10.0.0.7:80", 1)), "requires_approval", true))
                .put("/api/v1/gateways/{g}/stages/live", gw).then().statusCode(201).body("requires_approval", equalTo(true));
        as(owner).delete("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(204);
    }

    /** A platform admin may do anything in any team, except be both pairs of eyes on one release. */
    @Test
    void aPlatformAdminCannotApproveOrRejectTheirOwnRequest() {
        request(Fixtures.ADMIN, 1);
        admin().body(Map.of("comment", "mine")).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("forbidden"))
                .body("detail", containsString("needs a second member"));
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/reject", gw)
                .then().statusCode(403).body("code", equalTo("forbidden"));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests/1", gw).then().statusCode(200)
                .body("request.status", equalTo("pending"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("size()", equalTo(0));
        // Another member approves it.
        as(bob).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(201).body("created_by", equalTo(Fixtures.ADMIN)).body("approved_by", equalTo(bob));
    }

    @Test
    void theDatabaseRefusesSelfApprovalToo() throws SQLException {
        request(alice, 1);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(
                    "update release_request set status = 'rejected', decided_by = requested_by, decided_at = now()"
                            + " where requested_by = '" + alice + "'"));
            assertTrue(e.getMessage().contains("check constraint"), e.getMessage());
        }
    }

    @Test
    void exportKeepsTheSettingAndImportWithoutItChangesNothing() {
        String doc = admin().get("/api/v1/gateways/{g}/export?format=json", gw).then().statusCode(200)
                .body("stages.prod.requires_approval", equalTo(true)).extract().asString();
        String copy = Fixtures.gateway(team);
        admin().contentType("application/json").body(doc).put("/api/v1/gateways/{g}/import?format=json", copy)
                .then().statusCode(200);
        admin().get("/api/v1/gateways/{g}/stages/prod", copy).then().body("requires_approval", equalTo(true));
        io.vertx.core.json.JsonObject without = new io.vertx.core.json.JsonObject(doc);
        without.getJsonObject("stages").getJsonObject("prod").remove("requires_approval");
        as(alice).contentType("application/json").body(without.encode())
                .put("/api/v1/gateways/{g}/import?format=json", gw).then().statusCode(200)
                .body("stages", equalTo(Map.of()));
        admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("requires_approval", equalTo(true));
    }

    private long auditCount() {
        return admin().get("/api/v1/gateways/{g}/audit?limit=500", gw).then().extract().jsonPath().getList("$").size();
    }
}
