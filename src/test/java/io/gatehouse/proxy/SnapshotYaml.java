package io.gatehouse.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.gatehouse.balance.ActiveProbe;
import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.ConsistentHash;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.RequestAttributes;
import io.gatehouse.resource.PathTemplate;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A compiled {@link StageSnapshot} as deterministic, human-readable YAML, for the compiler's golden files
 * (Envoy Gateway's {@code *.out.yaml}). Everything shown is read back from the compiled objects (router,
 * routes, upstreams, balancers), not from the input, so a golden file shows what the proxy will do:
 * routes in the router's match order, which upstream (balancer) each route shares, the balancer type and
 * its hosts with weights, tenant pools and fallback, the hash key with its ring size, timeouts, retries,
 * host header, health checks, the compile problems, and what sample requests match.
 *
 * <p>Two views are run, not read: the first {@code sum(weights)} picks of a round-robin pool
 * ({@code first_picks}, hosts lettered a, b, … in pool order) and where a few fixed keys land on a
 * consistent-hash ring ({@code sample_keys}); each renders from a fresh compile, so the sequence starts at
 * its beginning.
 */
final class SnapshotYaml {

    /** Keys placed on a consistent-hash ring in {@code sample_keys}; fixed so the golden pins ring placement. */
    static final List<String> SAMPLE_KEYS = List.of("alice", "bob", "carol", "dave", "erin");
    /** The client address of sample requests: consistent hash falls back to it when the key is missing. */
    static final String SAMPLE_CLIENT_IP = "192.0.2.7";
    private static final int MAX_PICKS = 24;

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build());

    private SnapshotYaml() {
    }

    static String yaml(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One stage's snapshot as a tree of maps and lists, in a fixed order.
     *
     * @param resources the resources it was compiled from (to say which routes use an override)
     * @param requests  sample requests, {@code "METHOD /path"} after {@code /{gateway}/{stage}}
     */
    static Map<String, Object> stage(StageSnapshot s, Map<String, ResourceSpec> resources, List<String> requests) {
        List<Upstream> upstreams = s.upstreams();
        Map<Upstream, String> ids = new java.util.IdentityHashMap<>();
        for (int i = 0; i < upstreams.size(); i++) {
            ids.put(upstreams.get(i), "upstream-" + (i + 1));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (s.release() != StageSnapshot.NO_RELEASE) {
            out.put("release", s.release());
        }
        List<Object> routes = new ArrayList<>();
        for (Route r : inMatchOrder(s.routes().values())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("resource", r.name());
            m.put("method", r.method());
            m.put("match", r.prefix() ? "prefix" : "exact");
            m.put("path", r.path().raw());
            m.put("backend_path", r.backendPath());
            m.put("rewrite", rewrite(r));
            String id = ids.get(r.upstream());
            m.put("upstream", id == null ? "NOT IN snapshot.upstreams()" : id);
            routes.add(m);
        }
        out.put("routes", routes);
        Map<String, Object> ups = new LinkedHashMap<>();
        for (Upstream u : upstreams) {
            List<String> usedBy = new ArrayList<>();
            new TreeMap<>(s.routes()).forEach((name, r) -> {
                if (r.upstream() == u) {
                    ResourceSpec spec = resources.get(name);
                    boolean override = spec != null && spec.overrides() != null
                            && spec.overrides().containsKey(s.stage());
                    usedBy.add(name + (override ? " (override)" : " (stage config)"));
                }
            });
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("used_by", usedBy);
            m.putAll(upstream(u));
            ups.put(ids.get(u), m);
        }
        out.put("upstreams", ups);
        out.put("problems", s.problems());
        Map<String, String> answers = new LinkedHashMap<>();
        for (String request : requests) {
            answers.put(request, answer(s.router(), request));
        }
        if (!answers.isEmpty()) {
            out.put("requests", answers);
        }
        return out;
    }

    private static Map<String, Object> upstream(Upstream u) {
        Map<String, Object> m = new LinkedHashMap<>();
        Balancer defaults = u.pools().defaults();
        m.put("type", defaults.type().wireName());
        m.put("hosts", hosts(defaults));
        m.putAll(balancerDetails(defaults));
        if (!u.pools().tenantPools().isEmpty()) {
            m.put("tenant_header", u.tenantHeader());
            if (u.tenantPolicy().stripTenantHeader()) {
                m.put("strip_tenant_header", true);
            }
            Map<String, Object> pools = new LinkedHashMap<>();
            new TreeMap<>(u.pools().tenantPools()).forEach((tenant, b) -> {
                Map<String, Object> pool = new LinkedHashMap<>();
                if (b.type() != defaults.type()) {
                    pool.put("type", b.type().wireName());
                }
                pool.put("hosts", hosts(b));
                pool.putAll(balancerDetails(b));
                pools.put(tenant, pool);
            });
            m.put("tenant_pools", pools);
            m.put("tenant_fallback", u.pools().fallback().wireName());
        }
        Map<String, Object> timeouts = new LinkedHashMap<>(); // never Map.of: its order changes per JVM
        timeouts.put("connect_ms", u.connectTimeoutMs());
        timeouts.put("read_ms", u.readTimeoutMs());
        m.put("timeouts", timeouts);
        m.put("retries", u.retries());
        m.put("pass_host", switch (u.passHost()) {
            case PASS -> "pass (the client's Host)";
            case NODE -> "node (each host's own host:port)";
            case REWRITE -> "rewrite to " + u.upstreamHost();
        });
        ActiveProbe hc = u.pools().health().probe();
        if (hc == null) {
            m.put("health_check", "none (passive marks only)");
        } else {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("path", hc.path());
            h.put("interval_ms", hc.intervalMs());
            h.put("timeout_ms", hc.timeoutMs());
            h.put("healthy_threshold", hc.healthyThreshold());
            h.put("unhealthy_threshold", hc.unhealthyThreshold());
            m.put("health_check", h);
        }
        m.put("failure_statuses", u.failureStatuses().isEmpty() ? "none (answers pass through)" : u.failureStatuses());
        m.put("down_after_failures", u.pools().health().passiveFailures());
        m.put("up_after_successes", u.pools().health().passiveSuccesses());
        m.put("panic_threshold", u.pools().health().panicThreshold());
        return m;
    }

    private static List<String> hosts(Balancer b) {
        List<String> out = new ArrayList<>();
        List<Host> hosts = b.hosts();
        for (int i = 0; i < hosts.size(); i++) {
            out.add(letter(i) + ": " + hosts.get(i).url() + " weight " + hosts.get(i).weight());
        }
        return out;
    }

    private static Map<String, Object> balancerDetails(Balancer b) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (b instanceof ConsistentHash ch) {
            HashKey key = ch.hashKey();
            Map<String, Object> hash = new LinkedHashMap<>();
            hash.put("on", key.on().wireName());
            if (key.name() != null) {
                hash.put("name", key.name());
            }
            hash.put("replicas", key.replicas());
            hash.put("ring_points", ch.ringSize());
            // Run, not assumed: what the key source gives for a request that lacks the key.
            String fallback = key.source().keyOf(sample(null, null));
            hash.put("without_key", SAMPLE_CLIENT_IP.equals(fallback) ? "client ip" : String.valueOf(fallback));
            m.put("hash", hash);
            Map<String, String> keys = new LinkedHashMap<>();
            for (String k : SAMPLE_KEYS) {
                keys.put(k, letterOf(b, b.pick(sample(key, k))));
            }
            m.put("sample_keys", keys);
        } else if (b.type() == BalancerType.ROUND_ROBIN || b.type() == BalancerType.WEIGHTED_ROUND_ROBIN) {
            int n = b.type() == BalancerType.ROUND_ROBIN ? b.hosts().size()
                    : b.hosts().stream().mapToInt(Host::weight).sum();
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < Math.min(n, MAX_PICKS); i++) {
                picks.add(letterOf(b, b.pick(RequestAttributes.NONE)));
            }
            m.put("first_picks", String.join(" ", picks) + (n > MAX_PICKS ? " …" : ""));
        }
        return m;
    }

    private static String letterOf(Balancer b, Host h) {
        return h == null ? "none" : letter(b.hosts().indexOf(h));
    }

    private static String letter(int i) {
        return i < 26 ? String.valueOf((char) ('a' + i)) : "h" + i;
    }

    /** A request whose hash key (header, cookie or path, per {@code key}) is {@code value}, or none. */
    private static RequestAttributes sample(HashKey key, String value) {
        HashKey.On on = key == null ? null : key.on();
        return new RequestAttributes() {
            @Override
            public String header(String name) {
                return on == HashKey.On.HEADER && name.equalsIgnoreCase(key.name()) ? value : null;
            }

            @Override
            public String cookie(String name) {
                return on == HashKey.On.COOKIE && name.equals(key.name()) ? value : null;
            }

            @Override
            public String path() {
                return on == HashKey.On.PATH ? "/" + value : null;
            }

            @Override
            public String clientIp() {
                return on == HashKey.On.IP ? value : SAMPLE_CLIENT_IP;
            }
        };
    }

    /** The backend path as literal text and {@code $n}, the n-th request segment after {@code /{gateway}/{stage}}. */
    static String rewrite(Route r) {
        StringBuilder b = new StringBuilder();
        if (r.backendParts().isEmpty()) {
            b.append('/');
        }
        for (Route.BackendPart part : r.backendParts()) {
            b.append('/');
            if (part instanceof Route.Text t) {
                b.append(t.text());
            } else {
                b.append('$').append(((Route.SegmentRef) part).index() + 1);
            }
        }
        if (r.prefix()) {
            b.append(" + rest of path");
        }
        return b.toString();
    }

    /** What the router answers to {@code "METHOD /path"}: the resource and backend URI, 405 or 404. */
    static String answer(Router router, String request) {
        String[] parts = request.split(" ", 2);
        String path = parts[1];
        int q = path.indexOf('?');
        String query = q < 0 ? null : path.substring(q + 1);
        String p = q < 0 ? path : path.substring(0, q);
        String[] segments = p.equals("/") ? new String[0] : p.substring(1).split("/", -1);
        Router.Match match = router.match(parts[0], segments);
        if (match instanceof Router.Found f) {
            return f.route().name() + " -> " + f.route().backendUri(f.segments(), f.consumed(), query);
        }
        if (match instanceof Router.MethodNotAllowed m) {
            return "405, Allow " + String.join(", ", new java.util.TreeSet<>(m.allow()));
        }
        return "404";
    }

    /**
     * Routes in the order the router tries them (a depth-first walk of its trie): segment by segment a
     * literal before a parameter; a route that ends at a node comes before longer ones when exact, after
     * them when a prefix; at one node exact before prefix, a named method before ANY. The first route in
     * this list that matches a request's path and method is the one the router picks;
     * {@code RouteCompilerGoldenTest} checks that against the router itself.
     */
    static List<Route> inMatchOrder(java.util.Collection<Route> routes) {
        List<Route> sorted = new ArrayList<>(routes);
        sorted.sort(MATCH_ORDER);
        return sorted;
    }

    static final Comparator<Route> MATCH_ORDER = (a, b) -> {
        List<PathTemplate.Segment> sa = a.path().segments();
        List<PathTemplate.Segment> sb = b.path().segments();
        for (int i = 0; ; i++) {
            boolean aEnds = i == sa.size();
            boolean bEnds = i == sb.size();
            if (aEnds && bEnds) {
                if (a.prefix() != b.prefix()) {
                    return a.prefix() ? 1 : -1;
                }
                boolean aAny = a.method().equals("ANY");
                boolean bAny = b.method().equals("ANY");
                return aAny != bAny ? (aAny ? 1 : -1) : a.method().compareTo(b.method());
            }
            if (aEnds) {
                return a.prefix() ? 1 : -1;
            }
            if (bEnds) {
                return b.prefix() ? -1 : 1;
            }
            PathTemplate.Segment x = sa.get(i);
            PathTemplate.Segment y = sb.get(i);
            if (x instanceof PathTemplate.Literal lx && y instanceof PathTemplate.Literal ly) {
                int c = lx.text().compareTo(ly.text());
                if (c != 0) {
                    return c;
                }
            } else if (x instanceof PathTemplate.Literal) {
                return -1;
            } else if (y instanceof PathTemplate.Literal) {
                return 1;
            }
        }
    };
}
