package io.gatehouse.audit;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * The API pages like the resources list (Keyset): newest first, the next page in Link rel="next" after the
     * last entry's id, the number of matches in X-Total-Count; following the links yields every entry once, in
     * order. {@code q} searches actions, objects and actors, with the filters.
     */
    @Test
    void pagesFollowingLinkNextAndSearches() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (int i = 0; i < 4; i++) {
            Fixtures.resource(gw, "r" + i, "GET", "/r" + i);
        }
        List<Long> all = admin().get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200)
                .header("X-Total-Count", "5").extract().jsonPath().getList("id", Long.class);
        assertEquals(5, all.size(), "4 resources and the gateway");
        List<Long> followed = new ArrayList<>();
        String url = "/api/v1/gateways/" + gw + "/audit?limit=2";
        int pages = 0;
        while (url != null) {
            Response r = admin().get(url);
            r.then().statusCode(200).header("X-Total-Count", "5");
            followed.addAll(r.jsonPath().getList("id", Long.class));
            String link = r.header("Link");
            url = link == null ? null : link.replaceFirst("^<https?://[^/]+([^>]*)>; rel=\"next\"$", "$1");
            pages++;
        }
        assertEquals(3, pages);
        assertEquals(all, followed);
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1) > all.get(i), "newest first: " + all);
        }
        admin().queryParam("q", "RESOURCES/R1").queryParam("actor", "admin").get("/api/v1/gateways/{g}/audit", gw)
                .then().statusCode(200).header("X-Total-Count", "1")
                .body("target", contains("gateway/" + gw + "/resources/r1"));
        admin().queryParam("q", "resources/r1").queryParam("actor", "someone-else").get("/api/v1/gateways/{g}/audit", gw)
                .then().statusCode(200).header("X-Total-Count", "0").body("$", empty());
        admin().queryParam("limit", 501).get("/api/v1/gateways/{g}/audit", gw).then().statusCode(422)
                .body("errors[0].field", equalTo("limit"));
        admin().queryParam("q", "x".repeat(201)).get("/api/v1/gateways/{g}/audit", gw).then().statusCode(400)
                .body("errors[0].field", equalTo("q"));
    }
}
