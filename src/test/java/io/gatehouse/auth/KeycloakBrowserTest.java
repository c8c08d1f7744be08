package io.gatehouse.auth;

import com.microsoft.playwright.Page;
import io.gatehouse.Fixtures;
import io.gatehouse.console.Chromium;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

/**
 * "Sign in with Keycloak" in a real browser against the real Keycloak of {@link KeycloakLoginTest} (same
 * profile and resource, so one Keycloak start serves both): the console's authorization-code flow, the
 * realm's groups giving the team role, signing out at Keycloak too, and a name that belongs to a local
 * account refused with a notice.
 */
@QuarkusTest
@TestProfile(KeycloakLoginTest.Profile.class)
@WithTestResource(KeycloakResource.class)
class KeycloakBrowserTest {
    static Chromium browser;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void launch() {
        browser = Chromium.launch();
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Playwright hands the pattern to JavaScript, which has no quoting (Pattern.quote): escape by hand. */
    private static String literal(String s) {
        return s.replaceAll("[.*+?^${}()|\\[\\]\\\\/]", "\\\\$0");
    }

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static String paymentsGateway() {
        Fixtures.admin().body(Map.of("slug", "payments", "name", "Payments")).post("/api/v1/teams")
                .then().statusCode(anyOf(is(201), is(409)));
        return Fixtures.gateway("payments");
    }

    /** On Keycloak's own sign-in page (another origin): fill in and submit. */
    private static void signInAtKeycloak(Page page, String username, String password) {
        assertThat(page).hasURL(Pattern.compile("^" + literal(KeycloakResource.url) + "/protocol/openid-connect/auth\\?.*"));
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("#kc-login");
    }

    @Test
    void aRealmUserSignsInWorksInHerTeamAndSignsOutAtKeycloakToo() {
        String gateway = paymentsGateway();
        Page page = browser.newPage();
        page.navigate(url("/login"));
        page.getByTestId("login-oidc").click();
        Chromium.shot(page, "13-keycloak-sign-in");
        signInAtKeycloak(page, "demo", "demo-password");

        // Back in the console, signed in as the realm's demo user, owner of payments by the group /teams/payments/owner.
        assertThat(page).hasURL(Pattern.compile("^" + literal(url("/")) + ".*"));
        assertThat(page.getByTestId("user")).hasText("Demo User");
        page.navigate(url("/gateways/" + gateway));
        assertThat(page.locator("section.card h2").first()).hasText(gateway);
        // Only an owner is offered the delete form.
        assertThat(page.locator("section.danger-zone")).containsText("Delete this gateway");

        // Sign out: the console session ends, and so does Keycloak's (RP-initiated logout), ending on our sign-in page.
        page.click("button:has-text('Sign out')");
        assertThat(page).hasURL(Pattern.compile("^" + literal(url("/login?out=1")) + ".*"));
        assertThat(page.locator("[role=status]")).hasText("You are signed out.");
        page.navigate(url("/gateways/" + gateway));
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
        // Keycloak asks for the password again: without the provider's logout it would sign demo straight back in.
        page.getByTestId("login-oidc").click();
        signInAtKeycloak(page, "demo", "demo-password");
        assertThat(page.getByTestId("user")).hasText("Demo User");
    }

    @Test
    void aRealmUserWhoseNameBelongsToALocalAccountIsRefused() {
        Fixtures.admin().body(Map.of("username", KeycloakResource.LOCAL_NAME_CLASH, "password", Fixtures.PASSWORD,
                "display_name", "Local Lena")).post("/api/v1/users").then().statusCode(anyOf(is(201), is(409)));
        Page page = browser.newPage();
        page.navigate(url("/login"));
        page.getByTestId("login-oidc").click();
        signInAtKeycloak(page, KeycloakResource.LOCAL_NAME_CLASH, KeycloakResource.LOCAL_NAME_CLASH + "-password");

        assertThat(page).hasURL(Pattern.compile(".*/login$"));
        assertThat(page.getByTestId("login-notice")).containsText(
                "A Gatehouse account named '" + KeycloakResource.LOCAL_NAME_CLASH + "' already exists");
        page.navigate(url("/teams"));
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
    }
}
