package io.gatehouse.traffic;

import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendHost;
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

    @Test
    void aRampingHostShowsItsEffectiveWeightAndThePoolTheTierInUse() {
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
        HostRegistry registry = new HostRegistry(clock::get);
        BackendConfig tiers = new BackendConfig("weighted_round_robin", List.of(new BackendHost("http://10.0.0.1:80", 2, 1),
                new BackendHost("http://10.0.0.2:80", 2, 1), new BackendHost("http://10.0.0.3:80", 1, 0)),
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                10_000);
        StageSnapshot s = RouteCompiler.compile("shop", "prod", tiers,
                Map.of("all", new ResourceSpec("GET", "/", "prefix", null, null, null)), registry);
        clock.addAndGet(5_000_000_000L); // half of slow_start_ms after the hosts were added

        TrafficView.Pool pool = TrafficView.of(s, Map.of(), 0).groups().get(0).pools().get(0);
        assertEquals(1, pool.tierInUse());
        assertEquals(List.of(55, 55, 55), pool.hosts().stream().map(TrafficView.HostRow::weightPercent).toList());
        assertEquals(List.of("in use", "in use", "standby"), pool.hosts().stream().map(TrafficView.HostRow::tier).toList());

        registry.state("http://10.0.0.1:80").markFailure(1);
        registry.state("http://10.0.0.2:80").markFailure(1);
        clock.addAndGet(5_000_000_000L); // the ramp is over
        pool = TrafficView.of(s, Map.of(), 0).groups().get(0).pools().get(0);
        assertEquals(0, pool.tierInUse(), "the backup tier took over");
        assertEquals(List.of("standby", "standby", "in use"), pool.hosts().stream().map(TrafficView.HostRow::tier).toList());
        assertEquals(List.of(100, 100, 100), pool.hosts().stream().map(TrafficView.HostRow::weightPercent).toList());

        TrafficView.Pool single = TrafficView.of(RouteCompiler.compile("shop", "prod", hosts("http://10.0.0.9:80"),
                Map.of("all", new ResourceSpec("GET", "/", "prefix", null, null, null)), new HostRegistry()), Map.of(), 0)
                .groups().get(0).pools().get(0);
        assertNull(single.tierInUse(), "one tier: nothing to say");
        assertEquals("", single.hosts().get(0).tier());
    }
}
