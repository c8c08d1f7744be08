package io.gatehouse.release;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A release's answer says where it is served once the live instances applied it (this test's own instance
 * runs the proxy, so at least one), never the transient "on 0" of the moment before commit; the audit log
 * records the release itself, without a live count.
 */
@QuarkusTest
class ReleaseAnswerTest {

    @Test
    void thePublishAnswerReportsTheInstancesThatServeItAndTheAuditEntryNoCount() {
        String gw = Fixtures.gateway(Fixtures.team());
        Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://10.0.0.1:80", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
        var answer = admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                .then().statusCode(201)
                .body("live.pending", equalTo(false))
                .body("live.lagging", empty())
                .body("live.of", greaterThanOrEqualTo(1))
                .extract().jsonPath();
        assertEquals(answer.getInt("live.of"), answer.getInt("live.on"), "served by every live instance");

        List<Map<String, Object>> audit = admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.action == 'release.publish' }");
        assertEquals(1, audit.size(), audit.toString());
        @SuppressWarnings("unchecked")
        Map<String, Object> after = (Map<String, Object>) audit.get(0).get("after");
        assertEquals(1, after.get("number"));
        assertFalse(after.containsKey("live"), "the audit entry records the release, not a live count: " + after);
    }
}
