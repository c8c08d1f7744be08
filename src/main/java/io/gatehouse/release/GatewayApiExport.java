package io.gatehouse.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.proxy.Route;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.Upstream;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A stage's release as Kubernetes Gateway API and Envoy Gateway objects, for teams moving to or from
 * Kubernetes, built from the release compiled exactly as the proxy compiles it ({@link RouteCompiler}): an
 * {@code HTTPRoute} per upstream in use (the stage's, and one per resource that overrides it), with one rule per
 * resource and one more per tenant pool ({@link HttpRoutes}); an Envoy Gateway {@code Backend} per host URL
 * ({@link Backends}); an {@code HTTPRouteFilter} where a path template needs a regex rewrite or the host header
 * comes from the host ({@link HttpRouteFilters}); and a {@code BackendTrafficPolicy} per upstream for balancing,
 * retries, timeouts and health checks ({@link BackendTrafficPolicies}).
 *
 * <p>Plain Java and deterministic (sorted, no timestamps), so a golden file can pin it. What Envoy
 * Gateway cannot express is never dropped silently: each part notes it on its own objects, in the annotation
 * {@value #NOT_EXPORTED}, and the file's header comment repeats every such line. docs/kubernetes.md
 * has the mapping table.
 */
public final class GatewayApiExport {
    public static final String NOT_EXPORTED = "gatehouse.io/not-exported";
    /** A Kubernetes object name (RFC 1123 label), also what the query parameters must be. */
    public static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");

    /**
     * @param parentGateway   the Gateway the routes attach to ({@code eg}: Envoy Gateway's quickstart)
     * @param parentNamespace its namespace, or null for the routes' own
     * @param namespace       where every exported object goes
     * @param passiveCooldown how long a host marked down by passive checks stays out (the instance's setting)
     */
    public record Options(String parentGateway, String parentNamespace, String namespace, Duration passiveCooldown) {
    }

    private GatewayApiExport() {
    }

    /** The objects, in apply order: Backends, HTTPRouteFilters, HTTPRoutes, BackendTrafficPolicies. */
    public static List<Map<String, Object>> documents(String gateway, String stage, BackendConfig stageBackend,
                                                      Map<String, ResourceSpec> resources, Options options) {
        ExportScope scope = new ExportScope(gateway, stage, options);
        Backends backends = new Backends(scope);
        HttpRouteFilters filters = new HttpRouteFilters(scope);
        HttpRoutes routes = new HttpRoutes(scope, backends, filters);
        BackendTrafficPolicies policies = new BackendTrafficPolicies(scope);
        // A throwaway registry: exporting touches no live host state.
        StageSnapshot snapshot = RouteCompiler.compile(gateway, stage, stageBackend, resources, new HostRegistry());
        groups(scope, snapshot, stageBackend, resources).forEach((name, group) -> policies.add(name, group.upstream(),
                group.config(), routes.add(name, group.upstream(), group.routes())));
        List<Map<String, Object>> all = new ArrayList<>(backends.objects());
        all.addAll(filters.objects());
        all.addAll(routes.objects());
        all.addAll(policies.objects());
        return all;
    }

    /** One upstream in use, the (normalized) config it was compiled from, and the routes that use it, in name order. */
    private record Group(Upstream upstream, BackendConfig config, List<Route> routes) {
    }

    /** The stage's upstream under {@code gateway-stage}, then each override's under {@code gateway-stage-resource}. */
    private static Map<String, Group> groups(ExportScope scope, StageSnapshot snapshot, BackendConfig stageBackend,
                                             Map<String, ResourceSpec> resources) {
        String base = ExportScope.name(scope.gateway() + "-" + scope.stage());
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put(base, new Group(snapshot.stageUpstream(), stageBackend == null ? null : stageBackend.normalized(),
                new ArrayList<>()));
        for (Route r : new TreeMap<>(snapshot.routes()).values()) {
            if (r.upstream() == snapshot.stageUpstream()) {
                groups.get(base).routes().add(r);
            } else {
                // As RouteCompiler took it: the normalized resource's override for the stage, normalized.
                BackendConfig override = resources.get(r.name()).normalized().overrides().get(scope.stage());
                groups.put(ExportScope.name(base + "-" + r.name()), new Group(r.upstream(), override.normalized(),
                        List.of(r)));
            }
        }
        groups.values().removeIf(g -> g.routes().isEmpty());
        return groups;
    }

    /** A multi-document YAML file: a header comment (source, and every line of what is lost), then the objects. */
    public static String yaml(String gateway, String stage, int release, BackendConfig stageBackend,
                              Map<String, ResourceSpec> resources, Options options) {
        List<Map<String, Object>> docs = documents(gateway, stage, stageBackend, resources, options);
        StringBuilder out = new StringBuilder();
        out.append("# Gatehouse gateway '").append(gateway).append("', stage '").append(stage).append("', release ")
                .append(release).append(", as Kubernetes Gateway API (HTTPRoute, gateway.networking.k8s.io/v1)\n")
                .append("# and Envoy Gateway objects (Backend, HTTPRouteFilter, BackendTrafficPolicy, ")
                .append("gateway.envoyproxy.io/v1alpha1).\n")
                .append("# Public paths keep their prefix /").append(gateway).append('/').append(stage)
                .append("; see docs/kubernetes.md for the mapping.\n");
        List<String> notes = new ArrayList<>();
        for (Map<String, Object> d : docs) {
            @SuppressWarnings("unchecked")
            Map<String, Object> meta = (Map<String, Object>) d.get("metadata");
            @SuppressWarnings("unchecked")
            Map<String, Object> annotations = (Map<String, Object>) meta.get("annotations");
            if (annotations != null && annotations.containsKey(NOT_EXPORTED)) {
                for (String line : ((String) annotations.get(NOT_EXPORTED)).split("\n")) {
                    notes.add(d.get("kind") + " " + meta.get("name") + ": " + line);
                }
            }
        }
        if (notes.isEmpty()) {
            out.append("# Everything in this release is expressed below.\n");
        } else {
            out.append("# Not expressible in Gateway API / Envoy Gateway (also in each object's ").append(NOT_EXPORTED)
                    .append(" annotation):\n");
            notes.forEach(n -> out.append("#   - ").append(n).append('\n'));
        }
        ObjectMapper mapper = new ObjectMapper(YAMLFactory.builder()
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                .build());
        for (Map<String, Object> d : docs) {
            try {
                out.append(mapper.writeValueAsString(d));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot write " + d.get("kind"), ex);
            }
        }
        return out.toString();
    }
}
