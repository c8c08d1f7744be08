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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit page: newest first, a field-by-field diff with the raw JSON, filters with field errors, search and paging, roles. */
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

    /** The ids of the rows on a page, top to bottom. */
    static List<Long> ids(Response r) {
        Matcher m = Pattern.compile("data-audit-id=\"(\\d+)\"").matcher(r.asString());
        List<Long> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(Long.valueOf(m.group(1)));
        }
        return out;
    }

    /** The href of the pager's link {@code testid} ("next-page", "first-page"), unescaped; null when absent. */
    static String link(Response r, String testid) {
        Matcher m = Pattern.compile("href=\"([^\"]+)\" data-testid=\"" + testid + "\"").matcher(r.asString());
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }

    /**
     * The audit log pages like every list (Keyset): 25 entries newest first, Next page continues after the last
     * one shown, and the filters and the search stay on every link. Following the links yields exactly the
     * filter's entries as the API lists them: complete, each once, in order, none of another actor.
     */
    @Test
    void pagesOlderEntriesKeepingTheFilterAndTheSearch() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        for (int i = 0; i < 26; i++) {
            Fixtures.resource(gw, "r" + i, "GET", "/r" + i);
            if (i == 12) { // another actor's entry in the middle of admin's, which the actor filter leaves out
                Fixtures.as(maintainer).body(Map.of("method", "GET", "path", "/m12"))
                        .put("/api/v1/gateways/{g}/resources/m12", gw).then().statusCode(201);
            }
        }
        List<Long> admins = Fixtures.admin().queryParam("actor", "admin").queryParam("limit", 500)
                .get("/api/v1/gateways/{g}/audit", gw).then().statusCode(200).extract().jsonPath().getList("id", Long.class);
        assertEquals(27, admins.size(), "26 resources and the gateway");

        ConsoleSession s = ConsoleSession.login("admin", "admin-password-1");
        Response first = s.request().queryParam("actor", "admin").get("/gateways/{g}/audit", gw);
        first.then().statusCode(200).body(containsString("data-testid=\"change-count\">27 changes<"));
        assertEquals(null, link(first, "first-page"));
        List<Long> one = ids(first);
        assertEquals(25, one.size());
        assertEquals("/gateways/" + gw + "/audit?actor=admin&after=" + one.get(24), link(first, "next-page"));

        Response second = s.get(link(first, "next-page"));
        second.then().statusCode(200).body(containsString("data-testid=\"change-count\">27 changes<"));
        assertEquals(null, link(second, "next-page"));
        assertEquals("/gateways/" + gw + "/audit?actor=admin", link(second, "first-page"));
        List<Long> two = ids(second);
        // 26 resources and the gateway itself: two entries on page 2, the oldest last.
        assertEquals(List.of("resource.create", "gateway.create"), actions(second));

        List<Long> both = new java.util.ArrayList<>(one);
        both.addAll(two);
        for (int i = 1; i < both.size(); i++) {
            assertTrue(both.get(i - 1) > both.get(i), "newest first, each once: " + both);
        }
        assertEquals(admins, both, "exactly admin's entries, none left out");
        for (Response page : List.of(first, second)) {
            page.then().body(not(containsString("<td data-testid=\"actor\">" + maintainer + "</td>")))
                    .body(not(containsString("/resources/m12</code>")));
        }
        // A key that is no entry's is the first page.
        assertEquals(one, ids(s.request().queryParam("actor", "admin").queryParam("after", "x")
                .get("/gateways/{g}/audit", gw)));

        // The search (contains, any case, over action, object and actor) with the filter, kept on the next page.
        Response found = s.request().queryParam("actor", "admin").queryParam("q", "RESOURCES/R2")
                .get("/gateways/{g}/audit", gw);
        found.then().statusCode(200).body(containsString("data-testid=\"change-count\">7 matching changes<"))
                .body(containsString("name=\"q\" type=\"search\" value=\"RESOURCES/R2\""));
        assertEquals(java.util.Collections.nCopies(7, "resource.create"), actions(found));
        Response created = s.request().queryParam("actor", "admin").queryParam("q", "create").get("/gateways/{g}/audit", gw);
        assertEquals(one, ids(created));
        assertEquals("/gateways/" + gw + "/audit?actor=admin&q=create&after=" + one.get(24), link(created, "next-page"));
        Response createdLater = s.get(link(created, "next-page"));
        assertEquals(two, ids(createdLater));
        assertEquals("/gateways/" + gw + "/audit?actor=admin&q=create", link(createdLater, "first-page"));
        // Without the actor filter the search finds the maintainer's entry, by its object or its actor.
        for (String q : List.of("resources/m12", maintainer)) {
            Response theirs = s.request().queryParam("q", q).get("/gateways/{g}/audit", gw);
            theirs.then().statusCode(200).body(containsString("data-testid=\"change-count\">1 matching change<"))
                    .body(containsString("<td data-testid=\"actor\">" + maintainer + "</td>"));
        }
        s.request().queryParam("q", "x".repeat(201)).get("/gateways/{g}/audit", gw).then().statusCode(422)
                .body(containsString("data-error-for=\"q\">must be at most 200 characters"));
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
