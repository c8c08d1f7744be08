package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The audit page: newest first, a field-by-field diff with the raw JSON, filters with field errors, paging, roles. */
@QuarkusTest
class AuditPagesTest {

    /** The actions of the rows on a page, top to bottom. */
    static List<String> actions(Response r) {
        Matcher m = Pattern.compile("data-action=\"([^\"]+)\"").matcher(r.asString());
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void viewerReadsWhoChangedWhatWithTheDiffAndTheRawJson() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        String viewer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        Fixtures.member(team, viewer, "viewer");
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:80", 1)));
        Fixtures.as(maintainer).body(Map.of("backend", backend(host("http://10.0.0.2:80", 7))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);

        ConsoleSession s = ConsoleSession.login(viewer, Fixtures.PASSWORD);
        Response r = s.get("/gateways/{g}/audit", gw);
        r.then().statusCode(200)
                .body(containsString("<td data-testid=\"actor\">" + maintainer + "</td>"))
                .body(containsString("<code>gateway/" + gw + "/stages/prod</code>"))
                // The change, field by field: old value, arrow, new value.
                .body(containsString("<td><code>backend.hosts[0].url</code></td><td class=\"from\">http://10.0.0.1:80</td>"
                        + "<td class=\"arrow\">→</td><td class=\"to\">http://10.0.0.2:80</td>"))
                .body(containsString("<td><code>backend.hosts[0].weight</code></td><td class=\"from\">1</td>"
                        + "<td class=\"arrow\">→</td><td class=\"to\">7</td>"))
                .body(containsString("Raw JSON (changed)"))
                .body(containsString("Raw JSON (created)"))
                .body(containsString("&quot;weight&quot; : 7"))
                .body(containsString("href=\"/gateways/" + gw + "/audit\" class=\"active\""));
        assertEquals(List.of("stage.update", "stage.create", "gateway.create"), actions(r));
    }

    @Test
    void filtersByActorAndTimeAndNamesTheBadField() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        Fixtures.as(maintainer).body(Map.of("method", "GET", "path", "/a")).put("/api/v1/gateways/{g}/resources/a", gw)
                .then().statusCode(201);
        ConsoleSession s = ConsoleSession.login("admin", "admin-password-1");

        assertEquals(List.of("resource.create"), actions(s.request().queryParam("actor", maintainer)
                .get("/gateways/{g}/audit", gw)));
        assertEquals(List.of("gateway.create"), actions(s.request().queryParam("actor", "admin")
                .get("/gateways/{g}/audit", gw)));
        // LIKE wildcards are plain characters in the actor filter.
        for (String wildcard : List.of("%", "_", maintainer.replace('-', '_'), maintainer.substring(0, 5) + "%")) {
            s.request().queryParam("actor", wildcard).get("/gateways/{g}/audit", gw).then().statusCode(200)
                    .body(containsString("No changes match this filter."));
        }
        String future = LocalDateTime.now(ZoneOffset.UTC).plusHours(1).truncatedTo(ChronoUnit.MINUTES).toString();
        String past = LocalDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.MINUTES).toString();
        s.request().queryParam("since", future).get("/gateways/{g}/audit", gw).then().statusCode(200)
                .body(containsString("No changes match this filter.")).body(containsString("value=\"" + future + "\""));
        assertEquals(List.of("resource.create", "gateway.create"), actions(s.request().queryParam("since", past)
                .queryParam("until", future).get("/gateways/{g}/audit", gw)));

        s.request().queryParam("since", "yesterday").queryParam("until", "2026-13-01T00:00")
                .get("/gateways/{g}/audit", gw).then().statusCode(422)
                .body(containsString("data-error-for=\"since\">must be a date and time in UTC"))
                .body(containsString("data-error-for=\"until\">must be a date and time in UTC"))
                .body(containsString("value=\"yesterday\""));
        s.request().queryParam("since", future).queryParam("until", past).get("/gateways/{g}/audit", gw).then()
                .statusCode(422).body(containsString("data-error-for=\"until\">must be after since"))
                .body(not(containsString("data-error-for=\"since\"")));
    }

    @Test
    void pagesOlderEntriesKeepingTheFilter() {
        String gw = Fixtures.gateway(Fixtures.team());
        for (int i = 0; i < 26; i++) {
            Fixtures.resource(gw, "r" + i, "GET", "/r" + i);
        }
        ConsoleSession s = ConsoleSession.login("admin", "admin-password-1");
        Response first = s.request().queryParam("actor", "admin").get("/gateways/{g}/audit", gw);
        first.then().statusCode(200).body(containsString("rel=\"next\""))
                .body(not(containsString("rel=\"prev\"")))
                .body(containsString("href=\"/gateways/" + gw + "/audit?actor=admin&amp;since=&amp;until=&amp;page=2\""));
        assertEquals(25, actions(first).size());
        Response second = s.request().queryParam("actor", "admin").queryParam("page", "2").get("/gateways/{g}/audit", gw);
        second.then().statusCode(200).body(containsString("rel=\"prev\"")).body(not(containsString("rel=\"next\"")));
        // 26 resources and the gateway itself: two entries on page 2, the oldest last.
        assertEquals(List.of("resource.create", "gateway.create"), actions(second));
        assertEquals(actions(first), actions(s.request().queryParam("actor", "admin").queryParam("page", "x")
                .get("/gateways/{g}/audit", gw)));
    }

    @Test
    void otherTeamsGetNotFoundAndAnonymousVisitorsSignIn() {
        String gw = Fixtures.gateway(Fixtures.team());
        String outsider = Fixtures.user();
        Fixtures.member(Fixtures.team(), outsider, "owner");
        ConsoleSession.login(outsider, Fixtures.PASSWORD).get("/gateways/{g}/audit", gw).then().statusCode(404)
                .body(containsString("does not exist"));
        given().redirects().follow(false).get("/gateways/{g}/audit", gw).then().statusCode(303)
                .header("Location", endsWith("/login"));
    }
}
