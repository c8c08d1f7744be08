package io.gatehouse.release;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.proxy.Route;
import io.gatehouse.proxy.Upstream;
import io.gatehouse.common.PassHost;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.gatehouse.release.ExportScope.ENVOY_GATEWAY;
import static io.gatehouse.release.ExportScope.GATEWAY_API;
import static io.gatehouse.release.ExportScope.map;

/**
 * The Gateway API {@code HTTPRoute}s of one compiled upstream: one rule per resource that uses it and one more per
 * tenant pool (matching the tenant header), split into routes of at most {@value #MAX_RULES} rules. Notes what the
 * rules cannot express on the routes themselves.
 */
final class HttpRoutes {
    /** HTTPRoute allows 16 rules per route and 16 backendRefs per rule (Gateway API v1 CRD maxItems). */
    static final int MAX_RULES = 16;
    static final int MAX_BACKEND_REFS = 16;

    private final ExportScope scope;
    private final Backends backends;
    private final HttpRouteFilters filters;
    private final List<Map<String, Object>> routes = new ArrayList<>();

    HttpRoutes(ExportScope scope, Backends backends, HttpRouteFilters filters) {
        this.scope = scope;
        this.backends = backends;
        this.filters = filters;
    }

    /** Adds the routes of {@code upstream}'s resources (in name order) under {@code name}; returns their refs. */
    List<Map<String, Object>> add(String name, Upstream upstream, List<Route> resources) {
        List<String> notes = new ArrayList<>();
        Map<String, Balancer> tenantPools = new TreeMap<>(upstream.pools().tenantPools());
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Route r : resources) {
            String filter = filters.of(r);
            rules.add(rule(r, null, upstream.pools().defaults(), filter, notes));
            tenantPools.forEach((tenant, pool) -> rules.add(rule(r, tenant, pool, filter, notes)));
        }
        if (!tenantPools.isEmpty() && upstream.pools().fallback() == TenantFallback.DEFAULT) {
            notes.add("tenant_fallback default: a tenant whose pool has no healthy host gets 503 here, not the default "
                    + "hosts (a header-matched rule cannot fall back to another rule)");
        }
        List<Map<String, Object>> targetRefs = new ArrayList<>();
        for (int i = 0; i < rules.size(); i += MAX_RULES) {
            String routeName = i == 0 ? name : name + "-" + (i / MAX_RULES + 1);
            Map<String, Object> parent = map("group", GATEWAY_API, "kind", "Gateway", "name",
                    scope.options().parentGateway());
            if (scope.options().parentNamespace() != null) {
                parent.put("namespace", scope.options().parentNamespace());
            }
            Map<String, Object> spec = map("parentRefs", List.of(parent),
                    "rules", List.copyOf(rules.subList(i, Math.min(rules.size(), i + MAX_RULES))));
            routes.add(scope.object(GATEWAY_API + "/v1", "HTTPRoute", routeName, notes, spec));
            targetRefs.add(map("group", GATEWAY_API, "kind", "HTTPRoute", "name", routeName));
        }
        return targetRefs;
    }

    /** One rule: the resource's match (plus the tenant header for a tenant pool), its rewrites, its hosts. */
    private Map<String, Object> rule(Route route, String tenant, Balancer pool, String filterName, List<String> notes) {
        Upstream up = route.upstream();
        Map<String, Object> match = map("path", filters.pathMatch(route));
        if (!route.method().equals("ANY")) {
            match.put("method", route.method());
        }
        if (tenant != null) {
            match.put("headers", List.of(map("type", "Exact", "name", up.tenantHeader(), "value", tenant)));
        }
        List<Object> ruleFilters = new ArrayList<>();
        Map<String, Object> urlRewrite = map();
        if (filterName == null) {
            urlRewrite.put("path", HttpRouteFilters.plainRewrite(route));
        }
        if (up.passHost() == PassHost.REWRITE) {
            String host = up.upstreamHost();
            if (Backends.isFqdn(host)) {
                urlRewrite.put("hostname", host);
            } else if (tenant == null) {
                notes.add("resource " + route.name() + ": pass_host rewrite to " + host + " (URLRewrite takes a host "
                        + "name without a port); the client's Host is passed instead");
            }
        }
        if (!urlRewrite.isEmpty()) {
            ruleFilters.add(map("type", "URLRewrite", "urlRewrite", urlRewrite));
        }
        if (filterName != null) {
            ruleFilters.add(map("type", "ExtensionRef", "extensionRef",
                    map("group", ENVOY_GATEWAY, "kind", "HTTPRouteFilter", "name", filterName)));
        }
        Map<String, Object> headers = map("set", List.of(map("name", "X-Forwarded-Prefix", "value",
                scope.publicPrefix())));
        if (up.tenantPolicy().stripTenantHeader()) {
            headers.put("remove", List.of(up.tenantHeader()));
        }
        ruleFilters.add(map("type", "RequestHeaderModifier", "requestHeaderModifier", headers));
        return map("matches", List.of(match), "filters", ruleFilters, "backendRefs",
                backendRefs(route.name(), tenant, pool, notes));
    }

    /** The pool's hosts with their weights (all 1 for a type that ignores weights), the first 16 of them. */
    private List<Object> backendRefs(String resource, String tenant, Balancer pool, List<String> notes) {
        List<Host> hosts = pool.hosts();
        String where = "resource " + resource + (tenant == null ? "" : " tenant " + tenant);
        int top = hosts.stream().mapToInt(Host::priority).max().orElse(0);
        if (hosts.stream().mapToInt(Host::priority).distinct().count() > 2) {
            notes.add(where + ": more than two priority tiers; Envoy Gateway has one fallback level, so every tier "
                    + "below the highest is one fallback tier");
        }
        List<Object> refs = new ArrayList<>();
        for (int i = 0; i < hosts.size() && i < MAX_BACKEND_REFS; i++) {
            Host h = hosts.get(i);
            int weight = pool.type().weighted() ? h.weight() : 1;
            refs.add(map("group", ENVOY_GATEWAY, "kind", "Backend", "name", backends.of(h, h.priority() < top),
                    "weight", weight));
        }
        if (hosts.size() > MAX_BACKEND_REFS) {
            notes.add(where + ": " + hosts.size() + " hosts, of which only the first " + MAX_BACKEND_REFS
                    + " fit the rule's backendRefs");
        }
        return refs;
    }

    List<Map<String, Object>> objects() {
        return routes;
    }
}
