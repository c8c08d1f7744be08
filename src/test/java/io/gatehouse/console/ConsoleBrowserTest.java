package io.gatehouse.console;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.gatehouse.Fixtures;
import io.gatehouse.proxy.Backend;
import io.gatehouse.instance.ProxyRuntime;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser ({@link Chromium}). Screenshots of each main page go to
 * target/console-screenshots; docs/console.md shows them.
 */
@QuarkusTest
class ConsoleBrowserTest {
    static Chromium browser;

    @TestHTTPResource("/")
    URL base;
    @Inject
    Vertx vertx;

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

    private String url(String path) {
        return base.toString().replaceAll("/$", "") + path;
    }

    private static void shot(Page page, String name) {
        Chromium.shot(page, name);
    }

    @Test
    void aTeamBuildsAGatewayInTheBrowser() {
        String team = Fixtures.unique("bt");
        String gw = Fixtures.unique("shop");
        Page page = browser.newPage();

        // Sign in: a console page sends an anonymous visitor to the login page.
        page.navigate(url("/teams"));
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
        shot(page, "01-login");
        // A wrong password: the page says so and keeps the username, the cursor in the password field.
        page.fill("#j_username", "admin");
        page.fill("#j_password", "not-the-password");
        page.click("button:has-text('Sign in')");
        assertThat(page.getByTestId("login-error")).hasText("Wrong username or password.");
        assertThat(page.locator("#j_username")).hasValue("admin");
        assertThat(page.locator("#j_password")).isFocused();
        page.fill("#j_password", "admin-password-1");
        page.click("button:has-text('Sign in')");
        // Back on the page first asked for, not on the landing page.
        assertThat(page).hasURL(Pattern.compile(".*/teams$"));
        assertThat(page.getByTestId("user")).hasText("Platform admin");

        // A team, then a gateway in it.
        page.fill("input[name=slug]", team);
        page.fill("input[name=name]", "Browser team");
        page.click("button:has-text('Create team')");
        assertThat(page.getByTestId("flash")).containsText("Team Browser team created.");
        page.fill("input[name=name]", gw);
        page.fill("textarea[name=description]", "Shop API");
        page.click("button:has-text('Create gateway')");
        assertThat(page).hasURL(Pattern.compile(".*/gateways/" + gw + "$"));
        shot(page, "02-gateway");

        // A stage with three weighted hosts and a tenant pool; shares update as weights are typed.
        Fixtures.tenant(gw, "acme");
        page.click("nav.tabs >> text=Stages");
        page.click("text=New stage");
        page.fill("input[name=name]", "prod");
        page.evaluate("window.notReloaded = true");
        Locator hosts = page.locator("#ed-backend-hosts tbody tr.host");
        hosts.nth(0).locator("input.url").fill("http://10.0.0.1:8000");
        hosts.nth(0).locator("input.weight").fill("5");
        page.click("[data-add-host='ed-backend-hosts']");
        hosts.nth(1).locator("input.url").fill("http://10.0.0.2:8000");
        hosts.nth(1).locator("input.weight").fill("1");
        assertThat(hosts.nth(0).locator("output")).hasText("83.3%");
        assertThat(hosts.nth(1).locator("output")).hasText("16.7%");
        page.click("[data-add-host='ed-backend-hosts']");
        hosts.nth(2).locator("input.url").fill("http://10.0.0.3:8000");
        hosts.nth(2).locator("input.weight").fill("4");
        assertThat(hosts.nth(0).locator("output")).hasText("50.0%");
        assertThat(hosts.nth(2).locator("output")).hasText("40.0%");
        page.click("[data-add-tenant='ed-backend-tenants']");
        page.fill("input[name='backend.tenants[0].name']", "acme");
        page.fill("input[name='backend.tenants[0].hosts[0].url']", "http://acme-1:8080");
        assertEquals(Boolean.TRUE, page.evaluate("window.notReloaded"), "the editor must not reload the page");
        shot(page, "03-stage-editor");
        page.click("button:has-text('Create stage')");
        assertThat(page.getByTestId("flash")).containsText("Stage prod created.");
        given().auth().preemptive().basic("admin", "admin-password-1").get("/api/v1/gateways/{g}/stages/prod", gw)
                .then().statusCode(200).body("backend.hosts.size()", equalTo(3))
                .body("backend.tenant_pools.acme[0].url", equalTo("http://acme-1:8080"));

        // Weight 0 and a host with a path: errors next to the inputs, the input kept.
        hosts.nth(1).locator("input.weight").fill("0");
        hosts.nth(2).locator("input.url").fill("http://10.0.0.3:8000/api");
        page.click("button:has-text('Save stage')");
        assertThat(page.locator("[data-error-for='backend.hosts[1].weight']")).containsText("from 1 to 10000");
        assertThat(page.locator("[data-error-for='backend.hosts[2].url']")).containsText("must not contain a path");
        assertThat(hosts.nth(1).locator("input.weight")).hasValue("0");
        shot(page, "04-stage-errors");

        // Two resources; one overrides prod with the same hosts editor.
        page.click("nav.tabs >> text=Resources");
        page.click("text=New resource");
        page.fill("input[name=name]", "list_items");
        page.fill("input[name=path]", "/items");
        page.click("button:has-text('Create resource')");
        assertThat(page.getByTestId("flash")).containsText("Resource list_items created.");
        page.click("text=New resource");
        page.fill("input[name=name]", "get_item");
        page.fill("input[name=path]", "/items/{id}");
        page.fill("input[name=backend_path]", "/api/items/{id}");
        Locator prod = page.locator("section[data-stage=prod]");
        assertThat(prod.locator("[data-backend-editor]")).isHidden();
        prod.locator("input[value=override]").check();
        assertThat(prod.locator("[data-backend-editor]")).isVisible();
        // An override starts empty (no silent copy of the stage's hosts and tenant pools) unless asked for.
        Locator overrideHosts = prod.locator("#ed-overrides-prod-hosts tbody tr.host");
        assertThat(overrideHosts).hasCount(1);
        assertThat(overrideHosts.nth(0).locator("input.url")).hasValue("");
        assertThat(prod.getByTestId("starts-empty-prod")).containsText("not prod's pools for acme");
        prod.getByTestId("copy-prod").click();
        assertThat(prod.getByTestId("copied-prod")).containsText("3 hosts, tenant pools acme");
        assertThat(page.locator("input[name=path]")).hasValue("/items/{id}");
        assertThat(overrideHosts).hasCount(3);
        overrideHosts.nth(0).locator("input.weight").fill("9");
        overrideHosts.nth(2).locator("[data-remove-host]").click();
        assertThat(overrideHosts).hasCount(2);
        assertThat(overrideHosts.nth(0).locator("output")).hasText("90.0%");
        shot(page, "05-resource-override");
        page.click("button:has-text('Create resource')");
        assertThat(page.getByTestId("flash")).containsText("Resource get_item created.");
        assertThat(page.locator("tr[data-resource=get_item] [data-badge=prod]")).hasText("override");
        assertThat(page.locator("tr[data-resource=list_items] [data-badge=prod]")).hasText("stage config");
        shot(page, "06-resources");

        // Publish: a version, a release with a comment, a second release, and a rollback, each confirmed in
        // the console's modal (no native confirm(): a native dialog would fail this test, none is accepted).
        page.click("nav.tabs >> text=Publishing");
        assertThat(page.getByTestId("unpublished-prod")).isVisible();
        page.fill("input[name=title]", "first");
        page.click("button:has-text('Create version')");
        assertThat(page.getByTestId("flash")).containsText("Version 1 created.");
        page.fill("[data-stage-panel=prod] input[name=comment]", "go live");
        page.click("[data-stage-panel=prod] button:has-text('Publish')");
        assertThat(page.getByTestId("modal")).containsText("Publish to prod?");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).containsText("Published version 1 to prod as release 1.");
        given().auth().preemptive().basic("admin", "admin-password-1").contentType("application/json")
                .body(java.util.Map.of("method", "GET", "path", "/health")).put("/api/v1/gateways/{g}/resources/health", gw)
                .then().statusCode(201);
        page.reload();
        page.fill("input[name=title]", "second");
        page.click("button:has-text('Create version')");
        page.selectOption("[data-stage-panel=prod] select[name=version]", "2");
        page.click("[data-stage-panel=prod] button:has-text('Publish')");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).containsText("as release 2.");
        shot(page, "07-publishing");
        page.click("[data-testid=history-prod] button:has-text('Roll back to this')");
        // The rollback's modal asks why; the comment goes with the release and into the audit log.
        assertThat(page.getByTestId("modal")).containsText("Roll prod back to release 1?");
        page.getByTestId("modal-comment").fill("health endpoint broke the clients");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).containsText("Rolled prod back to release 1 (new release 3).");
        assertThat(page.locator("[data-testid=history-prod] tbody tr").first()).containsText(
                "health endpoint broke the clients");
        page.selectOption("[data-testid=compare-versions] select[name=a]", "1");
        page.selectOption("[data-testid=compare-versions] select[name=b]", "2");
        page.click("button:has-text('Diff')");
        assertThat(page.locator("text=added")).isVisible();
        shot(page, "08-diff");

        // The audit log: a later weight change on top as a field-by-field diff, the raw JSON on demand.
        given().auth().preemptive().basic("admin", "admin-password-1").contentType("application/json")
                .body(java.util.Map.of("description", "production", "backend", java.util.Map.of("type",
                        "weighted_round_robin", "hosts", List.of(java.util.Map.of("url", "http://10.0.0.1:8000", "weight", 8)))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        page.click("nav.tabs >> text=Audit");
        Locator rows = page.locator("[data-testid=audit] > tbody > tr");
        assertThat(rows.nth(0)).hasAttribute("data-action", "stage.update");
        assertThat(rows.nth(1)).hasAttribute("data-action", "release.rollback");
        assertThat(rows.nth(1)).containsText("health endpoint broke the clients");
        assertThat(rows.first().locator("[data-testid=actor]")).hasText("admin");
        Locator weight = rows.first().locator("[data-testid=changes] tr", new Locator.LocatorOptions()
                .setHasText("backend.hosts[0].weight"));
        assertThat(weight.locator("td.from")).hasText("5");
        assertThat(weight.locator("td.to")).hasText("8");
        assertThat(rows.first().locator("pre[data-testid=after]")).isHidden();
        rows.first().locator("summary").click();
        assertThat(rows.first().locator("pre[data-testid=after]")).containsText("\"weight\" : 8");
        // The viewport only: the whole log is a long page.
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SHOTS.resolve("09-audit.png")));
        page.fill("input[name=actor]", "nobody-" + gw);
        page.click("button:has-text('Filter')");
        assertThat(page.locator("[data-testid=audit]")).containsText("No changes match this filter.");
        page.fill("input[name=actor]", "admin");
        page.fill("input[name=since]", "2020-01-02T03:04");
        page.fill("input[name=until]", "2020-01-01T00:00");
        page.click("button:has-text('Filter')");
        assertThat(page.locator("[data-error-for=until]")).hasText("must be after since");
        assertThat(page.locator("input[name=since]")).hasValue("2020-01-02T03:04");

        // A personal access token from the header's link: shown once, works on the API, then revoked (confirmed).
        page.click("[data-testid=tokens-link]");
        assertThat(page).hasURL(Pattern.compile(".*/account/tokens$"));
        page.fill("input[name=expires_in_days]", "400");
        page.fill("input[name=name]", "browser-ci");
        page.click("button:has-text('Create token')");
        assertThat(page.locator("[data-error-for=expires_in_days]")).hasText("must be an integer from 1 to 366");
        assertThat(page.locator("input[name=name]")).hasValue("browser-ci");
        page.fill("input[name=expires_in_days]", "30");
        page.click("button:has-text('Create token')");
        String secret = page.getByTestId("new-token").textContent();
        given().header("Authorization", "Bearer " + secret).get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo("admin"));
        Locator row = page.locator("tr[data-token='" + secret.substring(0, 10) + "']");
        assertThat(row.locator("[data-state]")).hasText("active");
        shot(page, "12-tokens");
        // A reload of the page the POST led to (post-redirect-get) repeats nothing and shows the secret no more.
        page.reload();
        assertThat(page.getByTestId("new-token")).hasCount(0);
        assertThat(page.locator("[data-testid=tokens] tr", new Page.LocatorOptions().setHasText("browser-ci"))).hasCount(1);
        row.locator("button:has-text('Revoke')").click();
        assertThat(page.getByTestId("modal-confirm")).hasText("Revoke");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).hasText("Token browser-ci (" + secret.substring(0, 10) + "…) revoked.");
        assertThat(page.getByTestId("new-token")).hasCount(0);
        assertThat(row.locator("[data-state]")).hasText("revoked");
        given().header("Authorization", "Bearer " + secret).get("/api/v1/me").then().statusCode(401);

        // A reload of the page the new token led to creates nothing and shows no secret again.
        page.reload();
        assertThat(page.getByTestId("new-token")).hasCount(0);
        assertThat(page.locator("[data-testid=tokens] tr", new Page.LocatorOptions().setHasText("browser-ci"))).hasCount(1);

        // What is live: prod serves release 3 (the rollback), its draft now has weight 8: the stage page says so.
        page.navigate(url("/gateways/" + gw + "/stages"));
        assertThat(page.getByTestId("differs-prod")).isVisible();
        page.click("a:has-text('prod') >> nth=0");
        assertThat(page.getByTestId("live-release-prod")).hasText("release 3");
        assertThat(page.getByTestId("draft-differs-prod")).containsText("Draft differs from live.");
        assertThat(page.getByTestId("draft-differs-prod")).containsText("hosts[0].weight: 5 → 8");
        shot(page, "14-stage-live");

        // Publish the draft (release 4), then compare release 3 with release 4: the weight change, coloured.
        page.click("nav.tabs >> text=Publishing");
        page.click("[data-stage-panel=prod] button:has-text('Publish')");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).containsText("as release 4.");
        page.selectOption("[data-testid=compare-prod] select[name=a]", "3");
        page.selectOption("[data-testid=compare-prod] select[name=b]", "4");
        page.click("[data-testid=compare-prod] button");
        Locator weightRow = page.locator("[data-testid=backend-diff] tr[data-field='hosts[0].weight']");
        assertThat(weightRow).hasClass("diff-changed");
        assertThat(weightRow.locator(".diff-from")).hasText("5");
        assertThat(weightRow.locator(".diff-to")).hasText("8");
        assertThat(page.getByTestId("host-moves")).containsText("http://10.0.0.1:8000 ×8");
        shot(page, "15-release-diff");

        // Deleting prod, which serves traffic, takes its name: without it nothing is deleted.
        page.navigate(url("/gateways/" + gw + "/stages/prod"));
        Locator delete = page.getByTestId("delete-stage");
        assertThat(delete).containsText("the proxy answers 404");
        delete.locator("button:has-text('Delete stage')").click();
        assertThat(page.locator("[data-error-for=confirm]")).hasText("type the stage name, prod, to confirm");
        shot(page, "16-delete-live-stage");
        page.getByTestId("delete-stage").locator("input[name=confirm]").fill("prod");
        page.getByTestId("delete-stage").locator("button:has-text('Delete stage')").click();
        // The name typed, a resource still overriding prod is what stops it (409), as before.
        assertThat(page.getByTestId("flash")).hasText("resources get_item override stage 'prod'; remove their overrides first");
        given().auth().preemptive().basic("admin", "admin-password-1").contentType("application/json")
                .body(java.util.Map.of("method", "GET", "path", "/items/{id}", "backend_path", "/api/items/{id}"))
                .put("/api/v1/gateways/{g}/resources/get_item", gw).then().statusCode(200);
        page.getByTestId("delete-stage").locator("input[name=confirm]").fill("prod");
        page.getByTestId("delete-stage").locator("button:has-text('Delete stage')").click();
        assertThat(page.getByTestId("flash")).hasText("Stage prod deleted.");

        // A platform admin creates an account; its user signs in and changes the password.
        String newcomer = "newcomer" + Math.abs(System.nanoTime() % 1_000_000);
        page.click("[data-testid=users-link]");
        page.fill("input[name=username]", newcomer);
        page.fill("input[name=display_name]", "New Comer");
        page.fill("input[name=password]", "first-password-1");
        page.fill("input[name=confirm_password]", "first-password-1");
        page.click("button:has-text('Create account')");
        assertThat(page.getByTestId("flash")).hasText("Account " + newcomer + " created.");
        shot(page, "17-users");
        Page other = browser.newPage();
        other.navigate(url("/login"));
        other.fill("#j_username", newcomer);
        other.fill("#j_password", "first-password-1");
        other.click("button:has-text('Sign in')");
        assertThat(other.getByTestId("user")).hasText("New Comer");
        // The same user in another browser (its own cookies): the password change below ends that session.
        Page forgotten = browser.newPage();
        forgotten.navigate(url("/login"));
        forgotten.fill("#j_username", newcomer);
        forgotten.fill("#j_password", "first-password-1");
        forgotten.click("button:has-text('Sign in')");
        assertThat(forgotten.getByTestId("user")).hasText("New Comer");
        other.click("[data-testid=password-link]");
        other.fill("input[name=current_password]", "first-password-1");
        other.fill("input[name=new_password]", "second-password-2");
        other.fill("input[name=confirm_password]", "second-password-2");
        other.click("button:has-text('Change password')");
        assertThat(other.getByTestId("flash")).containsText("Password changed.");
        given().auth().preemptive().basic(newcomer, "second-password-2").get("/api/v1/me").then().statusCode(200);
        given().auth().preemptive().basic(newcomer, "first-password-1").get("/api/v1/me").then().statusCode(401);
        other.reload();
        assertThat(other.getByTestId("user")).hasText("New Comer");
        forgotten.reload();
        assertThat(forgotten).hasURL(Pattern.compile(".*/login$"));
        forgotten.context().close();

        // The admin disables the account: its session ends at the next click; enabling lets it sign in again.
        page.navigate(url("/admin/users?q=" + newcomer));
        page.click("a:has-text('@" + newcomer + "')");
        assertThat(page.getByTestId("account-state")).hasText("active");
        page.click("button:has-text('Disable account')");
        assertThat(page.getByTestId("modal")).containsText("Disable " + newcomer + "?");
        page.click("[data-testid=modal-confirm]");
        assertThat(page.getByTestId("flash")).containsText("Account " + newcomer + " disabled");
        assertThat(page.getByTestId("account-state")).hasText("disabled");
        shot(page, "19-user-account");
        other.reload();
        assertThat(other).hasURL(Pattern.compile(".*/login$"));
        other.fill("#j_username", newcomer);
        other.fill("#j_password", "second-password-2");
        other.click("button:has-text('Sign in')");
        assertThat(other.getByTestId("login-notice")).hasText("This account is disabled. A platform admin can enable it again.");
        page.click("button:has-text('Enable account')");
        assertThat(page.getByTestId("flash")).hasText("Account " + newcomer + " enabled.");
        other.fill("#j_password", "second-password-2");
        other.click("button:has-text('Sign in')");
        assertThat(other.getByTestId("user")).hasText("New Comer");

        // Sign out.
        page.click("button:has-text('Sign out')");
        assertThat(page).hasURL(Pattern.compile(".*/login\\?out=1$"));
        page.navigate(url("/teams"));
        assertThat(page).hasURL(Pattern.compile(".*/login$"));
    }

    /** A loopback backend that answers 200 with its name, on the application's Vert.x. */
    private HttpServer backend(String name) {
        return vertx.createHttpServer().requestHandler(req -> req.response().end(name)).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void tryItSendsRequestsThroughTheProxyAndShowsWhichHostAnswered() {
        HttpServer a = backend("a");
        HttpServer b = backend("b");
        try {
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.stage(gw, "prod", Fixtures.backend(Fixtures.host("http://127.0.0.1:" + a.actualPort(), 3),
                    Fixtures.host("http://127.0.0.1:" + b.actualPort(), 1)));
            Fixtures.resource(gw, "get_user", "GET", "/users/{id}");
            Fixtures.admin().body(java.util.Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then()
                    .statusCode(201);
            Fixtures.admin().body(java.util.Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                    .then().statusCode(201);

            Page page = browser.newPage();
            page.navigate(url("/login"));
            page.fill("#j_username", "admin");
            page.fill("#j_password", "admin-password-1");
            page.click("button:has-text('Sign in')");
            page.navigate(url("/gateways/" + gw + "/resources/get_user"));
            Locator tryIt = page.getByTestId("try-it");
            assertThat(tryIt.locator("input[name=path]")).hasValue("/users/{id}");

            // The template itself is not a path: the error names the field, and nothing is sent.
            tryIt.locator("button:has-text('Send')").click();
            assertThat(tryIt.locator("[data-error-for=path]")).containsText("such as /users/1");

            tryIt.locator("input[name=path]").fill("/users/7");
            page.evaluate("window.notReloaded = true");
            tryIt.locator("button:has-text('Send')").click();
            assertThat(page.getByTestId("try-count-a")).hasText("75");
            assertThat(page.getByTestId("try-count-b")).hasText("25");
            assertThat(page.getByTestId("try-statuses")).containsText("200 × 100");
            assertThat(page.getByTestId("try-sequence")).hasText(("a a b a ".repeat(25)).trim());
            assertEquals(Boolean.TRUE, page.evaluate("window.notReloaded"), "Try it must not reload the page");
            page.getByTestId("try-it").scrollIntoViewIfNeeded();
            shot(page, "10-try-it");
        } finally {
            a.close().toCompletionStage().toCompletableFuture().join();
            b.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Inject
    ProxyRuntime runtime;

    @Test
    void theTrafficViewShowsLiveSharesAndRefreshesItself() throws Exception {
        try (Backend a = new Backend(vertx, "a"); Backend b = new Backend(vertx, "b");
             Backend acme = new Backend(vertx, "acme-1")) {
            String gw = Fixtures.gateway(Fixtures.team());
            Fixtures.tenant(gw, "acme");
            Fixtures.admin().body(java.util.Map.of("backend", java.util.Map.of("type", "weighted_round_robin",
                    "hosts", List.of(Fixtures.host(a.url(), 3), Fixtures.host(b.url(), 1)),
                    "tenant_pools", java.util.Map.of("acme", List.of(Fixtures.host(acme.url(), 1))))))
                    .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
            Fixtures.resource(gw, "items", "GET", "/items");
            int v = Fixtures.admin().body(java.util.Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw)
                    .then().statusCode(201).extract().path("number");
            Fixtures.admin().body(java.util.Map.of("version", v)).post("/api/v1/gateways/{g}/stages/prod/releases", gw)
                    .then().statusCode(201);
            io.gatehouse.Eventually.eventually("the release on this instance",
                    () -> runtime.instance().store().get(gw, "prod") != null);
            HttpClient http = HttpClient.newHttpClient();
            URI items = URI.create("http://127.0.0.1:" + runtime.instance().port() + "/" + gw + "/prod/items");
            for (int i = 0; i < 40; i++) {
                http.send(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.discarding());
            }
            for (int i = 0; i < 6; i++) {
                http.send(HttpRequest.newBuilder(items).header("X-Tenant-Id", "acme").build(),
                        HttpResponse.BodyHandlers.discarding());
            }

            Page page = browser.newPage();
            page.navigate(url("/login"));
            page.fill("#j_username", "admin");
            page.fill("#j_password", "admin-password-1");
            page.click("button:has-text('Sign in')");
            page.navigate(url("/gateways/" + gw + "/stages/prod"));
            page.click("nav.subtabs >> text=Traffic");
            assertThat(page.getByTestId("traffic-scope")).containsText("this console process's own proxy");
            Locator rows = page.locator("[data-group=stage] table[data-pool=default] tbody tr");
            assertThat(rows).hasCount(2);
            assertThat(rows.nth(0).locator("[data-col=requests]")).hasText("30");
            assertThat(rows.nth(1).locator("[data-col=requests]")).hasText("10");
            assertThat(rows.nth(0).locator("[data-col=actual]")).hasText("75.0%");
            assertThat(page.locator("[data-group=stage] table[data-pool=acme] [data-col=requests]")).hasText("6");
            assertThat(rows.nth(0).locator(".badge.health-up")).isVisible();
            // Answers for no route (404) are their own number, never "no healthy host (503)".
            for (int i = 0; i < 3; i++) {
                assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(items.toString().replace("/items", "/nope")))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode());
            }
            assertThat(page.locator("[data-group=stage] [data-testid=no-route]")).hasText(
                    "3 matching no resource or method (404/405)",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
            assertThat(page.locator("[data-testid=no-host]")).hasCount(0);
            shot(page, "11-traffic");

            // htmx reloads the fragment every 3 s: new traffic shows without reloading the page.
            page.evaluate("window.notReloaded = true");
            for (int i = 0; i < 4; i++) {
                http.send(HttpRequest.newBuilder(items).build(), HttpResponse.BodyHandlers.discarding());
            }
            assertThat(rows.nth(0).locator("[data-col=requests]")).hasText("33",
                    new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(10_000));
            assertThat(rows.nth(1).locator("[data-col=requests]")).hasText("11");
            assertEquals(Boolean.TRUE, page.evaluate("window.notReloaded"), "htmx swaps the fragment in place");
        }
    }

    @Test
    void theConsoleFitsA390PixelScreen() {
        String gw = Fixtures.publishedGateway(Fixtures.team());
        Page page = browser.newPage();
        page.setViewportSize(390, 844);
        page.navigate(url("/login"));
        page.fill("#j_username", "admin");
        page.fill("#j_password", "admin-password-1");
        page.click("button:has-text('Sign in')");
        List<String> missing = new java.util.concurrent.CopyOnWriteArrayList<>();
        page.onResponse(r -> {
            if (r.status() == 404) {
                missing.add(r.url());
            }
        });
        for (String path : List.of("/gateways/" + gw, "/gateways/" + gw + "/stages", "/gateways/" + gw + "/stages/prod",
                "/gateways/" + gw + "/resources/r1", "/gateways/" + gw + "/resources", "/gateways/" + gw + "/publishing",
                "/gateways/" + gw + "/publishing/stages/prod/releases", "/gateways/" + gw + "/stages/prod/traffic",
                "/gateways/" + gw + "/audit", "/account/tokens", "/admin/users", "/admin/users/admin", "/teams")) {
            page.navigate(url(path));
            // No sideways scrolling of the page, and the header ends above the content instead of covering it.
            assertEquals(390, ((Number) page.evaluate("document.documentElement.scrollWidth")).intValue(), path);
            double headerBottom = page.locator("header.topbar").boundingBox().y + page.locator("header.topbar").boundingBox().height;
            assertTrue(headerBottom <= page.locator("main.page").boundingBox().y + 0.5, path + ": header overlaps");
            assertTrue(page.locator("[data-testid=user]").boundingBox().x + page.locator("[data-testid=user]").boundingBox().width <= 390,
                    path + ": the user's name is off screen");
        }
        // Browsers ask for /favicon.ico by themselves: no page, asset or icon answers 404.
        page.navigate(url("/favicon.ico"));
        assertEquals(List.of(), missing);
        page.navigate(url("/gateways/" + gw + "/stages/prod"));
        // A host row is a small card there: its URL input takes the card's width, not a sliver beside four columns.
        double urlWidth = page.locator("table.hosts input.url").first().boundingBox().width;
        assertTrue(urlWidth >= 250, "host URL input " + urlWidth + " px wide at 390 px");
        page.screenshot(new Page.ScreenshotOptions().setPath(Chromium.SHOTS.resolve("18-narrow-390.png")));
    }
}
