package io.gatehouse.proxy;

import io.gatehouse.balance.ActiveProbe;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.HostRegistries;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.PoolHealth;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import io.gatehouse.common.Violations;
import io.gatehouse.resource.PathTemplate;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendHost;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.common.HostUrl;
import io.gatehouse.stage.PassiveHealth;
import io.gatehouse.stage.Timeouts;
import io.vertx.core.net.HostAndPort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one compile step from stored config to the proxy's form (Envoy Gateway's translator shape):
 * (1) compile the stage's backend config, (2) per resource in name order: normalize, pick the
 * stage's override or the stage config, compile its upstream, build its route, (3) build the
 * router. Problems are collected, not thrown: a broken resource is left out and named in
 * {@link StageSnapshot#problems()}, so one bad row never takes a whole stage down. Input order
 * does not matter; the output is the same for the same config.
 *
 * <p>Equal backend configs compile to one shared {@link Upstream}, so the resources that use the
 * stage config share one balancer (one smooth-WRR sequence per pool, as the design asks) and a
 * 10,000-resource stage builds its pools once.
 */
public final class RouteCompiler {

    /** The longest {@link Upstream#readTimeoutMs()} a compiled upstream has (config validation's bound). */
    public static final int MAX_READ_MS = Timeouts.MAX_READ_MS;

    private RouteCompiler() {
    }

    public static StageSnapshot compile(String gateway, String stage, BackendConfig stageBackend,
                                        Map<String, ResourceSpec> resourcesByName, HostRegistry registry) {
        return compile(gateway, stage, StageSnapshot.NO_RELEASE, stageBackend, resourcesByName, registry);
    }

    /** Compiles against the stage's own scope of {@code registries}: health never crosses gateways. */
    public static StageSnapshot compile(String gateway, String stage, int release, BackendConfig stageBackend,
                                        Map<String, ResourceSpec> resourcesByName, HostRegistries registries) {
        return compile(gateway, stage, release, stageBackend, resourcesByName, registries, Addresses.AS_IS);
    }

    /** As above, a discovered host name becoming one member per address {@code addresses} has for it. */
    public static StageSnapshot compile(String gateway, String stage, int release, BackendConfig stageBackend,
                                        Map<String, ResourceSpec> resourcesByName, HostRegistries registries,
                                        Addresses addresses) {
        return compile(gateway, stage, release, stageBackend, resourcesByName, registries.of(gateway, stage),
                addresses, new ArrayList<>());
    }

    /**
     * @param release         the number of the release this is compiled from, or {@link StageSnapshot#NO_RELEASE}
     * @param stageBackend    the stage's backend config (validated or not; it is checked here)
     * @param resourcesByName the gateway's resources; overrides for other stages are ignored
     * @param registry        the host registry of this stage's scope (outlives every snapshot of it)
     */
    public static StageSnapshot compile(String gateway, String stage, int release, BackendConfig stageBackend,
                                        Map<String, ResourceSpec> resourcesByName, HostRegistry registry) {
        return compile(gateway, stage, release, stageBackend, resourcesByName, registry, Addresses.AS_IS, new ArrayList<>());
    }

    /**
     * What the proxy would leave out of this release, each naming its field: the gate that publishing,
     * rollback and approval pass before a release is written (so the compiler, not a second set of rules,
     * decides what can be served). Compiled against a throwaway registry: no host state is touched.
     */
    public static List<CompileProblem> problems(String gateway, String stage, BackendConfig stageBackend,
                                                Map<String, ResourceSpec> resourcesByName) {
        List<CompileProblem> problems = new ArrayList<>();
        compile(gateway, stage, StageSnapshot.NO_RELEASE, stageBackend, resourcesByName, new HostRegistry(), Addresses.AS_IS,
                problems);
        problems.sort(Comparator.comparing(CompileProblem::message));
        return List.copyOf(problems);
    }

    private static StageSnapshot compile(String gateway, String stage, int release, BackendConfig stageBackend,
                                         Map<String, ResourceSpec> resourcesByName, HostRegistry registry,
                                         Addresses addresses, List<CompileProblem> problems) {
        Map<BackendConfig, Upstream> upstreams = new LinkedHashMap<>();
        Upstream stageUpstream = upstream(stageBackend, "stage " + stage, "backend", registry, addresses, upstreams,
                problems);

        Router.Builder router = Router.builder();
        Map<String, Route> routes = new HashMap<>();
        for (Map.Entry<String, ResourceSpec> e : new TreeMap<>(resourcesByName).entrySet()) {
            String name = e.getKey();
            ResourceSpec spec = e.getValue().normalized();
            String where = "resource " + name;
            String at = "resources." + name;
            // Each problem names the field and says why, in ResourceSpec.validate's words: it is logged
            // with the release, and "invalid path" alone sends an operator searching.
            PathTemplate path;
            PathTemplate backendPath;
            try {
                path = PathTemplate.parse(spec.path());
            } catch (IllegalArgumentException ex) {
                problems.add(new CompileProblem(at + ".path", where + ": path " + ex.getMessage()));
                continue;
            }
            try {
                // backend_path defaults to the path: parse once (template checks are most of a compile)
                backendPath = spec.backendPath().equals(spec.path()) ? path : PathTemplate.parse(spec.backendPath());
            } catch (IllegalArgumentException ex) {
                problems.add(new CompileProblem(at + ".backend_path", where + ": backend_path " + ex.getMessage()));
                continue;
            }
            if (!ResourceSpec.METHODS.contains(spec.method())) {
                problems.add(new CompileProblem(at + ".method",
                        where + ": method must be one of " + String.join(", ", ResourceSpec.METHODS)));
                continue;
            }
            if (!ResourceSpec.MATCHES.contains(spec.match())) {
                problems.add(new CompileProblem(at + ".match", where + ": match must be one of exact, prefix"));
                continue;
            }
            BackendConfig override = spec.overrides().get(stage);
            Upstream upstream = override == null ? stageUpstream
                    : upstream(override, where + " override", at + ".overrides." + stage, registry, addresses, upstreams,
                    problems);
            if (upstream == null) {
                if (override == null) {
                    problems.add(new CompileProblem(at, where + ": uses the stage's backend config, which is invalid"));
                }
                continue;
            }
            Route route;
            try {
                route = new Route(name, spec.method(), path, spec.match().equals("prefix"), spec.backendPath(),
                        Route.backendParts(path, backendPath), upstream, tenantRule(spec.tenants()));
            } catch (IllegalArgumentException ex) {
                problems.add(new CompileProblem(at + ".backend_path", where + ": " + ex.getMessage()));
                continue;
            }
            Route existing = router.add(route);
            if (existing != null) {
                problems.add(new CompileProblem(at, where + ": same method, match and path shape as resource "
                        + existing.name() + ", which wins"));
                continue;
            }
            routes.put(name, route);
        }
        return new StageSnapshot(gateway, stage, release, router.build(), routes, stageUpstream,
                new ArrayList<>(upstreams.values()), problems.stream().map(CompileProblem::message).sorted().toList());
    }

    /** Compiles (or reuses) the upstream of {@code raw}; null, with a problem, when it is invalid. */
    private static Upstream upstream(BackendConfig raw, String where, String at, HostRegistry registry,
                                     Addresses addresses, Map<BackendConfig, Upstream> compiled,
                                     List<CompileProblem> problems) {
        if (raw == null) {
            problems.add(new CompileProblem(at, where + ": no backend config"));
            return null;
        }
        BackendConfig config = raw.normalized();
        Upstream known = compiled.get(config);
        if (known != null) {
            return known;
        }
        Violations v = new Violations();
        config.validate("", v);
        if (!v.isEmpty()) {
            v.errors().forEach(err -> problems.add(new CompileProblem(at + "." + err.field(),
                    where + ": " + err.field() + " " + err.message())));
            return null;
        }
        if (config.upstreamHost() != null && HostAndPort.parseAuthority(config.upstreamHost(), -1) == null) {
            problems.add(new CompileProblem(at + ".upstream_host", where + ": upstream_host is not host[:port]"));
            return null;
        }
        LivePools pools = LivePools.build(plan(config), registry, addresses);
        Upstream upstream = new Upstream(pools, config.timeouts().connectMs(), config.timeouts().readMs(),
                config.retries(), PassHost.of(config.passHost()), config.upstreamHost(), config.keepsEncodedSlashes(),
                config.passive().httpStatuses(), tenantPolicy(config));
        compiled.put(config, upstream);
        return upstream;
    }

    /** What the pools are built from (normalized, valid config): each host's URL parsed here, once. */
    private static LivePools.Plan plan(BackendConfig config) {
        Map<String, List<LivePools.Configured>> tenants = new TreeMap<>();
        config.tenantPools().forEach((tenant, pool) -> tenants.put(tenant, configured(pool)));
        HashKey hashKey = config.hash() == null ? null
                : new HashKey(HashKey.On.fromWireName(config.hash().on()), config.hash().name(), config.hash().replicas());
        return new LivePools.Plan(config.balancerType(), configured(config.hosts()), tenants,
                TenantFallback.fromWireName(config.tenantFallback()), hashKey, poolHealth(config));
    }

    /** Hosts by their canonical URL, so health and in-flight state are shared however a URL is spelt. */
    private static List<LivePools.Configured> configured(List<BackendHost> hosts) {
        List<LivePools.Configured> out = new ArrayList<>(hosts.size());
        for (BackendHost h : hosts) {
            HostUrl url = HostUrl.parse(h.url());
            out.add(new LivePools.Configured(url.canonical(), url.host(), h.weight(), h.priorityOrDefault()));
        }
        return out;
    }

    /** A config's tenant settings (normalized, valid config). */
    static TenantPolicy tenantPolicy(BackendConfig c) {
        TenantSource source = c.tenantSource();
        return new TenantPolicy(source, c.tenantHeader(), source == TenantSource.API_KEY ? c.apiKeyHeaderName() : null,
                source == TenantSource.JWT ? c.jwt() : null, c.rejectsUnknownTenant(), c.stripsAuthorization(),
                c.stripsTenantHeader());
    }

    /** A resource's tenant rule, or null when it has none (no rule, or one that does not require a tenant). */
    static TenantPolicy.Rule tenantRule(ResourceSpec.TenantRule rule) {
        if (rule == null || !rule.requiresTenant()) {
            return null;
        }
        return new TenantPolicy.Rule(true, rule.allowed() == null ? Set.of() : Set.copyOf(rule.allowed()));
    }

    /** How the pools judge health: the config's probe, panic threshold, passive thresholds and slow start (normalized config). */
    private static PoolHealth poolHealth(BackendConfig config) {
        HealthCheck hc = config.healthCheck();
        ActiveProbe probe = hc == null ? null
                : new ActiveProbe(hc.path(), hc.intervalMs(), hc.timeoutMs(), hc.healthyThreshold(), hc.unhealthyThreshold());
        return new PoolHealth(probe, config.panicPercent(), config.passive().consecutiveFailures(),
                hc == null ? PassiveHealth.DEFAULT_SUCCESSES : hc.healthyThreshold(), config.slowStart());
    }
}
