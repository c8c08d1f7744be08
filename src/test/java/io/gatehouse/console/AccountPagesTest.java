package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The personal access tokens page: list without secrets, create (post-redirect-get, secret shown once), field errors, revoke. */
@QuarkusTest
class AccountPagesTest {
    private static final Pattern NEW_TOKEN = Pattern.compile("data-testid=\"new-token\">(ghp_[A-Za-z0-9_-]{43})</code>");

    private static String secret(Response created) {
        Matcher m = NEW_TOKEN.matcher(created.asString());
        assertTrue(m.find(), "the new token is shown: " + created.asString());
        return m.group(1);
    }

    /**
     * Post-redirect-get: the POST answers 303 to the tokens page with a one-time cookie for that page only;
     * the page it leads to shows the secret and clears the cookie.
     */
    private static Response shown(ConsoleSession s, Response posted) {
        posted.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/account/tokens"));
        String once = posted.getCookie("gatehouse-new-token");
        io.restassured.http.Cookie detailed = posted.getDetailedCookie("gatehouse-new-token");
        assertEquals("/account/tokens", detailed.getPath());
        assertTrue(detailed.isHttpOnly());
        assertEquals(60, detailed.getMaxAge());
        Response page = s.request().cookie("gatehouse-new-token", once)
                .cookie("gatehouse-flash", posted.getCookie("gatehouse-flash")).get("/account/tokens");
        page.then().statusCode(200);
        assertEquals("", page.getCookie("gatehouse-new-token"), "the page clears the one-time cookie");
        return page;
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndWorksOnTheApi() {
        String user = Fixtures.user();
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        s.get("/account/tokens").then().statusCode(200).body(containsString("No tokens yet."))
                .body(containsString("<input id=\"expires_in_days\" name=\"expires_in_days\" type=\"number\" value=\"90\">"));
        s.get("/teams").then().statusCode(200).body(containsString("<a href=\"/account/tokens\" data-testid=\"tokens-link\">"));

        Response posted = s.post("/account/tokens", Map.of("name", "deploy <b>bot</b>", "expires_in_days", "30"));
        Response created = shown(s, posted);
        created.then().statusCode(200).body(containsString("Token deploy &lt;b&gt;bot&lt;/b&gt; created"))
                .body(containsString("Copy it now: it is shown only this once"));
        String secret = secret(created);
        given().header("Authorization", "Bearer " + secret).get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo(user));
        List<Map<String, Object>> tokens = given().header("Authorization", "Bearer " + secret).get("/api/v1/tokens")
                .then().extract().path("$");
        assertEquals(1, tokens.size());
        assertEquals(30, java.time.Duration.between(java.time.OffsetDateTime.parse((String) tokens.get(0).get("created_at")),
                java.time.OffsetDateTime.parse((String) tokens.get(0).get("expires_at"))).toDays());

        // Reloading the page after the redirect repeats nothing: still one token.
        s.get("/account/tokens").then().statusCode(200);
        assertEquals((Object) 1, given().header("Authorization", "Bearer " + secret).get("/api/v1/tokens").then()
                .extract().path("size()"));

        // The list shows name, prefix, dates and state, never the secret; a reload shows no secret either.
        s.get("/account/tokens").then().statusCode(200)
                .body(not(containsString(secret))).body(not(containsString("new-token")))
                .body(containsString("<code>" + secret.substring(0, 10) + "…</code>"))
                .body(containsString("data-state=\"active\""))
                .body(containsString("deploy &lt;b&gt;bot&lt;/b&gt;"));
    }

    @Test
    void badInputIsNamedAtItsFieldAndKept() {
        ConsoleSession s = ConsoleSession.login(Fixtures.user(), Fixtures.PASSWORD);
        s.post("/account/tokens", Map.of("name", " ", "expires_in_days", "0")).then().statusCode(422)
                .body(containsString("<p class=\"error\" data-error-for=\"name\">is required, at most 100 characters</p>"))
                .body(containsString("<p class=\"error\" data-error-for=\"expires_in_days\">must be an integer from 1 to 366</p>"));
        for (String days : List.of("367", "abc", "1.5", "-1", "99999999999")) {
            s.post("/account/tokens", Map.of("name", "ci", "expires_in_days", days)).then().statusCode(422)
                    .body(containsString("data-error-for=\"expires_in_days\">must be an integer from 1 to 366</p>"))
                    .body(not(containsString("data-error-for=\"name\"")))
                    .body(containsString("value=\"" + days + "\""))
                    .body(not(containsString("new-token")));
        }
        s.post("/account/tokens", Map.of("name", "x".repeat(101), "expires_in_days", "366")).then().statusCode(422)
                .body(containsString("data-error-for=\"name\""));
        s.get("/account/tokens").then().body(containsString("No tokens yet."));
        // Blank days take the default of 90.
        secret(shown(s, s.post("/account/tokens", Map.of("name", "default", "expires_in_days", ""))));
    }

    @Test
    void revokingTakesEffectAtOnceAndOnlyForTheOwner() {
        String user = Fixtures.user();
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        String secret = secret(shown(s, s.post("/account/tokens", Map.of("name", "ci", "expires_in_days", "7"))));
        Number id = given().header("Authorization", "Bearer " + secret).get("/api/v1/tokens").then().extract().path("[0].id");

        // Someone else, even a platform admin, gets the page of a missing token, and the token still works.
        ConsoleSession other = ConsoleSession.login(Fixtures.user(), Fixtures.PASSWORD);
        other.post("/account/tokens/{id}/revoke", Map.of(), id).then().statusCode(404)
                .body(containsString("token &#39;" + id + "&#39; does not exist"));
        ConsoleSession.login("admin", "admin-password-1").post("/account/tokens/{id}/revoke", Map.of(), id).then().statusCode(404);
        given().header("Authorization", "Bearer " + secret).get("/api/v1/me").then().statusCode(200);

        Response revoked = s.post("/account/tokens/{id}/revoke", Map.of(), id);
        revoked.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/account/tokens"));
        given().header("Authorization", "Bearer " + secret).get("/api/v1/me").then().statusCode(401);
        s.request().cookie("gatehouse-flash", revoked.getCookie("gatehouse-flash")).get("/account/tokens").then()
                .statusCode(200).body(containsString("Token ci (" + secret.substring(0, 10) + "…) revoked."))
                .body(containsString("data-state=\"revoked\""))
                .body(not(containsString("/account/tokens/" + id + "/revoke")));
        s.post("/account/tokens/{id}/revoke", Map.of(), 999_999_999).then().statusCode(404);
    }

    @Test
    void aUserChangesTheirOwnPasswordWithTheCurrentOne() {
        String user = Fixtures.user();
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        s.get("/account/password").then().statusCode(200).body(containsString("name=\"current_password\""));
        s.post("/account/password", Map.of("current_password", "wrong-password", "new_password", "short",
                "confirm_password", "short")).then().statusCode(422)
                .body(containsString("data-error-for=\"current_password\">is not your current password</p>"))
                .body(containsString("data-error-for=\"new_password\">must be at least 8 characters</p>"))
                .body(not(containsString("wrong-password")));
        s.post("/account/password", Map.of("current_password", Fixtures.PASSWORD, "new_password", "new-password-22",
                "confirm_password", "new-password-2")).then().statusCode(422)
                .body(containsString("data-error-for=\"confirm_password\">does not match the new password</p>"));
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(200);

        s.post("/account/password", Map.of("current_password", Fixtures.PASSWORD, "new_password", "new-password-22",
                "confirm_password", "new-password-22")).then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/account/password"));
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(401);
        Fixtures.basic(user, "new-password-22").get("/api/v1/me").then().statusCode(200);
        ConsoleSession.login(user, "new-password-22");
    }

    @Test
    void aPlatformAdminCreatesAnAccountThatAnOwnerCouldNotAdd() {
        String team = Fixtures.team();
        String owner = Fixtures.user();
        Fixtures.member(team, owner, "owner");
        String name = Fixtures.unique("new").replace("-", ".");
        // The owner meets a name with no account: told who creates accounts.
        ConsoleSession o = ConsoleSession.login(owner, Fixtures.PASSWORD);
        o.post("/teams/{t}/members", Map.of("username", name, "role", "viewer"), team).then().statusCode(422)
                .body(containsString("data-error-for=\"username\">no account has this name</p>"))
                .body(containsString("Accounts are created by a platform admin: ask <strong>admin</strong>"))
                .body(not(containsString("data-testid=\"create-account\"")));
        o.get("/admin/users").then().statusCode(403);

        // A platform admin is offered to create it, creates it, and goes back to the team's members.
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.post("/teams/{t}/members", Map.of("username", name, "role", "viewer"), team).then().statusCode(422)
                .body(containsString("href=\"/admin/users?username=" + name + "&amp;team=" + team + "\""));
        admin.get("/admin/users?username={n}&team={t}", name, team).then().statusCode(200)
                .body(containsString("value=\"" + name + "\""));
        admin.post("/admin/users", Map.of("username", name, "display_name", "New Person", "password", "initial-pass-1",
                "confirm_password", "initial-pass-2", "team", team)).then().statusCode(422)
                .body(containsString("data-error-for=\"confirm_password\">does not match the password</p>"));
        admin.post("/admin/users", Map.of("username", "Bad Name", "password", "x", "confirm_password", "x")).then()
                .statusCode(422).body(containsString("data-error-for=\"username\">use 2 to 64 lower-case letters, digits, dots, underscores and hyphens, starting with a letter</p>"))
                .body(containsString("data-error-for=\"password\">must be at least 8 characters</p>"));
        admin.post("/admin/users", Map.of("username", name, "display_name", "New Person", "password", "initial-pass-1",
                "confirm_password", "initial-pass-1", "team", team)).then().statusCode(303)
                .header("Location", org.hamcrest.Matchers.endsWith("/teams/" + team + "/members?username=" + name));
        admin.post("/admin/users", Map.of("username", name, "password", "initial-pass-1",
                "confirm_password", "initial-pass-1")).then().statusCode(422)
                .body(containsString("already exists"));
        admin.get("/admin/users").then().statusCode(200).body(containsString("<strong>New Person</strong> <span class=\"muted\">@" + name));
        // The redirect's ?username= fills the field, and the suggestions are those matching it (the first 20).
        o.get("/teams/{t}/members?username={n}", team, name).then().statusCode(200)
                .body(containsString("<option value=\"" + name + "\">"));
        o.post("/teams/{t}/members", Map.of("username", name, "role", "viewer"), team).then().statusCode(303);
        ConsoleSession.login(name, "initial-pass-1").get("/teams").then().statusCode(200);
    }

    private static String apiToken(String user, String password) {
        return given().auth().preemptive().basic(user, password).contentType("application/json")
                .body(Map.of("name", "ci", "expires_in_days", 1)).post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
    }

    /** Sent to sign in, the ended session's cookie cleared, so the sign-in page is not refused in turn (a loop). */
    private static void signedOut(ConsoleSession s) {
        Response r = s.get("/teams");
        r.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/login"));
        assertEquals("", r.getCookie(ConsoleSession.SESSION_COOKIE));
        given().redirects().follow(false).get("/login").then().statusCode(200);
    }

    @Test
    void changingTheOwnPasswordEndsTheUsersOtherSessionsButNotThisOne() {
        String user = Fixtures.user();
        ConsoleSession here = ConsoleSession.login(user, Fixtures.PASSWORD);
        ConsoleSession elsewhere = ConsoleSession.login(user, Fixtures.PASSWORD);
        elsewhere.get("/teams").then().statusCode(200);
        here.post("/account/password", Map.of("current_password", Fixtures.PASSWORD, "new_password", "new-password-33",
                "confirm_password", "new-password-33")).then().statusCode(303);
        here.get("/teams").then().statusCode(200);
        signedOut(elsewhere);
        ConsoleSession.login(user, "new-password-33").get("/teams").then().statusCode(200);
    }

    @Test
    void aPlatformAdminResetsAPasswordAndDisablesAndEnablesAnAccount() {
        String user = Fixtures.user();
        ConsoleSession s = ConsoleSession.login(user, Fixtures.PASSWORD);
        String token = apiToken(user, Fixtures.PASSWORD);
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/admin/users").then().statusCode(200).body(containsString("href=\"/admin/users/" + user + "\""));
        admin.get("/admin/users/{u}", user).then().statusCode(200)
                .body(containsString("data-testid=\"account-state\">active</span>"));

        // Reset: the same rules as at creation, typed twice; the user's sessions end, their tokens do not.
        admin.post("/admin/users/{u}/password", Map.of("password", "short", "confirm_password", "short"), user).then()
                .statusCode(422).body(containsString("data-error-for=\"password\">must be at least 8 characters</p>"))
                .body(not(containsString("value=\"short\"")));
        admin.post("/admin/users/{u}/password", Map.of("password", "reset-password-1", "confirm_password",
                "reset-password-2"), user).then().statusCode(422)
                .body(containsString("data-error-for=\"confirm_password\">does not match the new password</p>"));
        s.get("/teams").then().statusCode(200);
        admin.post("/admin/users/{u}/password", Map.of("password", "reset-password-1", "confirm_password",
                "reset-password-1"), user).then().statusCode(303);
        signedOut(s);
        Fixtures.basic(user, Fixtures.PASSWORD).get("/api/v1/me").then().statusCode(401);
        Fixtures.basic(user, "reset-password-1").get("/api/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200);
        admin.get("/admin/users").then().statusCode(200);

        // Disable: no sign-in of any kind, sessions over, tokens 401; the sign-in page says why.
        ConsoleSession again = ConsoleSession.login(user, "reset-password-1");
        admin.post("/admin/users/{u}/disable", Map.of(), user).then().statusCode(303);
        admin.get("/admin/users/{u}", user).then().statusCode(200)
                .body(containsString("data-testid=\"account-state\">disabled</span> by admin"));
        signedOut(again);
        Fixtures.basic(user, "reset-password-1").get("/api/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(401);
        Response refused = given().redirects().follow(false).contentType(io.restassured.http.ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", "reset-password-1").post("/j_security_check");
        assertEquals(null, refused.getCookie(ConsoleSession.SESSION_COOKIE), "no session for a disabled account");
        given().cookie("gatehouse-login-notice", refused.getCookie("gatehouse-login-notice"))
                .cookie("gatehouse-login-username", refused.getCookie("gatehouse-login-username"))
                .get("/login?error=1").then().statusCode(200)
                .body(containsString("This account is disabled. A platform admin can enable it again."))
                .body(containsString("value=\"" + user + "\""));

        // Nobody disables their own account; enabling brings password and unexpired tokens back.
        admin.post("/admin/users/admin/disable", Map.of()).then().statusCode(303);
        Fixtures.admin().get("/api/v1/me").then().statusCode(200);
        admin.post("/admin/users/{u}/enable", Map.of(), user).then().statusCode(303);
        Fixtures.basic(user, "reset-password-1").get("/api/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void aFailedSignInKeepsTheUsername() {
        Response failed = given().redirects().follow(false).contentType(io.restassured.http.ContentType.URLENC)
                .formParam("j_username", "someone.typed").formParam("j_password", "wrong-password").post("/j_security_check");
        failed.then().statusCode(303).header("Location", org.hamcrest.Matchers.endsWith("/login?error=1"));
        given().cookie("gatehouse-login-username", failed.getCookie("gatehouse-login-username")).get("/login?error=1")
                .then().statusCode(200).body(containsString("Wrong username or password."))
                .body(containsString("<input id=\"j_username\" name=\"j_username\" value=\"someone.typed\""));
        given().get("/login").then().statusCode(200).body(containsString("name=\"j_username\" value=\"\""));
    }
}
