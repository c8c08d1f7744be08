package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sign-in, teams, members and gateways pages over HTTP: rendering, forms, CSRF and roles. */
@QuarkusTest
class TeamGatewayPagesTest {

    @Test
    void anonymousVisitorsAreSentToTheLoginPageAndTheApiStillAnswersProblemJson() {
        given().redirects().follow(false).get("/teams").then().statusCode(303)
                .header("Location", endsWith("/login"));
        given().get("/login").then().statusCode(200).body(containsString("j_security_check"));
        given().redirects().follow(false).get("/api/v1/teams").then().statusCode(401)
                .contentType("application/problem+json");
        given().auth().preemptive().basic("admin", "wrong-password-x").get("/api/v1/teams").then().statusCode(401)
                .contentType("application/problem+json");
    }

    @Test
    void signingInReturnsToThePageFirstAskedFor() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        var asked = given().redirects().follow(false).get("/gateways/{g}/audit?actor=admin", gw);
        asked.then().statusCode(303).header("Location", endsWith("/login"));
        String location = asked.getCookie("quarkus-redirect-location");
        assertEquals(true, location != null && location.endsWith("/gateways/" + gw + "/audit?actor=admin"), location);
        var signedIn = given().redirects().follow(false).cookie("quarkus-redirect-location", location)
                .contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "admin-password-1").post("/j_security_check");
        assertEquals(location, signedIn.getHeader("Location"));
        // Without a page asked for, the landing page; a refused form is not remembered (it cannot be re-sent).
        given().redirects().follow(false).contentType("application/x-www-form-urlencoded").formParam("j_username", "admin")
                .formParam("j_password", "admin-password-1").post("/j_security_check").then()
                .header("Location", endsWith("/"));
        ConsoleSession anonymous = ConsoleSession.anonymous();
        var form = anonymous.post("/gateways/{g}/delete", Map.of("confirm", gw), gw);
        form.then().statusCode(303).header("Location", endsWith("/login"));
        assertEquals(null, form.getCookie("quarkus-redirect-location"));
    }

    @Test
    void wrongPasswordShowsTheLoginPageWithAnError() {
        var r = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("j_username", "admin").formParam("j_password", "nope-nope-nope").post("/j_security_check");
        assertEquals(303, r.statusCode());
        assertEquals(null, r.getCookie(ConsoleSession.SESSION_COOKIE));
        given().get(r.getHeader("Location")).then().statusCode(200).body(containsString("Wrong username or password"));
    }

    @Test
    void adminCreatesATeamWithPostRedirectGetAndAFlash() {
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        String slug = Fixtures.unique("ct");
        var r = admin.post("/teams", Map.of("slug", slug, "name", "Console team"));
        r.then().statusCode(303).header("Location", endsWith("/teams/" + slug + "/gateways"));
        String flash = r.getCookie("gatehouse-flash");
        admin.request().cookie("gatehouse-flash", flash).get("/teams/{t}/gateways", slug).then().statusCode(200)
                .body(containsString("Team Console team created."))
                .body(containsString("No gateways yet."));
    }

    @Test
    void invalidTeamKeepsTheInputAndNamesTheField() {
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.post("/teams", Map.of("slug", "Bad Slug!", "name", "<b>x</b>")).then().statusCode(422)
                .body(containsString("data-error-for=\"slug\""))
                .body(containsString("value=\"Bad Slug!\""))
                .body(containsString("value=\"&lt;b&gt;x&lt;/b&gt;\""))
                .body(not(containsString("<b>x</b>")));
    }

    @Test
    void formsWithoutTheCsrfTokenAreRefused() {
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        String slug = Fixtures.unique("csrf");
        admin.postWithoutToken("/teams", Map.of("slug", slug, "name", "x")).then().statusCode(403);
        admin.request().contentType("application/x-www-form-urlencoded").formParam("slug", slug)
                .formParam("name", "x").formParam("csrf-token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .post("/teams").then().statusCode(403);
        Fixtures.admin().get("/api/v1/teams").then().statusCode(200).body("slug", not(org.hamcrest.Matchers.hasItem(slug)));
    }

    @Test
    void maintainerCreatesAGatewayAndSeesFieldErrorsAndConflicts() {
        String team = Fixtures.team();
        String user = Fixtures.user();
        Fixtures.member(team, user, "maintainer");
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        String name = Fixtures.unique("cgw");
        s.post("/teams/{t}/gateways", Map.of("name", name, "description", "Orders API"), team).then().statusCode(303)
                .header("Location", endsWith("/gateways/" + name));
        s.get("/gateways/{g}", name).then().statusCode(200).body(containsString("Orders API"))
                .body(not(containsString("Delete this gateway")));
        s.post("/teams/{t}/gateways", Map.of("name", "9nope", "description", ""), team).then().statusCode(422)
                .body(containsString("data-error-for=\"name\"")).body(containsString("value=\"9nope\""));
        s.post("/teams/{t}/gateways", Map.of("name", name, "description", ""), team).then().statusCode(422)
                .body(containsString("is taken"));
    }

    @Test
    void viewerSeesNoEditFormsAndCannotPost() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String user = Fixtures.user();
        Fixtures.member(team, user, "viewer");
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        s.get("/teams/{t}/gateways", team).then().statusCode(200).body(containsString(gw))
                .body(not(containsString("New gateway")));
        s.post("/teams/{t}/gateways", Map.of("name", Fixtures.unique("v"), "description", ""), team)
                .then().statusCode(403).body(containsString("Forbidden"));
        s.get("/teams/{t}/members", team).then().statusCode(200).body(not(containsString("Add a member")));
    }

    @Test
    void otherTeamsGatewaysAreNotFound() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String outsider = Fixtures.user();
        Fixtures.member(Fixtures.team(), outsider, "owner");
        ConsoleSession s = ConsoleSession.login(outsider, Fixtures.PASSWORD);
        s.get("/gateways/{g}", gw).then().statusCode(404).body(containsString("does not exist"));
        s.post("/gateways/{g}/delete", Map.of("confirm", gw), gw).then().statusCode(404);
    }

    @Test
    void ownerDeletesAGatewayOnlyAfterTypingItsName() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.post("/gateways/{g}/delete", Map.of("confirm", "wrong"), gw).then().statusCode(422)
                .body(containsString("data-error-for=\"confirm\""));
        admin.post("/gateways/{g}/delete", Map.of("confirm", gw), gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}", gw).then().statusCode(404);
    }

    @Test
    void maintainerEditsTheDescriptionAndAViewerIsNotOffered() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        String viewer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        Fixtures.member(team, viewer, "viewer");
        ConsoleSession m = ConsoleSession.login(maintainer, Fixtures.PASSWORD);
        m.post("/gateways/{g}/settings", Map.of("description", "x".repeat(1001)), gw).then().statusCode(422)
                .body(containsString("data-error-for=\"description\">must be at most 1000 characters"));
        m.post("/gateways/{g}/settings", Map.of("description", "  Checkout & <b>cart</b>  "), gw).then()
                .statusCode(303).header("Location", endsWith("/gateways/" + gw));
        Fixtures.admin().get("/api/v1/gateways/{g}", gw).then().body("description",
                org.hamcrest.Matchers.equalTo("Checkout & <b>cart</b>"));
        m.get("/gateways/{g}", gw).then().statusCode(200).body(containsString("Checkout &amp; &lt;b&gt;cart&lt;/b&gt;"))
                .body(containsString("action=\"/gateways/" + gw + "/settings\""));
        // Emptied, the description is cleared.
        m.post("/gateways/{g}/settings", Map.of("description", ""), gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}", gw).then().body("description", org.hamcrest.Matchers.equalTo(""));
        ConsoleSession.login(viewer, Fixtures.PASSWORD).get("/gateways/{g}", gw).then().statusCode(200)
                .body(not(containsString("/settings\"")));
    }

    @Test
    void ownerManagesMembers() {
        String team = Fixtures.team();
        String user = Fixtures.user();
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.post("/teams/{t}/members", Map.of("username", user, "role", "viewer"), team).then().statusCode(303);
        admin.post("/teams/{t}/members", Map.of("username", "nobody-here", "role", "viewer"), team).then()
                .statusCode(422).body(containsString("no account has this name"));
        admin.get("/teams/{t}/members", team).then().statusCode(200).body(containsString("@" + user));
        admin.post("/teams/{t}/members/{u}/remove", Map.of(), team, user).then().statusCode(303);
        Fixtures.admin().get("/api/v1/teams/{t}/members", team).then().body("username", not(org.hamcrest.Matchers.hasItem(user)));
    }

    @Test
    void logoutEndsTheSession() {
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        var r = admin.post("/logout", Map.of());
        r.then().statusCode(303);
        assertEquals("", r.getCookie(ConsoleSession.SESSION_COOKIE));
        given().redirects().follow(false).get("/teams").then().statusCode(303);
    }

    /** The values of every {@code name="..."} attribute in {@code html}, in order. */
    static List<String> attributes(String html, String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(" " + name + "=\"([^\"]*)\"").matcher(html);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The value of attribute {@code name} right before {@code marker} (an element's next attribute), unescaped. */
    static String attribute(String html, String name, String marker) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "=\"([^\"]*)\" " + java.util.regex.Pattern.quote(marker))
                .matcher(html);
        return m.find() ? m.group(1).replace("&amp;", "&") : null;
    }

    @Test
    void staticAssetsAreServedByTheApp() {
        given().get("/_static/htmx.org/dist/htmx.min.js").then().statusCode(200);
        given().get("/console/console.css").then().statusCode(200);
        given().get("/console/console.js").then().statusCode(200).body(not(nullValue()));
        // Browsers ask for /favicon.ico on every page whatever the page links: never a 404.
        given().get("/favicon.ico").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("image/"));
        given().get("/favicon.svg").then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("image/svg+xml"));
    }

    /**
     * Every list searches and pages on the server (Keyset, the resources list's mechanism): a search narrows the
     * rows and says how many match; the count covers all pages.
     */
    @Test
    void everyListSearchesOnTheServer() {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String other = Fixtures.gateway(team);
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/teams/{t}/gateways?q={q}", team, gw).then().statusCode(200)
                .body(containsString("1 matching gateway<"))
                .body(containsString("href=\"/gateways/" + gw + "\""))
                .body(not(containsString("href=\"/gateways/" + other + "\"")));
        admin.get("/teams/{t}/gateways?q=no-such-thing", team).then().statusCode(200)
                .body(containsString("No gateway name or description contains “no-such-thing”."));

        String user = Fixtures.user();
        Fixtures.member(team, user, "viewer");
        admin.get("/teams/{t}/members?q={q}", team, user).then().statusCode(200)
                .body(containsString("1 matching member<")).body(containsString("@" + user));
        admin.get("/admin/users?q={q}", user).then().statusCode(200)
                .body(containsString("1 matching user<")).body(containsString("data-user=\"" + user + "\""))
                .body(not(containsString("data-user=\"admin\"")));

        Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://10.0.0.1:80", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        for (String title : List.of("alpha", "beta", "gamma")) {
            Fixtures.admin().body(Map.of("title", title)).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            Fixtures.resource(gw, "r" + title, "GET", "/" + title);
        }
        Fixtures.admin().body(Map.of("version", 2, "comment", "needle release")).post(
                "/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        Fixtures.admin().body(Map.of("version", 3, "comment", "other")).post(
                "/api/v1/gateways/{g}/stages/prod/releases", gw).then().statusCode(201);
        admin.get("/gateways/{g}/publishing?q=beta", gw).then().statusCode(200)
                .body(containsString("1 matching version<"));
        admin.get("/gateways/{g}/publishing/stages/prod/releases", gw).then().statusCode(200)
                .body(containsString("2 releases<")).body(containsString("data-release=\"2\""));
        admin.get("/gateways/{g}/publishing/stages/prod/releases?q=needle", gw).then().statusCode(200)
                .body(containsString("1 matching release<")).body(containsString("data-release=\"1\""))
                .body(not(containsString("data-release=\"2\"")));
        // Teams: a platform admin searches every team's slug and name; a member lists only their own teams.
        String needle = Fixtures.unique("needle") + "-z";
        Fixtures.admin().body(Map.of("slug", needle, "name", "Haystack " + needle)).post("/api/v1/teams").then()
                .statusCode(201);
        for (String q : List.of(needle, "HAYSTACK " + needle.toUpperCase(java.util.Locale.ROOT))) {
            admin.get("/teams?q={q}", q).then().statusCode(200).body(containsString("1 matching team<"))
                    .body(containsString("<a href=\"/teams/" + needle + "/gateways\">Haystack " + needle + "</a>"))
                    .body(not(containsString("<a href=\"/teams/" + team + "/gateways\">")));
        }
        ConsoleSession.login(user, Fixtures.PASSWORD).get("/teams?q=team-").then().statusCode(200)
                .body(containsString("1 matching team<"))
                .body(containsString("<a href=\"/teams/" + team + "/gateways\">Team " + team + "</a>"));
        admin.get("/teams?q=no-such-thing").then().statusCode(200)
                .body(containsString("No team's slug or name contains “no-such-thing”."));

        // A gateway's tenants: 25 a page in name order, searched by name and description; a change lands on the
        // list searched for the tenant, so its card is there however many come first.
        for (int i = 0; i < 26; i++) {
            Fixtures.tenant(gw, String.format("t%02d", i));
        }
        Fixtures.admin().body(Map.of("description", "the NEEDLE customer")).put("/api/v1/gateways/{g}/tenants/zeta", gw)
                .then().statusCode(201);
        var tenantsFirst = admin.get("/gateways/{g}/tenants", gw);
        tenantsFirst.then().statusCode(200).body(containsString("27 tenants<"));
        List<String> firstTenants = attributes(tenantsFirst.asString(), "data-tenant");
        assertEquals(java.util.stream.IntStream.range(0, 25).mapToObj(i -> String.format("t%02d", i)).toList(),
                firstTenants);
        String nextTenants = attribute(tenantsFirst.asString(), "href", "data-testid=\"next-page\"");
        assertEquals("/gateways/" + gw + "/tenants?after=t24", nextTenants);
        var tenantsSecond = admin.get(nextTenants);
        assertEquals(List.of("t25", "zeta"), attributes(tenantsSecond.asString(), "data-tenant"));
        tenantsSecond.then().body(containsString("data-testid=\"first-page\"")).body(not(containsString("data-testid=\"next-page\"")));
        var needleTenant = admin.get("/gateways/{g}/tenants?q=needle", gw);
        needleTenant.then().statusCode(200).body(containsString("1 matching tenant<"));
        assertEquals(List.of("zeta"), attributes(needleTenant.asString(), "data-tenant"));
        admin.get("/gateways/{g}/tenants?q=no-such-thing", gw).then().statusCode(200)
                .body(containsString("No tenant's name or description contains “no-such-thing”."));
        admin.post("/gateways/{g}/tenants/zeta", Map.of("description", "edited"), gw).then().statusCode(303)
                .header("Location", endsWith("/gateways/" + gw + "/tenants?q=zeta#tenant-zeta"));
        admin.post("/gateways/{g}/tenants/zeta", Map.of("requests_per_second", "x"), gw).then().statusCode(422)
                .body(containsString("data-tenant=\"zeta\"")).body(containsString("1 matching tenant<"));

        // The add-member field suggests the first 20 accounts whose username or name contains what is typed,
        // asked again as the owner types; the members page fills them for its ?username=.
        String prefix = Fixtures.unique("sugg");
        List<String> accounts = new java.util.ArrayList<>();
        for (int i = 0; i < 21; i++) {
            String name = prefix + String.format("-u%02d", i);
            Fixtures.admin().body(Map.of("username", name, "password", Fixtures.PASSWORD)).post("/api/v1/users").then()
                    .statusCode(201);
            accounts.add(name);
        }
        assertEquals(accounts.subList(0, 20), attributes(admin.get("/teams/{t}/members/suggestions?username={u}", team,
                prefix.toUpperCase(java.util.Locale.ROOT)).asString(), "value"));
        assertEquals(List.of(accounts.get(20)), attributes(admin.get("/teams/{t}/members/suggestions?username={u}", team,
                accounts.get(20)).asString(), "value"));
        admin.get("/teams/{t}/members?username={u}", team, accounts.get(20)).then().statusCode(200)
                .body(containsString("<datalist id=\"known-users\"><option value=\"" + accounts.get(20) + "\"></datalist>"))
                .body(containsString("hx-get=\"/teams/" + team + "/members/suggestions\""));

        // Breadcrumbs reach the current object.
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200).body(containsString(
                "<a href=\"/gateways/" + gw + "/stages\">Stages</a> / <strong>prod</strong></nav>"));
    }
}
