package io.gatehouse.audit;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class AuditApiTest {

    @Test
    void everyChangeIsRecordedWithBeforeAndAfterAndCanBeFiltered() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        Fixtures.as(maintainer).body(Map.of("backend", backend(host("http://10.0.0.2:80", 7))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);

        admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .body("action", contains("stage.update", "stage.create", "gateway.create"))
                .body("[0].actor", equalTo(maintainer))
                .body("[0].target", equalTo("gateway/" + gw + "/stages/prod"))
                .body("[0].before.backend.hosts[0].weight", equalTo(1))
                .body("[0].after.backend.hosts[0].weight", equalTo(7))
                .body("[1].before", nullValue());
        admin().queryParam("actor", maintainer).get("/api/v1/gateways/{g}/audit", gw).then()
                .body("action", contains("stage.update"));
        String future = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).toString();
        admin().queryParam("since", future).get("/api/v1/gateways/{g}/audit", gw).then().body("$", empty());
        admin().queryParam("until", future).queryParam("limit", 1).get("/api/v1/gateways/{g}/audit", gw).then()
                .body("action", contains("stage.update"));
        admin().queryParam("since", "yesterday").get("/api/v1/gateways/{g}/audit", gw).then().statusCode(422)
                .body("errors[0].field", equalTo("since"));
        String outsider = Fixtures.user();
        Fixtures.as(outsider).get("/api/v1/gateways/{g}/audit", gw).then().statusCode(404);
    }
}
