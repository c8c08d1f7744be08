package io.gatehouse.proxy;

import io.gatehouse.balance.HostRegistry;
import io.gatehouse.resource.ResourceSpec;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class RouterTest {

    private final StageSnapshot snapshot = RouteCompiler.compile("gw", "prod",
            Cfg.of("round_robin").host("http://10.0.0.1:80", 1).build(),
            resources(
                    "user", resource("GET", "/users/{id}", "exact", "/api/users/{id}"),
                    "me", resource("GET", "/users/me", "exact", "/api/me"),
                    "delete-user", resource("DELETE", "/users/{id}", "exact", null),
                    "users-any", resource("ANY", "/users", "prefix", "/legacy"),
                    "orders", resource("ANY", "/users/{id}/orders", "prefix", "/orders/{id}"),
                    "root", resource("POST", "/", "prefix", "/catch-all"),
                    "post-only", resource("POST", "/submit", "exact", null)),
            new HostRegistry());

    private Router.Found found(String method, String path) {
        Router.Match m = snapshot.router().match(method, segments(path));
        return assertInstanceOf(Router.Found.class, m, method + " " + path);
    }

    private String backend(String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Router.Found f = found(method, path);
        return f.route().name() + " -> " + f.route().backendUri(f.segments(), f.consumed(), q < 0 ? null : pathAndQuery.substring(q + 1));
    }

    private static String[] segments(String path) {
        return path.equals("/") ? new String[0] : path.substring(1).split("/", -1);
    }

    @Test
    void literalBeatsParamBeatsPrefix() {
        assertEquals("me -> /api/me", backend("GET", "/users/me"));
        assertEquals("user -> /api/users/42", backend("GET", "/users/42"));
        assertEquals("users-any -> /legacy/42/extra", backend("GET", "/users/42/extra"));
        assertEquals("users-any -> /legacy", backend("GET", "/users"));
    }

    @Test
    void longerPrefixBeatsShorterAndRestIsAppendedWithQuery() {
        assertEquals("orders -> /orders/7/2024/01?x=1&y=%20", backend("PUT", "/users/7/orders/2024/01?x=1&y=%20"));
        assertEquals("orders -> /orders/7", backend("GET", "/users/7/orders"));
        assertEquals("root -> /catch-all/anything/else", backend("POST", "/anything/else"));
    }

    @Test
    void methodBeatsAnyAndHeadIsServedByGet() {
        assertEquals("delete-user -> /users/9", backend("DELETE", "/users/9"));
        assertEquals("user -> /api/users/9", backend("HEAD", "/users/9"));
        // /users/me has only GET; DELETE falls through to the parameter route, which has it.
        assertEquals("delete-user -> /users/me", backend("DELETE", "/users/me"));
    }

    @Test
    void methodNotAllowedListsEveryMethodThatWouldMatch() {
        Router.Match m = snapshot.router().match("PUT", segments("/submit"));
        Router.MethodNotAllowed mna = assertInstanceOf(Router.MethodNotAllowed.class, m);
        // /submit POST, and the POST prefix "/" also covers /submit.
        assertEquals(Set.of("POST"), mna.allow());
        // A less specific ANY route still takes a method the specific ones lack, rather than a 405.
        assertEquals("users-any -> /legacy/5", backend("PATCH", "/users/5"));
    }

    @Test
    void notFoundWhenNothingMatchesThePath() {
        StageSnapshot s = RouteCompiler.compile("gw", "prod", Cfg.of("round_robin").host("http://10.0.0.1", 1).build(),
                resources("a", resource("GET", "/a/{x}", "exact", null)), new HostRegistry());
        assertInstanceOf(Router.NotFound.class, s.router().match("GET", segments("/b")));
        assertInstanceOf(Router.NotFound.class, s.router().match("GET", segments("/a/1/2")));
        // a parameter never matches an empty segment
        assertInstanceOf(Router.NotFound.class, s.router().match("GET", new String[]{"a", ""}));
    }

    @Test
    void conflictingResourcesAreProblemsAndTheFirstByNameWins() {
        StageSnapshot s = RouteCompiler.compile("gw", "prod", Cfg.of("round_robin").host("http://10.0.0.1", 1).build(),
                resources("b", resource("GET", "/u/{id}", "exact", null),
                        "a", resource("GET", "/u/{name}", "exact", null),
                        "bad", new ResourceSpec("FETCH", "/x", null, null, null, null)),
                new HostRegistry());
        assertEquals(1, s.routes().size());
        assertEquals("a", found(s, "GET", "/u/1").route().name());
        assertEquals(2, s.problems().size(), s.problems().toString());
    }

    private static Router.Found found(StageSnapshot s, String method, String path) {
        return assertInstanceOf(Router.Found.class, s.router().match(method, segments(path)));
    }
}
