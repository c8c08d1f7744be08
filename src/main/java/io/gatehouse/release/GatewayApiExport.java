package io.gatehouse.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.gatehouse.resource.PathTemplate;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendConfig.BackendHost;
import io.gatehouse.stage.HostUrl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A stage's release as Kubernetes Gateway API and Envoy Gateway objects, for teams moving to or from
 * Kubernetes: an {@code HTTPRoute} per backend config in use (the stage's, and one per resource that
 * overrides it), with one rule per resource and one more per tenant pool (matching the tenant header);
 * an Envoy Gateway {@code Backend} per host URL, referenced with its weight; an {@code HTTPRouteFilter}
 * where a path template needs a regex rewrite or the host header comes from the host; and a
 * {@code BackendTrafficPolicy} per backend config for balancing, retries, timeouts and health checks.
 *
 * <p>Plain Java and deterministic (sorted, no timestamps), so a golden file can pin it. What Envoy
 * Gateway cannot express is never dropped silently: each object lists it in the annotation
 * {@value #NOT_EXPORTED}, and the file's header comment repeats every such line. docs/kubernetes.md
 * has the mapping table.
 */
public final class GatewayApiExport {
    public static final String NOT_EXPORTED = "gatehouse.io/not-exported";
    static final String GATEWAY_API = "gateway.networking.k8s.io";
    static final String ENVOY_GATEWAY = "gateway.envoyproxy.io";
    /** HTTPRoute allows 16 rules per route and 16 backendRefs per rule (Gateway API v1 CRD maxItems). */
    static final int MAX_RULES = 16;
    static final int MAX_BACKEND_REFS = 16;
    /** A Kubernetes object name (RFC 1123 label), also what the query parameters must be. */
    public static final Pattern DNS_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$");
    private static final Pattern FQDN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
    private static final Pattern IPV4 = Pattern.compile("^[0-9]{1,3}(\\.[0-9]{1,3}){3}$");

    /**
     * @param parentGateway   the Gateway the routes attach to ({@code eg}: Envoy Gateway's quickstart)
     * @param parentNamespace its namespace, or null for the routes' own
     * @param namespace       where every exported object goes
     * @param passiveCooldown how long a host marked down by passive checks stays out (the instance's setting)
     */
    public record Options(String parentGateway, String parentNamespace, String namespace, Duration passiveCooldown) {
    }

    /** One backend config in use and the resources that use it, in name order. */
    private record Group(String name, BackendConfig config, List<Map.Entry<String, ResourceSpec>> resources) {
    }

    private final String gateway;
    private final String stage;
    private final Options options;
    private final Map<String, Map<String, Object>> backends = new TreeMap<>();
    private final Map<String, String> backendNames = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> filters = new TreeMap<>();
    private final List<Map<String, Object>> routes = new ArrayList<>();
    private final List<Map<String, Object>> policies = new ArrayList<>();
    private final List<String> lost = new ArrayList<>();
    /** Canonical host URL to whether its Backend is a fallback (a lower priority tier of the first pool seen). */
    private final Map<String, Boolean> fallbackOf = new LinkedHashMap<>();

    private GatewayApiExport(String gateway, String stage, Options options) {
        this.gateway = gateway;
        this.stage = stage;
        this.options = options;
    }

    /** The objects, in apply order: Backends, HTTPRouteFilters, HTTPRoutes, BackendTrafficPolicies. */
    public static List<Map<String, Object>> documents(String gateway, String stage, BackendConfig stageBackend,
                                                      Map<String, ResourceSpec> resources, Options options) {
        GatewayApiExport e = new GatewayApiExport(gateway, stage, options);
        e.build(stageBackend.normalized(), resources);
        List<Map<String, Object>> all = new ArrayList<>(e.backends.values());
        all.addAll(e.filters.values());
        all.addAll(e.routes);
        all.addAll(e.policies);
        return all;
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

    private void build(BackendConfig stageBackend, Map<String, ResourceSpec> resources) {
        Map<String, Group> groups = new LinkedHashMap<>();
        String base = name(gateway + "-" + stage);
        groups.put(base, new Group(base, stageBackend, new ArrayList<>()));
        for (Map.Entry<String, ResourceSpec> e : new TreeMap<>(resources).entrySet()) {
            ResourceSpec spec = e.getValue().normalized();
            BackendConfig override = spec.overrides().get(stage);
            if (override == null) {
                groups.get(base).resources().add(Map.entry(e.getKey(), spec));
            } else {
                String n = name(base + "-" + e.getKey());
                groups.put(n, new Group(n, override.normalized(), new ArrayList<>(List.of(Map.entry(e.getKey(), spec)))));
            }
        }
        for (Group g : groups.values()) {
            if (!g.resources().isEmpty()) {
                group(g);
            }
        }
    }

    private void group(Group g) {
        BackendConfig c = g.config();
        lost.clear();
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map.Entry<String, ResourceSpec> r : g.resources()) {
            String filter = pathFilter(r.getKey(), r.getValue(), c);
            rules.add(rule(r.getKey(), r.getValue(), c, null, c.hosts(), filter));
            c.tenantPools().forEach((tenant, pool) -> rules.add(rule(r.getKey(), r.getValue(), c, tenant, pool, filter)));
        }
        if (!c.tenantPools().isEmpty() && c.tenantFallback().equals("default")) {
            lost.add("tenant_fallback default: a tenant whose pool has no healthy host gets 503 here, not the default "
                    + "hosts (a header-matched rule cannot fall back to another rule)");
        }
        List<Map<String, Object>> targetRefs = new ArrayList<>();
        List<String> routeLost = List.copyOf(lost);
        for (int i = 0; i < rules.size(); i += MAX_RULES) {
            String routeName = i == 0 ? g.name() : g.name() + "-" + (i / MAX_RULES + 1);
            Map<String, Object> spec = map();
            Map<String, Object> parent = map("group", GATEWAY_API, "kind", "Gateway", "name", options.parentGateway());
            if (options.parentNamespace() != null) {
                parent.put("namespace", options.parentNamespace());
            }
            spec.put("parentRefs", List.of(parent));
            spec.put("rules", List.copyOf(rules.subList(i, Math.min(rules.size(), i + MAX_RULES))));
            routes.add(object(GATEWAY_API + "/v1", "HTTPRoute", routeName, routeLost, spec));
            targetRefs.add(map("group", GATEWAY_API, "kind", "HTTPRoute", "name", routeName));
        }
        lost.clear();
        List<String> policyNotes = new ArrayList<>();
        Map<String, Object> policy = policy(c, targetRefs, policyNotes);
        policies.add(object(ENVOY_GATEWAY + "/v1alpha1", "BackendTrafficPolicy", g.name(), policyNotes, policy));
    }

    /** One rule: the resource's match (plus the tenant header for a tenant pool), its rewrites, its hosts. */
    private Map<String, Object> rule(String resource, ResourceSpec spec, BackendConfig c, String tenant,
                                     List<BackendHost> pool, String filterName) {
        Map<String, Object> match = map("path", pathMatch(spec));
        if (!spec.method().equals("ANY")) {
            match.put("method", spec.method());
        }
        if (tenant != null) {
            match.put("headers", List.of(map("type", "Exact", "name", c.tenantHeader(), "value", tenant)));
        }
        List<Object> filters = new ArrayList<>();
        Map<String, Object> urlRewrite = map();
        if (filterName == null) {
            urlRewrite.put("path", plainRewrite(spec));
        }
        if (c.passHost().equals("rewrite")) {
            String host = c.upstreamHost();
            if (FQDN.matcher(host).matches()) {
                urlRewrite.put("hostname", host);
            } else if (tenant == null) {
                lost.add("resource " + resource + ": pass_host rewrite to " + host + " (URLRewrite takes a host name "
                        + "without a port); the client's Host is passed instead");
            }
        }
        if (!urlRewrite.isEmpty()) {
            filters.add(map("type", "URLRewrite", "urlRewrite", urlRewrite));
        }
        if (filterName != null) {
            filters.add(map("type", "ExtensionRef", "extensionRef",
                    map("group", ENVOY_GATEWAY, "kind", "HTTPRouteFilter", "name", filterName)));
        }
        Map<String, Object> headers = map("set", List.of(map("name", "X-Forwarded-Prefix", "value", publicPrefix())));
        if (c.stripsTenantHeader()) {
            headers.put("remove", List.of(c.tenantHeader()));
        }
        filters.add(map("type", "RequestHeaderModifier", "requestHeaderModifier", headers));
        List<Object> refs = new ArrayList<>();
        int top = pool.stream().mapToInt(BackendHost::priorityOrDefault).max().orElse(0);
        if (pool.stream().mapToInt(BackendHost::priorityOrDefault).distinct().count() > 2) {
            lost.add("resource " + resource + (tenant == null ? "" : " tenant " + tenant) + ": more than two priority "
                    + "tiers; Envoy Gateway has one fallback level, so every tier below the highest is one fallback tier");
        }
        for (int i = 0; i < pool.size() && i < MAX_BACKEND_REFS; i++) {
            BackendHost h = pool.get(i);
            int weight = c.type().equals("round_robin") ? 1 : h.weight();
            String name = backend(h.url());
            fallback(name, h, h.priorityOrDefault() < top);
            refs.add(map("group", ENVOY_GATEWAY, "kind", "Backend", "name", name, "weight", weight));
        }
        if (pool.size() > MAX_BACKEND_REFS) {
            lost.add("resource " + resource + (tenant == null ? "" : " tenant " + tenant) + ": " + pool.size()
                    + " hosts, of which only the first " + MAX_BACKEND_REFS + " fit the rule's backendRefs");
        }
        Map<String, Object> rule = map("matches", List.of(match), "filters", filters, "backendRefs", refs);
        return rule;
    }

    private String publicPrefix() {
        return "/" + gateway + "/" + stage;
    }

    /** Whether a resource's path can be matched and rewritten without a regex: no parameters, not exact "/". */
    private static boolean plain(ResourceSpec spec) {
        return PathTemplate.parse(spec.path()).paramNames().isEmpty()
                && !(spec.path().equals("/") && spec.match().equals("exact"));
    }

    private Map<String, Object> pathMatch(ResourceSpec spec) {
        if (plain(spec)) {
            String value = spec.path().equals("/") ? publicPrefix() : publicPrefix() + spec.path();
            return map("type", spec.match().equals("prefix") ? "PathPrefix" : "Exact", "value", value);
        }
        return map("type", "RegularExpression", "value", regex(spec));
    }

    private static Map<String, Object> plainRewrite(ResourceSpec spec) {
        return spec.match().equals("prefix")
                ? map("type", "ReplacePrefixMatch", "replacePrefixMatch", spec.backendPath())
                : map("type", "ReplaceFullPath", "replaceFullPath", spec.backendPath());
    }

    /**
     * The RE2 pattern of a path template under the public prefix: each parameter is one segment, a
     * prefix match may go on with more segments (Gatehouse's router works on whole segments too).
     */
    private String regex(ResourceSpec spec) {
        StringBuilder b = new StringBuilder("^").append(quote(publicPrefix()));
        PathTemplate t = PathTemplate.parse(spec.path());
        for (PathTemplate.Segment s : t.segments()) {
            b.append('/').append(s instanceof PathTemplate.Literal l ? quote(l.text()) : "([^/]+)");
        }
        if (spec.match().equals("prefix")) {
            // The rest of the path; captured without its slash when the backend path is "/" so "/" + rest works.
            return b.append(spec.backendPath().equals("/") ? "(?:/(.*))?$" : "(/.*)?$").toString();
        }
        return b.append(t.segments().isEmpty() ? "/?$" : "$").toString();
    }

    /** The substitution for {@link #regex}: the backend path with {@code \N} for each parameter, then the rest. */
    private static String substitution(ResourceSpec spec) {
        PathTemplate path = PathTemplate.parse(spec.path());
        List<String> params = path.paramNames();
        StringBuilder b = new StringBuilder();
        for (PathTemplate.Segment s : PathTemplate.parse(spec.backendPath()).segments()) {
            b.append('/');
            b.append(s instanceof PathTemplate.Literal l ? l.text() : "\\" + (params.indexOf(((PathTemplate.Param) s).name()) + 1));
        }
        if (spec.match().equals("prefix")) {
            return (spec.backendPath().equals("/") ? "/" : b.toString()) + "\\" + (params.size() + 1);
        }
        return b.isEmpty() ? "/" : b.toString();
    }

    private static String quote(String literal) {
        StringBuilder b = new StringBuilder();
        for (char ch : literal.toCharArray()) {
            if ("\\.+*?()|[]{}^$".indexOf(ch) >= 0) {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }

    /**
     * The HTTPRouteFilter a resource needs, or null: a regex path rewrite for templates with parameters,
     * and the host's own Host header for pass_host node.
     */
    private String pathFilter(String resource, ResourceSpec spec, BackendConfig c) {
        boolean regex = !plain(spec);
        boolean node = c.passHost().equals("node");
        if (!regex && !node) {
            return null;
        }
        // One filter does both: the path by regex (a plain path too, so the rule needs no second rewrite).
        Map<String, Object> rewrite = map("path", map("type", "ReplaceRegexMatch", "replaceRegexMatch",
                map("pattern", regex(spec), "substitution", substitution(spec))));
        if (node) {
            rewrite.put("hostname", map("type", "SetFromBackend"));
        }
        String name = name(gateway + "-" + stage + "-" + resource);
        filters.put(name, object(ENVOY_GATEWAY + "/v1alpha1", "HTTPRouteFilter", name, null, map("urlRewrite", rewrite)));
        return name;
    }

    /** The Backend object of a host URL (one per URL, shared by every rule that uses it); its name. */
    private String backend(String url) {
        HostUrl u = HostUrl.parse(url);
        String host = u.host().startsWith("[") ? u.host().substring(1, u.host().length() - 1) : u.host();
        String known = backendNames.get(u.canonical());
        if (known != null) {
            return known;
        }
        String base = name(gateway + "-" + stage + "-" + host.replace('.', '-').replace(':', '-') + "-" + u.port());
        String name = base;
        for (int i = 2; backends.containsKey(name); i++) {
            name = base + "-" + i; // a.b and a-b, or http and https on one port
        }
        backendNames.put(u.canonical(), name);
        List<String> notes = new ArrayList<>();
        Map<String, Object> endpoint;
        if (IPV4.matcher(host).matches() || host.contains(":")) {
            endpoint = map("ip", map("address", host, "port", u.port()));
        } else {
            endpoint = map("fqdn", map("hostname", host, "port", u.port()));
            if (!FQDN.matcher(host).matches()) {
                notes.add("host name " + host + " is not an RFC 1123 name, which Backend requires");
            }
        }
        Map<String, Object> spec = map("endpoints", List.of(endpoint));
        if (u.tls()) {
            spec.put("tls", map("wellKnownCACertificates", "System"));
        }
        backends.put(name, object(ENVOY_GATEWAY + "/v1alpha1", "Backend", name, notes, spec));
        return name;
    }

    /**
     * Marks a lower-tier host's Backend {@code fallback: true} (Envoy Gateway's priority 1, used while the
     * primary backends are unhealthy). A Backend is one object per host, so a host that is a fallback in one
     * pool and primary in another cannot be both: the first pool's choice stays, and a note says so.
     */
    @SuppressWarnings("unchecked")
    private void fallback(String backendName, BackendHost h, boolean fallback) {
        String url = HostUrl.parse(h.url()).canonical();
        Boolean before = fallbackOf.putIfAbsent(url, fallback);
        if (before == null) {
            if (fallback) {
                ((Map<String, Object>) backends.get(backendName).get("spec")).put("fallback", true);
            }
        } else if (before != fallback) {
            lost.add("host " + url + " is a " + (before ? "fallback" : "primary") + " in one pool and a "
                    + (fallback ? "fallback" : "primary") + " in another; its Backend can only be one ("
                    + (before ? "fallback" : "primary") + ")");
        }
    }

    private Map<String, Object> policy(BackendConfig c, List<Map<String, Object>> targetRefs, List<String> notes) {
        Map<String, Object> spec = map("targetRefs", targetRefs);
        Map<String, Object> lb = map();
        switch (c.type()) {
            case "round_robin", "weighted_round_robin" -> lb.put("type", "RoundRobin");
            case "random" -> lb.put("type", "Random");
            case "least_conn" -> lb.put("type", "LeastRequest");
            case "least_response_time" -> {
                lb.put("type", "LeastRequest");
                notes.add("type least_response_time has no Envoy Gateway equivalent; exported as LeastRequest");
            }
            case "consistent_hash" -> {
                lb.put("type", "ConsistentHash");
                BackendConfig.HashSpec h = c.hash();
                Map<String, Object> ch = switch (h.on()) {
                    case "header" -> map("type", "Header", "header", map("name", h.name()));
                    case "cookie" -> map("type", "Cookie", "cookie", map("name", h.name()));
                    case "ip" -> map("type", "SourceIP");
                    default -> {
                        notes.add("hash on path has no Envoy Gateway equivalent; exported as SourceIP");
                        yield map("type", "SourceIP");
                    }
                };
                lb.put("consistentHash", ch);
                notes.add("hash.replicas " + h.replicas() + ": Envoy Gateway hashes with Maglev (tableSize), not a "
                        + "ketama ring, so keys land on other hosts than in Gatehouse");
            }
            default -> throw new IllegalArgumentException("unknown type " + c.type());
        }
        if (c.slowStart() > 0) {
            if (List.of("round_robin", "weighted_round_robin", "least_conn", "least_response_time").contains(c.type())) {
                // Envoy's slow start begins at min_weight_percent 10 %, as Gatehouse's ramp does.
                lb.put("slowStart", map("window", duration(c.slowStart())));
            } else {
                notes.add("slow_start_ms " + c.slowStart() + ": Envoy Gateway has slow start for RoundRobin and "
                        + "LeastRequest only, not for " + lb.get("type"));
            }
        }
        spec.put("loadBalancer", lb);
        if (c.keepsEncodedSlashes()) {
            notes.add("encoded_slashes keep: Envoy Gateway sets this per listener, not per route (ClientTrafficPolicy "
                    + "path.escapedSlashesAction: KeepUnchanged; its default, UnescapeAndRedirect, redirects instead)");
        }
        List<Integer> statuses = c.passive().httpStatuses();
        if (c.retries() > 0) {
            // Gatehouse retries a status only when passive_health lists it (nginx's proxy_next_upstream http_503).
            spec.put("retry", statuses.isEmpty()
                    ? map("numRetries", c.retries(), "retryOn", map("triggers", List.of("connect-failure")))
                    : map("numRetries", c.retries(), "retryOn", map("triggers",
                            List.of("connect-failure", "retriable-status-codes"), "httpStatusCodes", statuses)));
        }
        spec.put("timeout", map("tcp", map("connectTimeout", duration(c.timeouts().connectMs())),
                "http", map("requestTimeout", duration(c.timeouts().readMs()))));
        Map<String, Object> health = map();
        BackendConfig.HealthCheck hc = c.healthCheck();
        if (hc != null) {
            health.put("active", map("type", "HTTP", "http", map("path", hc.path()),
                    "interval", duration(hc.intervalMs()), "timeout", duration(hc.timeoutMs()),
                    "healthyThreshold", hc.healthyThreshold(), "unhealthyThreshold", hc.unhealthyThreshold()));
        }
        int failures = c.passive().consecutiveFailures();
        // Connect failures, resets and timeouts are Envoy's "locally originated" errors, counted apart from the
        // backend's answers once split; answers count only for the statuses listed.
        Map<String, Object> passive = map("splitExternalLocalOriginErrors", true,
                "consecutiveLocalOriginFailures", failures);
        if (statuses.equals(List.of(502, 503, 504))) {
            passive.put("consecutiveGatewayErrors", failures);
        } else if (!statuses.isEmpty()) {
            passive.put("consecutive5XxErrors", failures);
            if (!statuses.equals(java.util.stream.IntStream.rangeClosed(500, 599).boxed().toList())) {
                notes.add("passive_health.http_statuses " + statuses + ": Envoy counts every 5xx answer in "
                        + "consecutive5XxErrors, not only these");
            }
        } else {
            // No answer counts against a host. Left out, Envoy would eject after its default of 5 consecutive 5xx
            // (outlier_detection.consecutive_5xx); the largest count it takes means never, as here.
            passive.put("consecutive5XxErrors", Integer.MAX_VALUE);
        }
        passive.put("baseEjectionTime", duration((int) options.passiveCooldown().toMillis()));
        passive.put("maxEjectionPercent", 100);
        health.put("passive", passive);
        // The same rule on both sides: below this share of healthy hosts, spread over all of them.
        health.put("panicThreshold", c.panicPercent());
        spec.put("healthCheck", health);
        return spec;
    }

    /** A Gateway API duration ({@code ^([0-9]{1,5}(h|m|s|ms)){1,4}$}): 30000 ms is "30s", 2500 ms "2s500ms". */
    static String duration(int ms) {
        if (ms == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        int h = ms / 3_600_000;
        int m = ms / 60_000 % 60;
        int s = ms / 1000 % 60;
        int rest = ms % 1000;
        if (h > 0) {
            b.append(h).append('h');
        }
        if (m > 0) {
            b.append(m).append('m');
        }
        if (s > 0) {
            b.append(s).append('s');
        }
        if (rest > 0) {
            b.append(rest).append("ms");
        }
        return b.toString();
    }

    private Map<String, Object> object(String apiVersion, String kind, String name, List<String> notes,
                                       Map<String, Object> spec) {
        Map<String, Object> meta = map("name", name, "namespace", options.namespace(), "labels",
                map("app.kubernetes.io/managed-by", "gatehouse", "gatehouse.io/gateway", gateway, "gatehouse.io/stage",
                        stage));
        List<String> all = notes == null ? List.of() : notes;
        if (!all.isEmpty()) {
            meta.put("annotations", map(NOT_EXPORTED, String.join("\n", all)));
        }
        return map("apiVersion", apiVersion, "kind", kind, "metadata", meta, "spec", spec);
    }

    /** A DNS-1123 object name from Gatehouse names ({@code get_user} to {@code get-user}), at most 253 characters. */
    static String name(String raw) {
        String n = raw.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-").replaceAll("-+", "-")
                .replaceAll("^[-.]+|[-.]+$", "");
        return n.length() > 253 ? n.substring(0, 253).replaceAll("[-.]+$", "") : n;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
