package io.gatehouse.resource;

import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.gatehouse.Fixtures.admin;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The resources list pages (API: Link rel="next" and X-Total-Count; console: next and first page) and searches. */
@QuarkusTest
class ResourcePagingTest {

    @Test
    void theApiPagesByNameFollowingLinkNextAndSearchesNamesAndPaths() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (int i = 0; i < 7; i++) {
            Fixtures.resource(gw, "r" + i, "GET", "/items" + i);
        }
        Fixtures.resource(gw, "users", "GET", "/people/{id}");
        List<String> names = new ArrayList<>();
        String url = "/api/v1/gateways/" + gw + "/resources?limit=3";
        int pages = 0;
        while (url != null) {
            Response r = admin().get(url);
            r.then().statusCode(200).header("X-Total-Count", "8");
            names.addAll(r.jsonPath().getList("name"));
            String link = r.header("Link");
            url = link == null ? null : link.replaceFirst("^<https?://[^/]+([^>]*)>; rel=\"next\"$", "$1");
            pages++;
        }
        assertEquals(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "users"), names);
        assertEquals(3, pages);

        admin().get("/api/v1/gateways/{g}/resources?q=PEOPLE", gw).then().statusCode(200)
                .header("X-Total-Count", "1").body("name", contains("users"));
        admin().get("/api/v1/gateways/{g}/resources?q=r3", gw).then().body("name", contains("r3"));
        // LIKE's wildcards are searched for literally.
        admin().get("/api/v1/gateways/{g}/resources?q=%25", gw).then().header("X-Total-Count", "0");
        assertNull(admin().get("/api/v1/gateways/{g}/resources", gw).header("Link"), "8 fit the default page of 100");
        admin().get("/api/v1/gateways/{g}/resources?limit=0", gw).then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }

    @Test
    void theConsoleListShowsAPageAndASearch() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (int i = 0; i < 105; i++) {
            Fixtures.resource(gw, String.format("r%03d", i), "GET", "/items" + i);
        }
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        String first = admin.get("/gateways/{g}/resources", gw).then().statusCode(200)
                .body(containsString("105 resources"))
                .body(containsString("data-resource=\"r099\""))
                .body(not(containsString("data-resource=\"r100\"")))
                .extract().asString();
        assertTrue(first.contains("href=\"/gateways/" + gw + "/resources?after=r099\" data-testid=\"next-page\""), first);
        admin.get("/gateways/{g}/resources?after=r099", gw).then().statusCode(200)
                .body(containsString("data-resource=\"r104\""))
                .body(not(containsString("data-resource=\"r099\"")))
                .body(containsString("data-testid=\"first-page\""))
                .body(not(containsString("data-testid=\"next-page\"")));
        admin.get("/gateways/{g}/resources?q=items10", gw).then().statusCode(200)
                .body(containsString("6 matching resources"))
                .body(containsString("data-resource=\"r010\""))
                .body(containsString("data-resource=\"r104\""))
                .body(not(containsString("data-resource=\"r001\"")));
    }
}
