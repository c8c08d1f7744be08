package io.gatehouse.release;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class PublishingApiTest {
    @Inject
    DataSource db;

    private static int version(String gw, String title) {
        return admin().body(Map.of("title", title, "comment", "c")).post("/api/v1/gateways/{g}/versions", gw)
                .then().statusCode(201).extract().path("number");
    }

    private static int publish(String gw, String stage, int version) {
        return admin().body(Map.of("version", version, "comment", "go")).post("/api/v1/gateways/{g}/stages/{s}/releases", gw, stage)
                .then().statusCode(201).extract().path("number");
    }

    @Test
    void aVersionIsASnapshotThatLaterEditsDoNotTouch() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.resource(gw, "users", "GET", "/users");
        int v1 = version(gw, "first");
        admin().body(Map.of("method", "POST", "path", "/users")).put("/api/v1/gateways/{g}/resources/users", gw)
                .then().statusCode(200);
        admin().delete("/api/v1/gateways/{g}/resources/users", gw).then().statusCode(204);
        admin().get("/api/v1/gateways/{g}/versions/{n}", gw, v1).then().statusCode(200)
                .body("users.method", equalTo("GET")).body("users.path", equalTo("/users"));
        admin().get("/api/v1/gateways/{g}/versions", gw).then().body("number", contains(1))
                .body("[0].created_by", equalTo("admin")).body("[0].resources", equalTo(1));
    }

    @Test
    void diffListsAddedRemovedAndChangedFields() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        Fixtures.resource(gw, "keep", "GET", "/keep");
        Fixtures.resource(gw, "gone", "GET", "/gone");
        Fixtures.resource(gw, "edit", "GET", "/edit/{id}");
        int v1 = version(gw, "v1");
        admin().delete("/api/v1/gateways/{g}/resources/gone", gw).then().statusCode(204);
        Fixtures.resource(gw, "fresh", "POST", "/fresh");
        admin().body(Map.of("method", "PUT", "path", "/edit/{id}", "backend_path", "/v2/edit/{id}",
                        "overrides", Map.of("prod", backend(host("http://10.0.0.9:80", 3)))))
                .put("/api/v1/gateways/{g}/resources/edit", gw).then().statusCode(200);
        int v2 = version(gw, "v2");
        admin().get("/api/v1/gateways/{g}/versions/{a}/diff/{b}", gw, v1, v2).then().statusCode(200)
                .body("resources.added", contains("fresh"))
                .body("resources.removed", contains("gone"))
                .body("resources.changed.keySet()", contains("edit"))
                .body("resources.changed.edit.field", contains("backend_path", "method",
                        "overrides.prod.hosts[0].url", "overrides.prod.hosts[0].weight", "overrides.prod.pass_host",
                        "overrides.prod.retries", "overrides.prod.tenant_fallback", "overrides.prod.tenant_header",
                        "overrides.prod.timeouts.connect_ms", "overrides.prod.timeouts.read_ms",
                        "overrides.prod.type"))
                .body("resources.changed.edit.find { it.field == 'method' }.from", equalTo("GET"))
                .body("resources.changed.edit.find { it.field == 'method' }.to", equalTo("PUT"))
                .body("resources.changed.edit.find { it.field == 'overrides.prod.hosts[0].weight' }.to", equalTo(3));
        admin().get("/api/v1/gateways/{g}/versions/{a}/diff/draft", gw, v2).then().statusCode(200)
                .body("resources.added", empty()).body("resources.removed", empty());
        admin().get("/api/v1/gateways/{g}/versions/9/diff/draft", gw).then().statusCode(404);
        admin().body(Map.of("title", "same")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(409)
                .body("detail", equalTo("the resources have not changed since version 2"));
    }

    @Test
    void publishingToTestLeavesProdUntouchedAndTracksWhatIsUnpublished() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "test", backend(host("http://10.0.1.1:80", 1)));
        Fixtures.stage(gw, "prod", backend(host("http://10.0.2.1:80", 1)));
        Fixtures.resource(gw, "a", "GET", "/a");
        int v1 = version(gw, "v1");
        admin().get("/api/v1/gateways/{g}/unpublished", gw).then().statusCode(200)
                .body("find { it.stage == 'prod' }.unpublished", equalTo(true))
                .body("find { it.stage == 'prod' }.live_release", nullValue());
        publish(gw, "prod", v1);
        Fixtures.resource(gw, "b", "GET", "/b");
        int v2 = version(gw, "v2");
        publish(gw, "test", v2);

        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                .body("number", contains(1)).body("[0].version", equalTo(v1));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases/1", gw).then()
                .body("resources.keySet()", contains("a"))
                .body("backend.hosts[0].url", equalTo("http://10.0.2.1:80"));
        admin().get("/api/v1/gateways/{g}/unpublished", gw).then()
                .body("find { it.stage == 'test' }.unpublished", equalTo(false))
                .body("find { it.stage == 'prod' }.unpublished", equalTo(true))
                .body("find { it.stage == 'prod' }.resources.added", contains("b"))
                .body("find { it.stage == 'prod' }.backend", empty());

        admin().body(Map.of("backend", backend(host("http://10.0.2.2:80", 4))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin().get("/api/v1/gateways/{g}/unpublished", gw).then()
                .body("find { it.stage == 'prod' }.backend.field", contains("hosts[0].url", "hosts[0].weight"));
    }

    /**
     * What is unpublished is remembered between views (DraftDiffs, per release and draft revision), so each
     * check follows a view: an edit, an edit back, a delete, an import and a publish must each show at once.
     */
    @Test
    void whatIsUnpublishedFollowsEachDraftChangeRightAfterAView() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.2.1:80", 1)));
        Fixtures.resource(gw, "a", "GET", "/a");
        publish(gw, "prod", version(gw, "v1"));
        prod(gw).body("unpublished", equalTo(false)).body("resources.changed.keySet()", empty());

        admin().body(Map.of("method", "POST", "path", "/a")).put("/api/v1/gateways/{g}/resources/a", gw)
                .then().statusCode(200);
        for (int view = 0; view < 2; view++) {
            prod(gw).body("unpublished", equalTo(true)).body("resources.changed.keySet()", contains("a"))
                    .body("resources.changed.a.field", contains("method"));
        }
        admin().body(Map.of("method", "GET", "path", "/a")).put("/api/v1/gateways/{g}/resources/a", gw)
                .then().statusCode(200);
        prod(gw).body("unpublished", equalTo(false)).body("resources.changed.keySet()", empty());

        admin().delete("/api/v1/gateways/{g}/resources/a", gw).then().statusCode(204);
        prod(gw).body("unpublished", equalTo(true)).body("resources.removed", contains("a"))
                .body("resources.added", empty());

        String doc = "stages:\n  prod:\n    backend:\n      hosts:\n      - url: http://10.0.2.1:80\n        weight: 1\n"
                + "resources:\n  c:\n    method: GET\n    path: /c\n";
        admin().contentType("application/yaml").body(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .put("/api/v1/gateways/{g}/import", gw).then().statusCode(200);
        prod(gw).body("unpublished", equalTo(true)).body("resources.removed", contains("a"))
                .body("resources.added", contains("c"));

        publish(gw, "prod", version(gw, "v2"));
        prod(gw).body("unpublished", equalTo(false)).body("live_release", equalTo(2))
                .body("resources.added", empty()).body("resources.removed", empty());
    }

    private static io.restassured.response.ValidatableResponse prod(String gw) {
        return admin().get("/api/v1/gateways/{g}/unpublished", gw).then().statusCode(200).rootPath("find { it.stage == 'prod' }");
    }

    @Test
    void rollbackRestoresTheOldHostsAndWeights() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 5), host("http://10.0.0.2:80", 1)));
        Fixtures.resource(gw, "a", "GET", "/a");
        int v1 = version(gw, "v1");
        publish(gw, "prod", v1);
        admin().body(Map.of("backend", backend(host("http://10.0.0.3:80", 1))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        publish(gw, "prod", v1);
        admin().get("/api/v1/gateways/{g}/stages/prod/releases/2", gw).then()
                .body("backend.hosts.url", contains("http://10.0.0.3:80"));

        admin().body(Map.of("release", 1)).post("/api/v1/gateways/{g}/stages/prod/rollback", gw)
                .then().statusCode(201).body("number", equalTo(3)).body("rollback_of", equalTo(1))
                .body("comment", equalTo("Rollback to release 1"));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases/3", gw).then()
                .body("backend.hosts.url", contains("http://10.0.0.1:80", "http://10.0.0.2:80"))
                .body("backend.hosts.weight", contains(5, 1));
        admin().get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().body("number", contains(3, 2, 1));
        admin().body(Map.of("release", 1)).post("/api/v1/gateways/{g}/stages/prod/rollback", gw)
                .then().statusCode(409);
    }

    @Test
    void clearErrorsForUnknownVersionsStagesAndNothingToPublish() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        admin().body(Map.of("title", "empty")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(422)
                .body("code", equalTo("nothing_to_version"));
        Fixtures.resource(gw, "a", "GET", "/a");
        int v1 = version(gw, "v1");
        admin().body(Map.of("version", 42)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("version"))
                .body("errors[0].message", equalTo("gateway '" + gw + "' has no version 42"));
        admin().body(Map.of()).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("version"));
        admin().body(Map.of("version", v1)).post("/api/v1/gateways/{g}/stages/nope/releases", gw)
                .then().statusCode(404).body("detail", equalTo("stage 'nope' does not exist"));
        publish(gw, "prod", v1);
        admin().body(Map.of("version", v1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(409).body("detail", equalTo("nothing to publish: stage 'prod' already serves "
                        + "version 1 with this backend config (release 1)"));
        admin().body(Map.of("release", 7)).post("/api/v1/gateways/{g}/stages/prod/rollback", gw)
                .then().statusCode(422).body("errors[0].field", equalTo("release"));
        String viewer = Fixtures.user();
        Fixtures.member(gatewayTeam(gw), viewer, "viewer");
        Fixtures.as(viewer).body(Map.of("version", v1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(403);
        Fixtures.as(viewer).get("/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(200);
    }

    private static String gatewayTeam(String gw) {
        return admin().get("/api/v1/gateways/{g}", gw).then().extract().path("team");
    }

    @Test
    void publishedReleasesCannotBeChangedOrDeleted() throws SQLException {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        Fixtures.resource(gw, "a", "GET", "/a");
        publish(gw, "prod", version(gw, "v1"));
        String where = " where stage_id = (select s.id from stage s join gateway g on g.id = s.gateway_id where g.name = '"
                + gw + "')";
        for (String sql : List.of("update release set comment = 'edited'" + where,
                "update release set backend = '{\"hosts\": [{\"url\": \"http://evil\", \"weight\": 1}]}'" + where,
                "delete from release" + where,
                "delete from gateway_version where gateway_id = (select id from gateway where name = '" + gw + "')")) {
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                    s.executeUpdate(sql);
                }
            }, sql);
            assertTrue(e.getMessage().contains("immutable"), e.getMessage());
        }
        admin().put("/api/v1/gateways/{g}/stages/prod/releases/1", gw).then().statusCode(405);
        admin().delete("/api/v1/gateways/{g}/stages/prod/releases/1", gw).then().statusCode(405);
        // Deleting the gateway itself takes its history with it.
        admin().delete("/api/v1/gateways/{g}", gw).then().statusCode(204);
    }
}
