package io.gatehouse.proxy;

import io.gatehouse.balance.HostRegistry;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.gatehouse.proxy.ProxyFixture.resource;
import static io.gatehouse.proxy.ProxyFixture.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteCompilerTest {

    private final HostRegistry registry = new HostRegistry();
    private final BackendConfig stage = Cfg.of("weighted_round_robin").host("http://10.0.0.1:8080", 5)
            .host("http://10.0.0.2:8080", 1).build();

    @Test
    void resourcesUsingTheStageConfigShareOneUpstreamAndEqualOverridesShareAnother() {
        BackendConfig override = Cfg.of("round_robin").host("http://10.9.9.9", 1).build();
        StageSnapshot s = RouteCompiler.compile("gw", "prod", 7, stage, resources(
                "a", resource("GET", "/a", "exact", null),
                "b", resource("GET", "/b", "exact", null),
                "c", new ResourceSpec("GET", "/c", "exact", null, null, Map.of("prod", override)),
                "d", new ResourceSpec("GET", "/d", "exact", null, null, Map.of("prod", override))), registry);

        assertEquals(2, s.upstreams().size());
        assertSame(s.routes().get("a").upstream(), s.routes().get("b").upstream());
        assertSame(s.routes().get("c").upstream(), s.routes().get("d").upstream());
        assertEquals(7, s.release());
        assertEquals("http://10.9.9.9:80", s.routes().get("c").upstream().pools().defaults().hosts().get(0).url(),
                "hosts are keyed by canonical URL");
        assertEquals(s.problems().size(), 0);
    }

    @Test
    void problemsAreCollectedAndTheRestStillCompiles() {
        BackendConfig broken = Cfg.of("consistent_hash").host("http://10.0.0.1", 1).build(); // no hash key
        StageSnapshot s = RouteCompiler.compile("gw", "prod", stage, resources(
                "ok", resource("GET", "/ok", "exact", null),
                "bad-override", new ResourceSpec("GET", "/x", "exact", null, null, Map.of("prod", broken)),
                "bad-backend-path", resource("GET", "/y/{id}", "exact", "/z/{other}")), registry);
        assertEquals(1, s.routes().size());
        assertEquals(2, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().get(0).startsWith("resource bad-backend-path"), s.problems().toString());

        StageSnapshot none = RouteCompiler.compile("gw", "prod", broken, resources("ok", resource("GET", "/ok", "exact", null)),
                registry);
        assertEquals(0, none.routes().size());
        assertTrue(none.problems().stream().anyMatch(p -> p.startsWith("stage prod: hash")), none.problems().toString());
    }

    @Test
    void aProblemNamesTheFieldAndWhy() {
        StageSnapshot s = RouteCompiler.compile("gw", "prod", stage, resources(
                "p", resource("GET", "/trailing/", "exact", null),
                "bp", resource("GET", "/ok", "exact", "/a//b"),
                "m", resource("FETCH", "/m", "exact", null),
                "x", resource("GET", "/x", "regex", null)), registry);
        assertEquals(java.util.List.of(
                "resource bp: backend_path must not contain empty segments (//)",
                "resource m: method must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY",
                "resource p: path must not end with /",
                "resource x: match must be one of exact, prefix"), s.problems());
    }

    @Test
    void theStageUpstreamIsNamedAndNullWhenTheStageConfigIsInvalid() {
        BackendConfig override = Cfg.of("round_robin").host("http://10.9.9.9", 1).build();
        Map<String, ResourceSpec> rs = resources(
                "a", resource("GET", "/a", "exact", null),
                "b", new ResourceSpec("GET", "/b", "exact", null, null, Map.of("prod", override)));
        StageSnapshot ok = RouteCompiler.compile("gw", "prod", stage, rs, registry);
        assertSame(ok.routes().get("a").upstream(), ok.stageUpstream());

        BackendConfig invalid = Cfg.of("weighted_round_robin").build(); // no hosts
        StageSnapshot broken = RouteCompiler.compile("gw", "prod", invalid, rs, registry);
        assertEquals(null, broken.stageUpstream());
        assertEquals(java.util.Set.of("b"), broken.routes().keySet());
    }

    @Test
    void compilesTenThousandResourcesIntoOneTrie() {
        Map<String, ResourceSpec> many = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            many.put("r" + i, resource(i % 2 == 0 ? "GET" : "ANY", "/svc" + (i % 100) + "/items" + i + "/{id}",
                    i % 3 == 0 ? "prefix" : "exact", "/backend/" + i + "/{id}"));
        }
        long t0 = System.nanoTime();
        StageSnapshot s = RouteCompiler.compile("gw", "prod", stage, many, registry);
        System.out.printf("compiled 10,000 resources in %.1f ms (a measurement, not a test; see bench/)%n",
                (System.nanoTime() - t0) / 1e6);
        assertEquals(10_000, s.router().size());
        assertEquals(1, s.upstreams().size());
        Router.Found f = assertInstanceOf(Router.Found.class,
                s.router().match("GET", new String[]{"svc42", "items9942", "7"}));
        assertEquals("r9942", f.route().name());
        assertEquals("/backend/9942/7", f.route().backendUri(f.segments(), f.consumed(), null));
    }
}
