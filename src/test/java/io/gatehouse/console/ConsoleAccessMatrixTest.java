package io.gatehouse.console;

import io.gatehouse.Endpoints;
import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The console's access matrix: every page (GET) and form (POST) the compiled console classes declare is
 * called by an anonymous visitor (sent to the sign-in page), a member of another team (404, exactly like
 * a missing gateway, never 403), a viewer, a maintainer, an owner and a platform admin, and each gets
 * exactly the expected status (200, 302/303, 403 or 404). Forms carry a valid CSRF token and a valid body, so an allowed role gets
 * its real success (a 303 without an error flash). The endpoints are found by reflection
 * ({@link Endpoints#console()}): a new console page without a rule here fails {@link #everyPageAndFormHasARule}.
 * The same list drives {@link #everyFormRefusesAMissingOrWrongCsrfToken}.
 *
 * <p>Adding a page is one line in {@link #rules()}: {@code r.put("GET /gateways/{gw}/traffic", page(READ));}.
 */
@QuarkusTest
class ConsoleAccessMatrixTest {
    static final List<String> CALLERS = List.of("anonymous", "outsider", "viewer", "maintainer", "owner", "admin");

    /** A fresh world per test: team, gateway with stage prod, resource r1, version 1 published to prod. */
    record World(String team, String gw) {
        Map<String, String> vars() {
            return Map.of("team", team, "gw", gw, "stage", "prod", "resource", "r1");
        }
    }

    /** One request: values for the path template's {names}, and the form (query for a GET). */
    record Call(Map<String, String> vars, Map<String, String> form) {
    }

    /** How to call one endpoint in a world (run once per caller, so it may create what it deletes). */
    record Rule(Function<World, Call> call, Map<String, Integer> expected) {
    }

    static Map<String, Integer> expect(int anonymous, int outsider, int viewer, int maintainer, int owner, int admin) {
        return Map.of("anonymous", anonymous, "outsider", outsider, "viewer", viewer, "maintainer", maintainer,
                "owner", owner, "admin", admin);
    }

    /** Reading a team's or gateway's page. */
    static final Map<String, Integer> READ = expect(303, 404, 200, 200, 200, 200);
    /** Changing a gateway (or creating one): maintainers and up. */
    static final Map<String, Integer> EDIT = expect(303, 404, 403, 303, 303, 303);
    /** Members, deleting a gateway: owners and platform admins. */
    static final Map<String, Integer> OWNER = expect(303, 404, 403, 403, 303, 303);
    static final Map<String, Integer> REDIRECT = expect(303, 303, 303, 303, 303, 303);

    static Rule page(Map<String, Integer> expected) {
        return new Rule(w -> new Call(w.vars(), Map.of()), expected);
    }

    static Rule page(Map<String, Integer> expected, Map<String, String> query) {
        return new Rule(w -> new Call(w.vars(), query), expected);
    }

    static Rule form(Map<String, Integer> expected, Map<String, String> body) {
        return new Rule(w -> new Call(w.vars(), body), expected);
    }

    static Rule form(Map<String, Integer> expected, Function<World, Call> call) {
        return new Rule(call, expected);
    }

    static Map<String, String> with(World w, String name, String value) {
        Map<String, String> vars = new HashMap<>(w.vars());
        vars.put(name, value);
        return vars;
    }

    static String fresh(String prefix) {
        return prefix + Math.abs(System.nanoTime() % 10_000_000);
    }

    private static final Map<String, String> STAGE_FORM = Map.of("description", "d",
            "backend.hosts[0].url", "http://10.0.0.9:8000", "backend.hosts[0].weight", "3");
    private static final Map<String, String> RESOURCE_FORM = Map.of("method", "GET", "path", "/r1", "match", "exact",
            "use.prod", "stage");

    /** A different host per call (nanoTime modulo 200 could repeat one, and the publish would be a 409). */
    private static final java.util.concurrent.atomic.AtomicInteger HOSTS = new java.util.concurrent.atomic.AtomicInteger();

    /** Changes prod's draft config, so that publishing it is not "nothing to publish". */
    static void touchProd(World w) {
        admin().body(Map.of("backend", backend(host("http://10.2." + HOSTS.incrementAndGet() % 250 + ".1:80", 1))))
                .put("/api/v1/gateways/{g}/stages/prod", w.gw()).then().statusCode(200);
    }

    /** One rule per console endpoint, keyed "METHOD /path/template" exactly as the page classes declare it. */
    static Map<String, Rule> rules() {
        Map<String, Rule> r = new LinkedHashMap<>();
        // The front door and signing in and out. OIDC is off in this profile: /login/oidc needs the code flow
        // (an HTTP permission), so the security layer itself sends everyone to /login with a 302.
        r.put("GET /", page(REDIRECT));
        r.put("GET /login", page(expect(200, 303, 303, 303, 303, 303)));
        r.put("GET /login/oidc", page(expect(302, 302, 302, 302, 302, 302)));
        r.put("POST /logout", form(REDIRECT, Map.of()));
        // The caller's own personal access tokens; another user's token is a 404 for everyone, admins too.
        r.put("GET /account/tokens", page(expect(303, 200, 200, 200, 200, 200)));
        r.put("POST /account/tokens", form(expect(303, 303, 303, 303, 303, 303), Map.of("name", "matrix",
                "expires_in_days", "1")));
        r.put("POST /account/tokens/{id}/revoke", form(expect(303, 404, 404, 404, 404, 404), w -> {
            Number id = Fixtures.as(Fixtures.user()).get("/api/v1/tokens").then().statusCode(200).extract().path("[0].id");
            return new Call(Map.of("id", String.valueOf(id)), Map.of());
        }));
        // The caller's own password: a wrong current password is a 422 for everyone signed in (nothing changes;
        // a real change would lock the matrix's own sessions out). Accounts: platform admins only.
        r.put("GET /account/password", page(expect(303, 200, 200, 200, 200, 200)));
        r.put("POST /account/password", form(expect(303, 422, 422, 422, 422, 422), Map.of("current_password",
                "not-the-password", "new_password", "another-password-1", "confirm_password", "another-password-1")));
        r.put("GET /admin/users", page(expect(303, 403, 403, 403, 403, 200)));
        r.put("POST /admin/users", form(expect(303, 403, 403, 403, 403, 303), w -> {
            String name = "u" + fresh("m");
            return new Call(w.vars(), Map.of("username", name, "password", "matrix-password-1",
                    "confirm_password", "matrix-password-1"));
        }));
        r.put("GET /admin/users/{username}", form(expect(303, 403, 403, 403, 403, 200),
                w -> new Call(with(w, "username", Fixtures.user()), Map.of())));
        r.put("POST /admin/users/{username}/password", form(expect(303, 403, 403, 403, 403, 303),
                w -> new Call(with(w, "username", Fixtures.user()), Map.of("password", "reset-password-1",
                        "confirm_password", "reset-password-1"))));
        r.put("POST /admin/users/{username}/disable", form(expect(303, 403, 403, 403, 403, 303),
                w -> new Call(with(w, "username", Fixtures.user()), Map.of())));
        r.put("POST /admin/users/{username}/enable", form(expect(303, 403, 403, 403, 403, 303),
                w -> new Call(with(w, "username", Fixtures.user()), Map.of())));
        // Teams and members.
        r.put("GET /teams", page(expect(303, 200, 200, 200, 200, 200)));
        r.put("POST /teams", form(expect(303, 403, 403, 403, 403, 303), w -> new Call(w.vars(),
                Map.of("slug", Fixtures.unique("mt"), "name", "Matrix team"))));
        r.put("GET /teams/{team}", page(expect(303, 404, 303, 303, 303, 303)));
        r.put("GET /teams/{team}/members", page(READ));
        // The add-member field's suggestions: for those who may add members.
        r.put("GET /teams/{team}/members/suggestions", page(expect(303, 404, 403, 403, 200, 200),
                Map.of("username", "adm")));
        r.put("POST /teams/{team}/members", form(OWNER, w -> new Call(w.vars(),
                Map.of("username", Fixtures.user(), "role", "viewer"))));
        r.put("POST /teams/{team}/members/{username}/remove", form(OWNER, w -> {
            String member = Fixtures.user();
            Fixtures.member(w.team(), member, "viewer");
            return new Call(with(w, "username", member), Map.of());
        }));
        r.put("GET /teams/{team}/gateways", page(READ));
        r.put("POST /teams/{team}/gateways", form(EDIT, w -> new Call(w.vars(),
                Map.of("name", Fixtures.unique("mgw"), "description", "x"))));
        // A gateway.
        r.put("GET /gateways/{gw}", page(READ));
        r.put("POST /gateways/{gw}/settings", form(EDIT, Map.of("description", "Matrix description")));
        r.put("POST /gateways/{gw}/delete", form(OWNER, w -> {
            String gw = Fixtures.gateway(w.team());
            return new Call(with(w, "gw", gw), Map.of("confirm", gw));
        }));
        r.put("GET /gateways/{gw}/audit", page(READ, Map.of("actor", "admin")));
        // Stages.
        r.put("GET /gateways/{gw}/stages", page(READ));
        r.put("GET /gateways/{gw}/stages/_new", page(READ));
        r.put("POST /gateways/{gw}/stages", form(EDIT, w -> {
            Map<String, String> body = new HashMap<>(STAGE_FORM);
            body.put("name", fresh("s"));
            return new Call(w.vars(), body);
        }));
        r.put("GET /gateways/{gw}/stages/{stage}", page(READ));
        r.put("GET /gateways/{gw}/stages/{stage}/traffic", page(READ));
        r.put("GET /gateways/{gw}/stages/{stage}/traffic/live", page(READ));
        r.put("POST /gateways/{gw}/stages/{stage}", form(EDIT, STAGE_FORM));
        r.put("POST /gateways/{gw}/stages/{stage}/delete", form(EDIT, w -> {
            String stage = fresh("d");
            Fixtures.stage(w.gw(), stage, backend(host("http://10.0.0.1:8000", 1)));
            return new Call(with(w, "stage", stage), Map.of());
        }));
        // Resources.
        r.put("GET /gateways/{gw}/resources", page(READ));
        r.put("GET /gateways/{gw}/resources/_new", page(READ));
        r.put("POST /gateways/{gw}/resources", form(EDIT, w -> {
            String name = fresh("n");
            return new Call(w.vars(), Map.of("name", name, "method", "GET", "path", "/" + name, "use.prod", "stage"));
        }));
        r.put("GET /gateways/{gw}/resources/{resource}", page(READ));
        r.put("POST /gateways/{gw}/resources/{resource}", form(EDIT, RESOURCE_FORM));
        r.put("POST /gateways/{gw}/resources/{resource}/delete", form(EDIT, w -> {
            String name = fresh("x");
            Fixtures.resource(w.gw(), name, "GET", "/" + name);
            return new Call(with(w, "resource", name), Map.of());
        }));
        // Try it (htmx panel of the resource page; its answer is a fragment, 200): maintainers and up, one request.
        r.put("POST /gateways/{gw}/resources/{resource}/try", form(expect(303, 404, 403, 200, 200, 200),
                Map.of("stage", "prod", "count", "1", "path", "/r1")));
        // Publishing.
        r.put("GET /gateways/{gw}/hosts", page(READ));
        r.put("POST /gateways/{gw}/hosts", form(EDIT, w -> {
            admin().body(Map.of("method", "GET", "path", "/hs", "overrides",
                    Map.of("prod", backend(host("http://10.9.9.9:80", 1))))).put("/api/v1/gateways/{g}/resources/hs", w.gw())
                    .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
            return new Call(w.vars(), Map.of("url", "http://10.9.9.9:80", "state", "draining", "reason", "matrix"));
        }));
        // Tenants and their API keys (no release: they act at once).
        r.put("GET /gateways/{gw}/tenants", page(READ));
        r.put("POST /gateways/{gw}/tenants", form(EDIT, w -> new Call(w.vars(), Map.of("name", fresh("t"),
                "requests_per_second", "5"))));
        r.put("POST /gateways/{gw}/tenants/{tenant}", form(EDIT, w -> new Call(tenant(w), Map.of("description", "d",
                "requests_per_second", "7", "burst", "9"))));
        r.put("POST /gateways/{gw}/tenants/{tenant}/delete", form(EDIT, w -> new Call(tenant(w), Map.of())));
        r.put("POST /gateways/{gw}/tenants/{tenant}/keys", form(EDIT, w -> new Call(tenant(w),
                Map.of("key_name", "matrix", "expires_in_days", "1"))));
        r.put("POST /gateways/{gw}/tenants/{tenant}/keys/{id}/revoke", form(EDIT, w -> {
            Map<String, String> vars = tenant(w);
            Number id = admin().body(Map.of("name", "matrix")).post("/api/v1/gateways/{g}/tenants/{t}/keys", w.gw(),
                    vars.get("tenant")).then().statusCode(201).extract().path("id");
            vars.put("id", String.valueOf(id));
            return new Call(vars, Map.of());
        }));
        r.put("GET /gateways/{gw}/publishing", page(READ));
        r.put("GET /gateways/{gw}/publishing/diff", page(READ, Map.of("a", "1", "b", "draft")));
        r.put("GET /gateways/{gw}/publishing/stages/{stage}/gateway-api.yaml", page(READ));
        r.put("GET /gateways/{gw}/publishing/stages/{stage}/releases", page(READ));
        r.put("POST /gateways/{gw}/publishing/versions", form(EDIT, w -> {
            String name = fresh("v");
            Fixtures.resource(w.gw(), name, "GET", "/" + name);
            return new Call(w.vars(), Map.of("title", "t", "comment", ""));
        }));
        r.put("POST /gateways/{gw}/publishing/stages/{stage}/publish", form(EDIT, w -> {
            touchProd(w);
            return new Call(w.vars(), Map.of("version", "1", "comment", "matrix"));
        }));
        r.put("POST /gateways/{gw}/publishing/stages/{stage}/rollback", form(EDIT, w -> {
            touchProd(w);
            admin().body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/prod/releases", w.gw()).then()
                    .statusCode(201);
            return new Call(w.vars(), Map.of("release", "1", "comment", "matrix"));
        }));
        // Approval: a fresh stage that requires approval, with request 1 made by another maintainer.
        r.put("POST /gateways/{gw}/publishing/stages/{stage}/requests/{number}/approve", form(EDIT, w ->
                new Call(requested(w), Map.of("comment", "ok"))));
        r.put("POST /gateways/{gw}/publishing/stages/{stage}/requests/{number}/reject", form(EDIT, w ->
                new Call(requested(w), Map.of("comment", "no"))));
        // Only the requester withdraws: every caller here is someone else.
        r.put("POST /gateways/{gw}/publishing/stages/{stage}/requests/{number}/withdraw",
                form(expect(303, 404, 403, 403, 403, 403), w -> new Call(requested(w), Map.of())));
        return r;
    }

    /** Path values naming a new tenant of the world's gateway. */
    static Map<String, String> tenant(World w) {
        String name = fresh("t");
        Fixtures.tenant(w.gw(), name);
        return with(w, "tenant", name);
    }

    /** Path values of request 1 on a new stage of the world that requires approval, requested by a new maintainer. */
    static Map<String, String> requested(World w) {
        String stage = fresh("a");
        String requester = Fixtures.user();
        Fixtures.member(w.team(), requester, "maintainer");
        admin().body(Map.of("backend", backend(host("http://10.0.0.4:8000", 1)), "requires_approval", true))
                .put("/api/v1/gateways/{g}/stages/{s}", w.gw(), stage).then().statusCode(201);
        Fixtures.as(requester).body(Map.of("version", 1)).post("/api/v1/gateways/{g}/stages/{s}/releases", w.gw(), stage)
                .then().statusCode(202);
        Map<String, String> vars = with(w, "stage", stage);
        vars.put("number", "1");
        return vars;
    }

    private World world;
    private final Map<String, ConsoleSession> sessions = new LinkedHashMap<>();

    @BeforeEach
    void world() {
        String team = Fixtures.team();
        String gw = Fixtures.publishedGateway(team);
        sessions.put("anonymous", ConsoleSession.anonymous());
        String outsider = Fixtures.user();
        Fixtures.member(Fixtures.team(), outsider, "owner");
        sessions.put("outsider", ConsoleSession.login(outsider, Fixtures.PASSWORD));
        for (String role : List.of("viewer", "maintainer", "owner")) {
            String user = Fixtures.user();
            Fixtures.member(team, user, role);
            sessions.put(role, ConsoleSession.login(user, Fixtures.PASSWORD));
        }
        sessions.put("admin", ConsoleSession.login("admin", "admin-password-1"));
        world = new World(team, gw);
    }

    /** The template with its {names} filled in from the call. */
    static String path(String template, Map<String, String> vars) {
        Matcher m = Pattern.compile("\\{(\\w+)}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new AssertionError(template + ": the rule gives no value for {" + m.group(1) + "}");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    /** Sends the call as the page would (a POST with the session's CSRF token); {@code token} null leaves it out. */
    static Response send(ConsoleSession s, String endpoint, Call call, RequestSpecification spec, String token) {
        String verb = endpoint.substring(0, endpoint.indexOf(' '));
        String path = path(endpoint.substring(endpoint.indexOf(' ') + 1), call.vars());
        if (verb.equals("GET")) {
            return spec.queryParams(call.form()).get(path);
        }
        Map<String, String> body = new LinkedHashMap<>(call.form());
        if (token != null) {
            body.put(ConsoleSession.CSRF_COOKIE, token);
        }
        return body.isEmpty() ? spec.contentType(ContentType.URLENC).post(path)
                : spec.contentType(ContentType.URLENC).formParams(body).post(path);
    }

    static String flashKind(Response r) {
        String flash = r.getCookie("gatehouse-flash");
        if (flash == null || flash.isEmpty()) {
            return null;
        }
        String text = new String(Base64.getUrlDecoder().decode(flash), StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf('|')) + ": " + text.substring(text.indexOf('|') + 1);
    }

    @Test
    void everyPageAndFormHasARule() throws Exception {
        assertEquals(Endpoints.console(), new TreeSet<>(rules().keySet()),
                "each console page and form needs exactly one rule in ConsoleAccessMatrixTest.rules()");
    }

    @Test
    void everyCallerGetsExactlyTheExpectedStatus() {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Rule> endpoint : rules().entrySet()) {
            for (String caller : CALLERS) {
                ConsoleSession s = sessions.get(caller);
                Call call = endpoint.getValue().call().apply(world);
                Response r = send(s, endpoint.getKey(), call, s.request(), s.csrf());
                int expected = endpoint.getValue().expected().get(caller);
                String where = endpoint.getKey() + " as " + caller;
                if (r.statusCode() != expected) {
                    mismatches.add(where + ": expected " + expected + ", got " + r.statusCode());
                } else if ((expected == 302 || expected == 303) && caller.equals("anonymous")
                        && !URI.create(r.getHeader("Location")).getPath().equals("/login")) {
                    mismatches.add(where + ": sent to " + r.getHeader("Location") + ", not the sign-in page");
                } else if (expected == 303 && flashKind(r) != null && flashKind(r).startsWith("error")) {
                    mismatches.add(where + ": 303 with an error, " + flashKind(r));
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void anotherTeamsGatewayPageLooksExactlyLikeAMissingOne() {
        ConsoleSession outsider = sessions.get("outsider");
        for (String page : List.of("", "/stages", "/resources", "/hosts", "/tenants", "/publishing", "/audit")) {
            String hidden = outsider.get("/gateways/" + world.gw() + page).then().statusCode(404).extract().asString();
            String missing = outsider.get("/gateways/no-such-gw" + page).then().statusCode(404).extract().asString();
            assertEquals(missing.replace("no-such-gw", world.gw()), hidden, page);
        }
    }

    /** What a refused form must not have changed: the gateway's audit log, the team's gateways and members, the teams. */
    private List<Object> state() {
        return List.of(
                admin().queryParam("limit", 500).get("/api/v1/gateways/{g}/audit", world.gw()).then().statusCode(200)
                        .extract().path("id"),
                admin().get("/api/v1/teams/{t}/gateways", world.team()).then().extract().path("name"),
                admin().get("/api/v1/teams/{t}/members", world.team()).then().extract().path("username"),
                admin().get("/api/v1/teams").then().extract().path("slug"));
    }

    @Test
    void everyFormRefusesAMissingOrWrongCsrfToken() throws Exception {
        ConsoleSession admin = sessions.get("admin");
        String otherToken = ConsoleSession.anonymous().csrf();
        List<String> mismatches = new ArrayList<>();
        List<String> forms = Endpoints.console().stream().filter(e -> e.startsWith("POST ")).toList();
        for (String form : forms) {
            Rule rule = rules().get(form);
            Call call = rule.call().apply(world);
            List<Object> before = state();
            Map<String, Response> attempts = new LinkedHashMap<>();
            attempts.put("no token", send(admin, form, call, admin.request(), null));
            attempts.put("another visitor's token", send(admin, form, call, admin.request(), otherToken));
            attempts.put("token without its cookie", send(admin, form, call, io.restassured.RestAssured.given()
                    .redirects().follow(false).cookie(ConsoleSession.SESSION_COOKIE, admin.session()), admin.csrf()));
            attempts.forEach((how, r) -> {
                if (r.statusCode() != 403 || !r.asString().contains("CSRF token")) {
                    mismatches.add(form + " with " + how + ": expected 403, got " + r.statusCode());
                }
            });
            if (!before.equals(state())) {
                mismatches.add(form + ": a refused form changed something");
            }
        }
        assertEquals(List.of(), mismatches);
        // And the same form with the token goes through (the matrix above checks every role).
        admin.post("/teams/{t}/gateways", Map.of("name", Fixtures.unique("ok")), world.team()).then().statusCode(303);
        admin.postWithoutToken("/logout", Map.of()).then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("CSRF token"));
    }
}
