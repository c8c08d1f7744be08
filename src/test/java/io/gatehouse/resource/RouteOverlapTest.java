package io.gatehouse.resource;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.Fixtures;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.Router;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.stage.BackendConfig;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.gatehouse.Fixtures.admin;
import static io.gatehouse.Fixtures.backend;
import static io.gatehouse.Fixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The admin API and the proxy's router agree on every overlap: the second resource is refused with 409 by
 * the API exactly when the compiler would drop it, and when both stand, a request goes to the more
 * specific one (literal over parameter, named method over ANY, GET for HEAD unless HEAD is named, exact
 * over prefix).
 */
@QuarkusTest
class RouteOverlapTest {

    /** A resource as "METHOD path match". */
    record R(String method, String path, String match) {
        static R of(String s) {
            String[] p = s.split(" ");
            return new R(p[0], p[1], p.length > 2 ? p[2] : "exact");
        }

        ResourceSpec spec() {
            return new ResourceSpec(method, path, match, null, null, null);
        }
    }

    /** {@code winners}: request ("METHOD /path") → "first" or "second"; empty when the two conflict. */
    record Case(String first, String second, boolean conflict, Map<String, String> winners) {
        @Override
        public String toString() {
            return first + " | " + second;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("GET /users/{id}", "GET /users/{uid}", true, Map.of()),
                new Case("ANY /users/{id}", "ANY /users/{uid}", true, Map.of()),
                new Case("GET /a prefix", "GET /a prefix", true, Map.of()),
                new Case("GET /a/{x}/b", "GET /a/{y}/b", true, Map.of()),
                new Case("ANY /x prefix", "ANY /x prefix", true, Map.of()),
                // A named method beside a catch-all: both stand, the named one wins its method (APISIX, Kong).
                new Case("ANY /users/{id}", "GET /users/{uid}", false,
                        Map.of("GET /users/1", "second", "HEAD /users/1", "second", "DELETE /users/1", "first")),
                new Case("GET /users/{id}", "ANY /users/{id}", false,
                        Map.of("GET /users/1", "first", "POST /users/1", "second")),
                new Case("GET /users/{id}", "POST /users/{id}", false,
                        Map.of("GET /users/1", "first", "POST /users/1", "second")),
                new Case("GET /users/{id}", "GET /users/me", false,
                        Map.of("GET /users/me", "second", "GET /users/7", "first")),
                new Case("GET /users prefix", "GET /users", false,
                        Map.of("GET /users", "second", "GET /users/7", "first")),
                new Case("HEAD /x", "GET /x", false, Map.of("HEAD /x", "first", "GET /x", "second")),
                new Case("ANY /x prefix", "GET /x", false,
                        Map.of("GET /x", "second", "POST /x", "first", "GET /x/y", "first")),
                new Case("GET /a/{x}/b", "GET /a/b/{y}", false,
                        Map.of("GET /a/b/b", "second", "GET /a/c/b", "first")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theApiAndTheRouterAgree(Case c) {
        R first = R.of(c.first());
        R second = R.of(c.second());

        String gw = Fixtures.gateway(Fixtures.team());
        put(gw, "first", first).then().statusCode(201);
        int status = put(gw, "second", second).then().extract().statusCode();
        assertEquals(c.conflict() ? 409 : 201, status, "admin API");

        BackendConfig backend = BackendConfig.initial(List.of(new BackendHost("http://10.0.0.1:8000", 1)));
        Map<String, ResourceSpec> both = Map.of("first", first.spec(), "second", second.spec());
        assertEquals(c.conflict(), !RouteCompiler.problems(gw, "prod", backend, both).isEmpty(), "compiler");

        StageSnapshot snapshot = RouteCompiler.compile(gw, "prod", backend, both, new HostRegistry());
        c.winners().forEach((request, winner) -> {
            String[] r = request.split(" ");
            Router.Match m = snapshot.router().match(r[0], r[1].substring(1).split("/", -1));
            assertEquals(winner, assertInstanceOf(Router.Found.class, m, request).route().name(), request);
        });
    }

    private static io.restassured.response.Response put(String gw, String name, R r) {
        return admin().body(Map.of("method", r.method(), "path", r.path(), "match", r.match()))
                .put("/api/v1/gateways/{g}/resources/{r}", gw, name);
    }
}
