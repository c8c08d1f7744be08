package io.gatehouse.auth;

import io.gatehouse.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 401/403/404 matrix: every endpoint that reads or changes a team's gateways, called by an
 * anonymous caller, a member of another team, a viewer, a maintainer and an owner. Another team's
 * gateway is a 404, exactly like a missing one, so names do not leak.
 */
@QuarkusTest
class AccessMatrixTest {
    private String team;
    private String gw;
    private final Map<String, String> users = new LinkedHashMap<>();

    /** One call: what it does, given a caller, a fresh gateway world's names, and the expected status per caller. */
    record Call(String name, Function<RequestSpecification, Integer> send, Map<String, Integer> expected) {
    }

    @BeforeEach
    void world() {
        team = Fixtures.team();
        gw = Fixtures.gateway(team);
        Fixtures.stage(gw, "prod", backend(host("http://10.0.0.1:8000", 1)));
        Fixtures.resource(gw, "r1", "GET", "/r1");
        for (String role : List.of("viewer", "maintainer", "owner")) {
            String user = Fixtures.user();
            Fixtures.member(team, user, role);
            users.put(role, user);
        }
        String otherTeam = Fixtures.team();
        String outsider = Fixtures.user();
        Fixtures.member(otherTeam, outsider, "owner");
        users.put("outsider", outsider);
    }

    private static Map<String, Integer> expect(int outsider, int viewer, int maintainer, int owner) {
        return Map.of("anonymous", 401, "outsider", outsider, "viewer", viewer, "maintainer", maintainer, "owner", owner);
    }

    private List<Call> calls() {
        Map<String, Object> stageBody = Map.of("backend", backend(host("http://10.0.0.2:8000", 2)));
        List<Call> calls = new ArrayList<>();
        calls.add(new Call("GET gateway", r -> r.get("/api/v1/gateways/{g}", gw).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("GET stages", r -> r.get("/api/v1/gateways/{g}/stages", gw).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("GET stage", r -> r.get("/api/v1/gateways/{g}/stages/prod", gw).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("PUT stage", r -> r.body(stageBody).put("/api/v1/gateways/{g}/stages/prod", gw).statusCode(),
                expect(404, 403, 200, 200)));
        calls.add(new Call("DELETE stage", r -> {
            String stage = "s" + System.nanoTime() % 100000;
            Fixtures.stage(gw, stage, backend(host("http://10.0.0.1:8000", 1)));
            return r.delete("/api/v1/gateways/{g}/stages/{s}", gw, stage).statusCode();
        }, expect(404, 403, 204, 204)));
        calls.add(new Call("GET resources", r -> r.get("/api/v1/gateways/{g}/resources", gw).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("GET resource", r -> r.get("/api/v1/gateways/{g}/resources/r1", gw).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("PUT resource", r -> r.body(Map.of("method", "GET", "path", "/r1"))
                .put("/api/v1/gateways/{g}/resources/r1", gw).statusCode(), expect(404, 403, 200, 200)));
        calls.add(new Call("DELETE resource", r -> {
            String name = "d" + System.nanoTime();
            Fixtures.resource(gw, name, "GET", "/" + name);
            return r.delete("/api/v1/gateways/{g}/resources/{r}", gw, name).statusCode();
        }, expect(404, 403, 204, 204)));
        calls.add(new Call("GET team gateways", r -> r.get("/api/v1/teams/{t}/gateways", team).statusCode(),
                expect(404, 200, 200, 200)));
        calls.add(new Call("POST team gateway", r -> r.body(Map.of("name", Fixtures.unique("new")))
                .post("/api/v1/teams/{t}/gateways", team).statusCode(), expect(404, 403, 201, 201)));
        calls.add(new Call("GET members", r -> r.get("/api/v1/teams/{t}/members", team).statusCode(), expect(404, 200, 200, 200)));
        calls.add(new Call("PUT member", r -> r.body(Map.of("role", "viewer"))
                .put("/api/v1/teams/{t}/members/{u}", team, Fixtures.user()).statusCode(), expect(404, 403, 403, 201)));
        calls.add(new Call("POST team", r -> r.body(Map.of("slug", Fixtures.unique("t"), "name", "x"))
                .post("/api/v1/teams").statusCode(), expect(403, 403, 403, 403)));
        calls.add(new Call("POST user", r -> r.body(Map.of("username", Fixtures.unique("u"), "password", "password-1234"))
                .post("/api/v1/users").statusCode(), expect(403, 403, 403, 403)));
        // Last: it removes the gateway the calls above use.
        calls.add(new Call("DELETE gateway", r -> {
            String victim = Fixtures.gateway(team);
            return r.delete("/api/v1/gateways/{g}", victim).statusCode();
        }, expect(404, 403, 403, 204)));
        return calls;
    }

    @Test
    void everyCallerGetsExactlyTheExpectedStatus() {
        List<String> mismatches = new ArrayList<>();
        for (Call call : calls()) {
            for (Map.Entry<String, Integer> e : call.expected().entrySet()) {
                String caller = e.getKey();
                RequestSpecification r = caller.equals("anonymous") ? Fixtures.anonymous() : Fixtures.as(users.get(caller));
                int status = call.send().apply(r);
                if (status != e.getValue()) {
                    mismatches.add(call.name() + " as " + caller + ": expected " + e.getValue() + ", got " + status);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @Test
    void anotherTeamsGatewayLooksExactlyLikeAMissingOne() {
        String outsider = users.get("outsider");
        String hidden = Fixtures.as(outsider).get("/api/v1/gateways/{g}", gw).then().statusCode(404).extract().asString();
        String missing = Fixtures.as(outsider).get("/api/v1/gateways/{g}", "no-such-gw").then().statusCode(404)
                .extract().asString();
        assertEquals(missing.replace("no-such-gw", gw), hidden);
    }

    @Test
    void badCredentialsAre401ProblemJsonWithAChallenge() {
        Fixtures.basic(users.get("owner"), Fixtures.PASSWORD).get("/api/v1/gateways/{g}", gw).then().statusCode(200);
        Fixtures.basic(users.get("owner"), "wrong-password")
                .get("/api/v1/gateways/{g}", gw)
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", equalTo("Basic realm=\"Gatehouse\", Bearer realm=\"Gatehouse\""))
                .body("code", equalTo("unauthorized"));
        Fixtures.basic("nobody-" + gw, "wrong-password")
                .get("/api/v1/gateways/{g}", gw).then().statusCode(401);
        Fixtures.anonymous().header("Authorization", "Negotiate abc").get("/api/v1/teams").then().statusCode(401);
    }

    @Test
    void membersSeeOnlyTheirTeams() {
        Fixtures.as(users.get("outsider")).get("/api/v1/teams").then().statusCode(200)
                .body("slug", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(team)));
        Fixtures.as(users.get("viewer")).get("/api/v1/teams").then().statusCode(200)
                .body("find { it.slug == '" + team + "' }.role", equalTo("viewer"));
    }
}
