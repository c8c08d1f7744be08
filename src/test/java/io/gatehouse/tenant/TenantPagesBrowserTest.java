package io.gatehouse.tenant;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.gatehouse.Eventually;
import io.gatehouse.Fixtures;
import io.gatehouse.console.Chromium;
import io.gatehouse.console.ConsoleSession;
import io.gatehouse.proxy.Backend;
import io.gatehouse.instance.ProxyRuntime;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gateway's Tenants page in a real browser ({@link Chromium}) against the application's own proxy: a
 * maintainer creates a tenant (a bad burst is refused under its field, the input kept), issues a key (shown
 * once; a reload creates and shows nothing), sends requests with it through the proxy port under
 * {@code tenant_from: api_key} and sees them as the tenant's usage (and on the stage's Traffic tab), revokes the
 * key and the proxy refuses it. A viewer sees the page without its forms.
 */
@QuarkusTest
class TenantPagesBrowserTest {
    static Chromium browser;

    @TestHTTPResource("/")
    URL base;
    @Inject
    Vertx vertx;
    @Inject
    ProxyRuntime runtime;

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

    private static int get(HttpClient http, URI uri, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (key != null) {
            b.header("X-Api-Key", key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aMaintainerCreatesATenantIssuesAndRevokesAKeyAndSeesItsUsage() throws Exception {
        String team = Fixtures.team();
        String gw = Fixtures.gateway(team);
        String maintainer = Fixtures.user();
        Fixtures.member(team, maintainer, "maintainer");
        Page page = browser.newPage();
        page.navigate(url("/login"));
        page.fill("#j_username", maintainer);
        page.fill("#j_password", Fixtures.PASSWORD);
        page.click("button:has-text('Sign in')");
        page.navigate(url("/gateways/" + gw));
        page.click("nav.tabs >> text=Tenants");
        assertThat(page.locator("section.card .empty")).containsText("No tenants yet.");

        // A burst of 0 is refused under the burst field, with what was typed kept.
        Locator create = page.getByTestId("new-tenant");
        create.locator("input[name=name]").fill("acme");
        create.locator("input[name=description]").fill("Acme Corp, dedicated hosts");
        create.locator("input[name=requests_per_second]").fill("50");
        create.locator("input[name=burst]").fill("0");
        create.locator("button:has-text('Create tenant')").click();
        assertThat(create.locator("[data-error-for=burst]")).containsText("must be an integer from 1 to");
        assertThat(create.locator("input[name=name]")).hasValue("acme");
        assertEquals(404, admin().get("/api/v1/gateways/{g}/tenants/acme", gw).statusCode(), "nothing saved");
        create.locator("input[name=burst]").fill("100");
        create.locator("button:has-text('Create tenant')").click();
        assertThat(page.getByTestId("flash")).containsText("Tenant acme created.");
        Locator acme = page.locator("section[data-tenant=acme]");
        assertThat(acme.getByTestId("limit")).hasText("50/s, burst 100");

        // A stage that takes the tenant from an API key and sends acme to its own host, published.
        try (Backend shared = new Backend(vertx, "shared"); Backend acmeHost = new Backend(vertx, "acme-1")) {
            admin().body(Map.of("backend", Map.of("hosts", List.of(host(shared.url(), 1)),
                            "tenant_pools", Map.of("acme", List.of(host(acmeHost.url(), 1))),
                            "tenant_from", "api_key", "unknown_tenant", "reject")))
                    .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(201);
            Fixtures.resource(gw, "items", "GET", "/items");
            admin().body(Map.of("title", "v1")).post("/api/v1/gateways/{g}/versions", gw).then().statusCode(201);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", gw).then()
                    .statusCode(201);
            Eventually.eventually("the release on this instance", () -> runtime.instance().store().get(gw, "prod") != null);
            page.reload();
            assertThat(acme.getByTestId("named-by")).containsText("the live release of stage prod");

            // A key: an empty name is refused in this tenant's key form; then created, its secret shown once.
            Locator keyForm = acme.getByTestId("key-form");
            keyForm.locator("button:has-text('Create key')").click();
            assertThat(acme.getByTestId("key-form").locator("[data-error-for=key_name]")).containsText("is required");
            acme.getByTestId("key-form").locator("input[name=key_name]").fill("billing-service");
            acme.getByTestId("key-form").locator("button:has-text('Create key')").click();
            assertThat(page.getByTestId("new-key-card")).containsText("Key billing-service of tenant acme created");
            String key = page.getByTestId("new-key").textContent().trim();
            assertTrue(key.startsWith("gk_"), key);
            Locator keyRow = acme.locator("[data-testid=keys] tbody tr[data-key]");
            assertThat(keyRow).hasCount(1);
            assertThat(keyRow.getByTestId("key-state")).hasText("active");
            // A reload repeats nothing and shows no secret.
            page.reload();
            assertThat(page.getByTestId("new-key-card")).hasCount(0);
            assertFalse(page.content().contains(key), "the secret is shown once");
            assertThat(acme.locator("[data-testid=keys] tbody tr[data-key]")).hasCount(1);

            // Requests with the key reach acme's host; over the limit they get 429s; all counted as acme's.
            HttpClient http = HttpClient.newHttpClient();
            URI items = URI.create("http://127.0.0.1:" + runtime.instance().port() + "/" + gw + "/prod/items");
            Eventually.eventually("the key on this instance", () ->
                    runtime.instance().tenants().directory().keys().containsKey(ApiKeySecrets.hash(key)));
            for (int i = 0; i < 8; i++) {
                assertEquals(200, get(http, items, key));
            }
            assertEquals(401, get(http, items, null));
            page.reload();
            Locator usage = acme.locator("[data-testid=usage] tr[data-stage=prod]");
            assertThat(usage).hasAttribute("data-requests", "8");
            assertThat(usage).hasAttribute("data-limited", "0");
            assertThat(usage).hasAttribute("data-errors", "0");
            Chromium.shot(page, "19-tenants");
            page.navigate(url("/gateways/" + gw + "/stages/prod/traffic"));
            assertThat(page.locator("[data-testid=tenant-usage] tr[data-tenant=acme]")).hasAttribute("data-requests", "8");
            assertThat(page.locator("[data-testid=tenant-usage] tr[data-tenant='(none)']"))
                    .hasAttribute("data-requests", "1");

            // Revoked: the page says so, and the proxy refuses the key (no release).
            page.navigate(url("/gateways/" + gw + "/tenants"));
            acme.locator("[data-testid=keys] button:has-text('Revoke')").click();
            assertThat(page.getByTestId("modal-confirm")).hasText("Revoke"); // the console's modal, no native dialog
            page.click("[data-testid=modal-confirm]");
            assertThat(page.getByTestId("flash")).containsText("revoked");
            assertThat(acme.locator("[data-testid=keys] tr[data-key]").getByTestId("key-state")).hasText("revoked");
            Eventually.eventually("the revoked key refused", () -> {
                try {
                    return get(http, items, key) == 401;
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(8, acmeHost.requestsServed());
        }

        // A viewer reads the page, without the forms the API would refuse them.
        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        String html = ConsoleSession.login(viewer, Fixtures.PASSWORD).get("/gateways/{g}/tenants", gw).then()
                .statusCode(200).extract().asString();
        assertTrue(html.contains("data-tenant=\"acme\""), html);
        assertFalse(html.contains("Create key") || html.contains("Revoke") || html.contains("Create tenant")
                || html.contains("Delete tenant"), "a viewer gets no forms");
    }
}
