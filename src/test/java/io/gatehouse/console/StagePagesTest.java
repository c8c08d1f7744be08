package io.gatehouse.console;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The stage pages and the backend config editor's round trip to BackendConfig and back. */
@QuarkusTest
class StagePagesTest {

    /** A gateway with tenant acme declared, which the stage form's tenant pool names. */
    private static String gatewayWithAcme(String team) {
        String gw = Fixtures.gateway(team);
        Fixtures.tenant(gw, "acme");
        return gw;
    }

    private static Map<String, String> stageForm(String name) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("name", name);
        f.put("description", "Production");
        f.put("backend.type", "weighted_round_robin");
        f.put("backend.hosts[0].url", "http://10.0.0.1:8000");
        f.put("backend.hosts[0].weight", "5");
        // A gap, as when a row was removed in the browser: rows are renumbered on the server.
        f.put("backend.hosts[2].url", "http://10.0.0.2:8000");
        f.put("backend.hosts[2].weight", "1");
        f.put("backend.tenant_header", "X-Tenant-Id");
        f.put("backend.tenant_fallback", "fail");
        f.put("backend.tenants[0].name", "acme");
        f.put("backend.tenants[0].hosts[0].url", "http://acme-1:8080");
        f.put("backend.tenants[0].hosts[0].weight", "1");
        f.put("backend.hash.on", "header");
        f.put("backend.hash.name", "");
        f.put("backend.hash.replicas", "150");
        f.put("backend.timeouts.connect_ms", "2000");
        f.put("backend.timeouts.read_ms", "30000");
        f.put("backend.retries", "2");
        f.put("backend.pass_host", "pass");
        f.put("backend.upstream_host", "");
        return f;
    }

    @Test
    void createsAStageFromTheEditorAndShowsItBack() {
        String gw = gatewayWithAcme(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/stages/_new", gw).then().statusCode(200)
                .body(containsString("name=\"backend.hosts[0].url\""));
        admin.post("/gateways/{g}/stages", stageForm("prod"), gw).then().statusCode(303)
                .header("Location", endsWith("/gateways/" + gw + "/stages/prod"));
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body("backend.hosts.size()", equalTo(2))
                .body("backend.hosts[1].url", equalTo("http://10.0.0.2:8000"))
                .body("backend.tenant_pools.acme[0].url", equalTo("http://acme-1:8080"))
                .body("backend.retries", equalTo(2))
                .body("backend.hash", equalTo(null));
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("value=\"http://10.0.0.2:8000\""))
                .body(containsString("83.3%"))
                .body(containsString("16.7%"))
                .body(containsString("value=\"acme\""));
        admin.get("/gateways/{g}/stages", gw).then().statusCode(200).body(containsString("weighted_round_robin"));
    }

    @Test
    void theStripTenantHeaderCheckboxSavesAndShowsBack() {
        String gw = gatewayWithAcme(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = stageForm("prod");
        f.put("backend.strip_tenant_header", "true");
        admin.post("/gateways/{g}/stages", f, gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("backend.strip_tenant_header", equalTo(true));
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("name=\"backend.strip_tenant_header\" value=\"true\" checked"));

        f.remove("backend.strip_tenant_header");
        f.remove("name");
        admin.post("/gateways/{g}/stages/prod", f, gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("backend.strip_tenant_header", equalTo(null));
    }

    @Test
    void theEncodedSlashesCheckboxSavesAndShowsBackAndAnUncheckedSaveRejectsAgain() {
        String gw = gatewayWithAcme(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = stageForm("prod");
        f.put("backend.encoded_slashes", "keep");
        admin.post("/gateways/{g}/stages", f, gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("backend.encoded_slashes", equalTo("keep"));
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("name=\"backend.encoded_slashes\" value=\"keep\" checked"));

        f.remove("backend.encoded_slashes");
        f.remove("name");
        admin.post("/gateways/{g}/stages/prod", f, gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().body("backend.encoded_slashes", equalTo(null));
    }

    @Test
    void fieldErrorsLandOnTheirInputsAndTheInputIsKept() {
        String gw = gatewayWithAcme(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = stageForm("prod");
        f.put("backend.hosts[2].weight", "0");
        f.put("backend.hosts[0].url", "http://10.0.0.1:8000/api");
        f.put("backend.tenants[0].hosts[0].weight", "lots");
        admin.post("/gateways/{g}/stages/prod", f, gw).then().statusCode(422)
                .body(containsString("data-error-for=\"backend.hosts[1].weight\""))
                .body(containsString("must be an integer from 1 to 10000"))
                .body(containsString("data-error-for=\"backend.hosts[0].url\""))
                .body(containsString("must not contain a path"))
                .body(containsString("data-error-for=\"backend.tenants[0].hosts[0].weight\""))
                .body(containsString("value=\"http://10.0.0.1:8000/api\""))
                .body(containsString("value=\"lots\""));
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then()
                .body("backend.hosts[0].url", equalTo("http://10.0.0.1:8000"));
    }

    @Test
    void tenantPoolErrorsFromTheServiceMapToTheTenantRows() {
        String gw = gatewayWithAcme(Fixtures.team());
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = stageForm("prod");
        f.put("backend.tenants[1].name", "bad tenant!");
        f.put("backend.tenants[1].hosts[0].url", "ftp://x");
        f.put("backend.tenants[1].hosts[0].weight", "1");
        admin.post("/gateways/{g}/stages/prod", f, gw).then().statusCode(422)
                .body(containsString("data-error-for=\"backend.tenants[1].name\""))
                .body(containsString("data-error-for=\"backend.tenants[1].hosts[0].url\""))
                .body(containsString("scheme must be http or https"));
    }

    @Test
    void consistentHashNeedsItsOptions() {
        String gw = gatewayWithAcme(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        Map<String, String> f = stageForm("test");
        f.put("backend.type", "consistent_hash");
        admin.post("/gateways/{g}/stages", f, gw).then().statusCode(422)
                .body(containsString("data-error-for=\"backend.hash.name\""));
        f.put("backend.hash.name", "X-User-Id");
        admin.post("/gateways/{g}/stages", f, gw).then().statusCode(303);
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/test", gw).then()
                .body("backend.hash.name", equalTo("X-User-Id"));
    }

    @Test
    void viewersSeeAReadOnlyEditorAndCannotSave() {
        String team = Fixtures.team();
        String gw = gatewayWithAcme(team);
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        String viewer = Fixtures.user();
        Fixtures.member(team, viewer, "viewer");
        ConsoleSession s = ConsoleSession.login(viewer, Fixtures.PASSWORD);
        s.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("<fieldset disabled>"))
                .body(not(containsString("Save stage")))
                .body(not(containsString("+ Add host")));
        s.get("/gateways/{g}/stages", gw).then().statusCode(200).body(not(containsString("New stage")));
        s.post("/gateways/{g}/stages/prod", stageForm("prod"), gw).then().statusCode(403);
    }

    @Test
    void theStagePagesShowWhatIsLiveAndWhenTheDraftDiffers() {
        String gw = Fixtures.publishedGateway(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/stages", gw).then().statusCode(200)
                .body(containsString("<td data-testid=\"live-prod\"><strong>release 1</strong> · version 1"))
                .body(not(containsString("data-testid=\"differs-prod\"")));
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("<strong data-testid=\"live-release-prod\">release 1</strong>"))
                .body(containsString("published by admin"))
                .body(not(containsString("Draft differs from live")));

        // A draft weight change: both pages say the draft differs, and what.
        Fixtures.admin().body(Map.of("backend", backend(host("http://10.0.0.1:8000", 4))))
                .put("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin.get("/gateways/{g}/stages", gw).then().statusCode(200)
                .body(containsString("data-testid=\"differs-prod\">draft differs</span>"));
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("<strong>Draft differs from live.</strong>"))
                .body(containsString("backend <code>hosts[0].weight</code>: <del>1</del> → <ins>4</ins>"))
                .body(containsString("/publishing/diff?stage=prod&amp;a=1&amp;b=draft"));
    }

    @Test
    void deletingAStageThatServesTrafficTakesItsNameTyped() {
        String gw = Fixtures.publishedGateway(Fixtures.team());
        ConsoleSession admin = ConsoleSession.login("admin", "admin-password-1");
        admin.get("/gateways/{g}/stages/prod", gw).then().statusCode(200)
                .body(containsString("the proxy answers <strong>404</strong> to every request under <code>/" + gw + "/prod/</code>"))
                .body(containsString("name=\"confirm\""));
        for (String typed : new String[]{"", "Prod", "test"}) {
            admin.post("/gateways/{g}/stages/prod/delete", Map.of("confirm", typed), gw).then().statusCode(422)
                    .body(containsString("<p class=\"error\" data-error-for=\"confirm\">type the stage name, prod, to confirm</p>"));
        }
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(200);
        admin.post("/gateways/{g}/stages/prod/delete", Map.of("confirm", "prod"), gw).then().statusCode(303)
                .header("Location", endsWith("/gateways/" + gw + "/stages"));
        Fixtures.admin().get("/api/v1/gateways/{g}/stages/prod", gw).then().statusCode(404);

        // A stage that was never published serves nothing: no name to type, the modal's confirmation is enough.
        Fixtures.stage(gw, "test", backend(host("http://10.0.0.1:8000", 1)));
        admin.get("/gateways/{g}/stages/test", gw).then().statusCode(200).body(not(containsString("name=\"confirm\"")))
                .body(containsString("has no release: the proxy answers 404 for it until one is published"));
        admin.post("/gateways/{g}/stages/test/delete", Map.of(), gw).then().statusCode(303);
    }
}
