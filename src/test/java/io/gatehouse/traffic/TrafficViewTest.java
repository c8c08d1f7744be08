package io.gatehouse.traffic;

import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendConfig.BackendHost;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The live view's grouping, from compiled snapshots (plain JUnit). */
class TrafficViewTest {

    private static BackendConfig hosts(String... urls) {
        return new BackendConfig("round_robin", java.util.Arrays.stream(urls).map(u -> new BackendHost(u, 1)).toList(),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void anOverrideIsNeverShownAsTheStageConfigEvenWhenTheStageConfigDidNotCompile() {
        BackendConfig invalidStage = hosts(); // no hosts: the stage's own config does not compile
        Map<String, ResourceSpec> resources = Map.of(
                "plain", new ResourceSpec("GET", "/plain", null, null, null, null),
                "own", new ResourceSpec("GET", "/own", null, null, null, Map.of("prod", hosts("http://10.0.0.9:80"))));
        StageSnapshot s = RouteCompiler.compile("shop", "prod", invalidStage, resources, new HostRegistry());
        assertNull(s.stageUpstream());
        assertEquals(1, s.upstreams().size(), "the override compiled");

        TrafficView view = TrafficView.of(s, Map.of(), 0);
        assertEquals(List.of("own"), view.groups().stream().map(TrafficView.Group::key).toList());
        assertEquals("Override of resource own", view.groups().get(0).title());

        StageSnapshot ok = RouteCompiler.compile("shop", "prod", hosts("http://10.0.0.1:80"), resources,
                new HostRegistry());
        TrafficView both = TrafficView.of(ok, Map.of(), 0);
        assertEquals(List.of("Stage backend config", "Override of resource own"),
                both.groups().stream().map(TrafficView.Group::title).toList());
    }
}
