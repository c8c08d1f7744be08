package io.gatehouse.resource;

import io.gatehouse.common.FieldError;
import io.gatehouse.common.Violations;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendHost;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourceSpecTest {

    private static List<FieldError> errors(ResourceSpec spec) {
        Violations v = new Violations();
        spec.validate(Set.of("test", "prod"), v);
        return v.errors();
    }

    private static ResourceSpec spec(String method, String path, String match) {
        return new ResourceSpec(method, path, match, null, null, null);
    }

    @Test
    void methodMustBeKnown() {
        assertEquals(List.of(new FieldError("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY")),
                errors(spec("FETCH", "/a", null)));
        assertEquals(List.of(new FieldError("method", "must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY")),
                errors(spec(null, "/a", null)));
    }

    @Test
    void matchIsExactOrPrefix() {
        assertEquals(List.of(new FieldError("match", "must be one of exact, prefix")), errors(spec("GET", "/a", "regex")));
    }

    @Test
    void backendPathMayOnlyUseTheParametersOfThePath() {
        ResourceSpec s = new ResourceSpec("GET", "/users/{id}", null, "/api/{user}/{id}", null, null);
        assertEquals(List.of(new FieldError("backend_path", "uses {user}, which the path does not define")), errors(s));
        ResourceSpec bad = new ResourceSpec("GET", "/users/{id}", null, "api", null, null);
        assertEquals(List.of(new FieldError("backend_path", "must start with /")), errors(bad));
    }

    @Test
    void overridesMustNameAStageAndBeValid() {
        BackendConfig good = new BackendConfig(null, List.of(new BackendHost("http://a", 1)), null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        BackendConfig bad = new BackendConfig(null, List.of(new BackendHost("http://a", 0)), null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        ResourceSpec s = new ResourceSpec("GET", "/a", null, null, null, Map.of("staging", good, "prod", bad));
        assertEquals(List.of(new FieldError("overrides.prod.hosts[0].weight", "must be an integer from 1 to 10000"),
                new FieldError("overrides.staging", "no stage named 'staging' in this gateway")), errors(s));
    }

    @Test
    void normalizedFillsDefaults() {
        ResourceSpec n = spec("GET", "/a/{x}", null).normalized();
        assertEquals("exact", n.match());
        assertEquals("/a/{x}", n.backendPath());
        assertEquals(Map.of(), n.overrides());
    }

    @Test
    void conflictsNeedSameShapeSameMatchAndSameMethod() {
        assertTrue(spec("GET", "/users/{id}", null).conflictsWith(spec("GET", "/users/{uid}", "exact")));
        assertTrue(spec("ANY", "/users/{id}", null).conflictsWith(spec("ANY", "/users/{uid}", null)));
        // The router serves both, the named method winning (RouteOverlapTest pins the agreement).
        assertFalse(spec("ANY", "/users/{id}", null).conflictsWith(spec("DELETE", "/users/{uid}", null)));
        assertFalse(spec("GET", "/users/{id}", null).conflictsWith(spec("POST", "/users/{id}", null)));
        assertFalse(spec("GET", "/users/{id}", null).conflictsWith(spec("GET", "/users/me", null)));
        assertFalse(spec("GET", "/users", "prefix").conflictsWith(spec("GET", "/users", "exact")));
    }
}
