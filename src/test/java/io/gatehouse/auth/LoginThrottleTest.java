package io.gatehouse.auth;

import io.gatehouse.Fixtures;
import io.gatehouse.console.ConsoleSession;
import io.quarkus.test.junit.QuarkusTest;
import io.gatehouse.GatehouseConfig;
import io.quarkus.test.junit.QuarkusMock;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Failed sign-ins are limited for HTTP Basic and the console's form login alike, with the production limits
 * (5 per username and address, 30 per address, 5 minutes), on a clock that only the test moves.
 */
@QuarkusTest
class LoginThrottleTest {
    /** The production default of gatehouse.login.max-failures-per-ip; the rest of the suite raises it. */
    private static final int MAX_FAILURES_PER_IP = 30;

    @Inject
    GatehouseConfig config;

    private final AtomicLong now = new AtomicLong(System.nanoTime());

    /**
     * A throttle with the production limits on a clock only this test moves, in place of the application's for
     * the length of one test (QuarkusMock), so this class needs no Quarkus boot of its own.
     */
    @BeforeEach
    void throttleOnASettableClock() {
        GatehouseConfig.Login login = config.login();
        QuarkusMock.installMockForType(new LoginThrottle(new LoginThrottle.Limits(login.maxFailures(),
                MAX_FAILURES_PER_IP, login.window(), login.lockout(), login.maxTracked()), now::get), LoginThrottle.class);
    }

    private static final String LOCKED = "Too many failed sign-ins from your address. Try again in 5 minutes.";

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private static Response basic(String user, String password) {
        return Fixtures.basic(user, password).get("/api/v1/me");
    }

    @Test
    void theSixthBasicAttemptIsRefusedEvenWithTheRightPasswordUntilTheCoolDownEnds() {
        String user = Fixtures.user();
        for (int i = 0; i < 5; i++) {
            basic(user, "wrong-password-" + i).then().statusCode(401).body("code", equalTo("unauthorized"));
        }
        basic(user, Fixtures.PASSWORD).then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", "300").body("code", equalTo("too_many_sign_ins")).body("status", equalTo(429))
                .body("detail", equalTo(LOCKED));
        // Another account from the same address is not locked.
        String other = Fixtures.user();
        basic(other, Fixtures.PASSWORD).then().statusCode(200);

        advance(Duration.ofSeconds(299));
        basic(user, Fixtures.PASSWORD).then().statusCode(429).header("Retry-After", "1")
                .body("detail", equalTo("Too many failed sign-ins from your address. Try again in a minute."));
        advance(Duration.ofSeconds(1));
        basic(user, Fixtures.PASSWORD).then().statusCode(200).body("username", equalTo(user));
    }

    @Test
    void theConsoleSignInPageSaysSoAndNoSessionIsMade() {
        String user = Fixtures.user();
        for (int i = 0; i < 5; i++) {
            Response r = form(user, "wrong-password-" + i);
            assertEquals(303, r.statusCode(), "failure " + i);
            assertEquals("/login?error=1", path(r.getHeader("Location")));
        }
        Response locked = form(user, Fixtures.PASSWORD);
        assertEquals(303, locked.statusCode());
        assertEquals("/login", path(locked.getHeader("Location")));
        assertNull(locked.getCookie(ConsoleSession.SESSION_COOKIE), "no session while locked");
        given().cookie(LoginNotice.COOKIE, locked.getCookie(LoginNotice.COOKIE)).get("/login").then().statusCode(200)
                .body(containsString("data-testid=\"login-notice\">" + LOCKED + "</div>"))
                .body(org.hamcrest.Matchers.not(containsString("Wrong username or password.")));

        advance(Duration.ofMinutes(5));
        ConsoleSession session = ConsoleSession.login(user, Fixtures.PASSWORD);
        session.get("/teams").then().statusCode(200);
    }

    @Test
    void sprayingManyNamesFromOneAddressLocksTheAddress() {
        String user = Fixtures.user();
        for (int i = 0; i < 30; i++) {
            basic(Fixtures.unique("nobody"), "guess-" + i).then().statusCode(401);
        }
        basic(user, Fixtures.PASSWORD).then().statusCode(429).header("Retry-After", "300");
        Response form = form(user, Fixtures.PASSWORD);
        assertEquals("/login", path(form.getHeader("Location")));
        assertNull(form.getCookie(ConsoleSession.SESSION_COOKIE));
        // Personal access tokens are not guessable passwords and are not limited.
        Fixtures.admin().get("/api/v1/me").then().statusCode(200);
        advance(Duration.ofMinutes(5));
        basic(user, Fixtures.PASSWORD).then().statusCode(200);
    }

    private static Response form(String user, String password) {
        return given().redirects().follow(false).contentType(ContentType.URLENC)
                .formParam("j_username", user).formParam("j_password", password).post("/j_security_check");
    }

    private static String path(String location) {
        return location == null ? null : location.replaceFirst("^https?://[^/]+", "");
    }
}
