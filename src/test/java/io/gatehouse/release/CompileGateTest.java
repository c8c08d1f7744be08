package io.gatehouse.release;

import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.as;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * The proxy's compiler is the gate: a release it would not serve in full is refused before anything is
 * written, naming the resource and the field. The broken rows are written with SQL, as rows saved under
 * older rules would be: the admin API itself no longer lets them in.
 */
@QuarkusTest
class CompileGateTest {
    @Inject
    DataSource db;

    /** A gateway with stage prod, resources ok and broken (its backend_path made to use a parameter its path lacks, in the database), version 1. */
    private String gatewayWithABrokenVersion(boolean requiresApproval) {
        String gw = Fixtures.gateway(Fixtures.team());
        admin().body(Map.of("backend", backend(host("http://10.0.0.1:80", 1)), "requires_approval", requiresApproval))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
        Fixtures.resource(gw, "ok", "GET", "/ok");
        Fixtures.resource(gw, "broken", "GET", "/broken");
        sql("update api_resource set backend_path = '/b/{y}' where name = 'broken'"
                + " and gateway_id = (select id from gateway where name = ?)", gw);
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        return gw;
    }

    @Test
    void publishingAResourceTheCompilerRefusesIs422NamingItAndWritesNothing() {
        String gw = gatewayWithABrokenVersion(false);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("validation_failed"))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("resources.broken.backend_path"))
                .body("errors[0].message", equalTo("resource broken: backend_path uses {y}, which the path does not define"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(200).body("$", hasSize(0));
        admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .body("action", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("release.publish")));

        // The console shows the problem before the button, and a publish from there is refused the same way.
        ConsoleSession console = ConsoleSession.login("admin", "admin-password-1");
        console.get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(containsString("data-testid=\"problems-prod\""))
                .body(containsString("<code>resources.broken.backend_path</code>: resource broken: backend_path uses {y}, which the path does not define"));
        var refused = console.post("/gateways/{g}/publishing/stages/prod/publish", Map.of("version", "1", "comment", ""), gw);
        refused.then().statusCode(303);
        console.request().cookie("gatehouse-flash", refused.getCookie("gatehouse-flash"))
                .get("/gateways/{g}/publishing", gw).then().statusCode(200)
                .body(containsString("flash flash-error"))
                .body(containsString("resources.broken.backend_path: resource broken: backend_path uses {y}, which the path does not define"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("$", hasSize(0));
    }

    @Test
    void aRequestThatCannotCompileIsNotOpenedAndOneThatStoppedCompilingIsNotApproved() {
        String gw = gatewayWithABrokenVersion(true);
        admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("resources.broken.backend_path"));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests", gw).then().statusCode(200).body("$", hasSize(0));

        // A request made while it compiled, whose frozen resources no longer do: approval compiles it again.
        sql("update api_resource set backend_path = '/broken' where name = 'broken'"
                + " and gateway_id = (select id from gateway where name = ?)", gw);
        admin().body(Map.of("title", "v2")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        admin().body(Map.of("version", 2)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(202);
        sql("update release_request set resources = jsonb_set(resources, '{broken,backend_path}', '\"/b/{y}\"')"
                + " where stage_id = (select s.id from stage s join gateway g on g.id = s.gateway_id"
                + " where g.name = ? and s.name = 'prod')", gw);
        String approver = Fixtures.user();
        Fixtures.member(admin().get("/api/v1/gateways/{g}", gw).then().extract().path("team"), approver, "maintainer");
        as(approver).body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/release-requests/1/approve", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("resources.broken.backend_path"));
        admin().get("/api/v1/gateways/{g}/stages/prod/release-requests/1", gw).then().statusCode(200)
                .body("request.status", equalTo("pending"))
                .body("problems[0].field", equalTo("resources.broken.backend_path"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("$", hasSize(0));
    }

    private void sql(String statement, String gw) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(statement)) {
            s.setString(1, gw);
            if (s.executeUpdate() != 1) {
                throw new AssertionError("expected one row changed by " + statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
