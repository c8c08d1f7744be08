package io.gatehouse.release;

import io.gatehouse.stage.HashSpec;
import io.gatehouse.stage.HealthCheck;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendHost;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kubernetes Gateway API export: a golden file for one representative gateway, every object of many
 * configs valid against the vendored CRD schemas (src/test/resources/crds, strict: unknown fields fail),
 * the cross-references no schema can check, and the regex rewrites computed as Gatehouse computes backend
 * paths. Run with {@code -Dgolden.update=true} (the one golden switch, {@link io.gatehouse.Golden}) to rewrite the golden file after a deliberate change.
 */
class GatewayApiExportTest {
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
    private static final Path GOLDEN = Path.of("src/test/resources/gateway-api/representative.out.yaml");
    private static final GatewayApiExport.Options OPTIONS = new GatewayApiExport.Options("eg", null, "default",
            Duration.ofSeconds(10));
    private static final Map<String, JsonSchema> SCHEMAS = Map.of(
            "HTTPRoute", schema("crds/httproute-v1.schema.yaml"),
            "Backend", schema("crds/backend-v1alpha1.schema.yaml"),
            "HTTPRouteFilter", schema("crds/httproutefilter-v1alpha1.schema.yaml"),
            "BackendTrafficPolicy", schema("crds/backendtrafficpolicy-v1alpha1.schema.yaml"));
    private static final Map<String, String> API_VERSIONS = Map.of("HTTPRoute", "gateway.networking.k8s.io/v1",
            "Backend", "gateway.envoyproxy.io/v1alpha1", "HTTPRouteFilter", "gateway.envoyproxy.io/v1alpha1",
            "BackendTrafficPolicy", "gateway.envoyproxy.io/v1alpha1");

    /** A CRD extract as a strict JSON schema: objects with properties take no other fields. */
    private static JsonSchema schema(String resource) {
        try (InputStream in = GatewayApiExportTest.class.getClassLoader().getResourceAsStream(resource)) {
            JsonNode node = YAML.readTree(in);
            strict(node);
            ((ObjectNode) node).put("$schema", "https://json-schema.org/draft/2020-12/schema");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(node);
        } catch (IOException e) {
            throw new IllegalStateException(resource, e);
        }
    }

    private static void strict(JsonNode node) {
        if (node.isObject()) {
            if (node.has("properties") && node.get("properties").isObject() && !node.has("additionalProperties")) {
                ((ObjectNode) node).put("additionalProperties", false);
            }
            node.elements().forEachRemaining(GatewayApiExportTest::strict);
        } else if (node.isArray()) {
            node.forEach(GatewayApiExportTest::strict);
        }
    }

    // ---- configs ---------------------------------------------------------------------------------

    private static BackendHost host(String url, int weight) {
        return new BackendHost(url, weight);
    }

    /** Configs are built from JSON-shaped maps, as the admin API reads them (no positional constructor). */
    private static BackendConfig config(String type, List<BackendHost> hosts, Map<String, List<BackendHost>> tenants,
                                        String fallback, HashSpec hash, Integer retries, String passHost,
                                        String upstreamHost, HealthCheck health) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("hosts", hosts);
        m.put("tenant_pools", tenants);
        m.put("tenant_fallback", fallback);
        m.put("hash", hash);
        m.put("timeouts", Map.of("connect_ms", 2000, "read_ms", 30000));
        m.put("retries", retries);
        m.put("pass_host", passHost);
        m.put("upstream_host", upstreamHost);
        m.put("health_check", health);
        return json(m);
    }

    private static BackendConfig json(Map<String, Object> m) {
        Map<String, Object> present = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (v != null) {
                present.put(k, v);
            }
        });
        return JSON.convertValue(present, BackendConfig.class);
    }

    private static BackendConfig simple(String type, BackendHost... hosts) {
        return config(type, List.of(hosts), null, null, null, null, null, null, null);
    }

    private static ResourceSpec resource(String method, String path, String match, String backendPath) {
        return new ResourceSpec(method, path, match, backendPath, null, null);
    }

    /** The representative gateway of the golden file: every kind of path, a tenant pool, an override. */
    static BackendConfig representativeStage() {
        return config("weighted_round_robin", List.of(host("http://10.0.0.1:8000", 3), host("http://10.0.0.2:8000", 1),
                        host("https://api.example.com", 2)),
                Map.of("acme", List.of(host("http://acme-1.internal:8080", 1))), "fail", null, 2, "pass", null,
                new HealthCheck("/health", 2000, 1000, 2, 3));
    }

    static Map<String, ResourceSpec> representativeResources() {
        Map<String, ResourceSpec> r = new LinkedHashMap<>();
        r.put("list_items", resource("GET", "/items", "exact", "/api/items"));
        r.put("get_item", resource("GET", "/items/{id}", "exact", "/api/items/{id}"));
        r.put("files", resource("ANY", "/files", "prefix", "/storage"));
        r.put("user_orders", resource("GET", "/users/{uid}/orders", "prefix", "/v2/orders/{uid}"));
        r.put("health", resource("HEAD", "/", "exact", "/healthz"));
        r.put("checkout", new ResourceSpec("POST", "/checkout", "exact", null, null, Map.of("prod",
                config("consistent_hash", List.of(host("http://10.1.0.1:9000", 1), host("http://10.1.0.2:9000", 1)),
                        null, null, new HashSpec("header", "X-User-Id", 160), 0, "node", null, null))));
        return r;
    }

    // ---- the golden file -------------------------------------------------------------------------

    @Test
    void aRepresentativeGatewayExportsExactlyAsTheGoldenFile() throws IOException {
        String yaml = GatewayApiExport.yaml("shop", "prod", 7, representativeStage(), representativeResources(), OPTIONS);
        if (io.gatehouse.Golden.updating()) {
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, yaml);
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), yaml);
        assertEquals(List.of(), problems(GatewayApiExport.documents("shop", "prod", representativeStage(),
                representativeResources(), OPTIONS)));
    }

    // ---- schema validation over many configs -----------------------------------------------------

    /** Configs that exercise every balancer type and hash key, tenant pools, overrides and health checks. */
    static Map<String, Map<String, ResourceSpec>> scenarios(Map<String, BackendConfig> stages) {
        Map<String, Map<String, ResourceSpec>> all = new TreeMap<>();
        BackendHost a = host("http://10.0.0.1:8000", 5);
        BackendHost b = host("http://backend-b.example.com:8080", 1);
        BackendHost c = host("https://[2001:db8::1]:8443", 2);
        for (String type : List.of("round_robin", "weighted_round_robin", "least_conn", "least_response_time", "random")) {
            stages.put(type, simple(type, a, b, c));
            all.put(type, representativeResources());
        }
        for (String on : List.of("header", "cookie", "ip", "path")) {
            String name = on.equals("header") ? "X-User" : on.equals("cookie") ? "session" : null;
            stages.put("hash-" + on, config("consistent_hash", List.of(a, b), null, null,
                    new HashSpec(on, name, 150), 1, null, null, null));
            all.put("hash-" + on, representativeResources());
        }
        stages.put("tenants-default-fallback", config("weighted_round_robin", List.of(a, b),
                Map.of("acme", List.of(c), "globex", List.of(host("http://globex:80", 1))), "default", null, 3,
                "rewrite", "api.internal", new HealthCheck("/ready", 500, 200, 1, 5)));
        all.put("tenants-default-fallback", representativeResources());
        Map<String, Object> strip = new LinkedHashMap<>();
        strip.put("hosts", List.of(a));
        strip.put("tenant_pools", Map.of("acme", List.of(b)));
        strip.put("strip_tenant_header", true);
        stages.put("strip-tenant-header", json(strip));
        all.put("strip-tenant-header", Map.of("r", resource("GET", "/r", "exact", null)));
        Map<String, Object> keep = new LinkedHashMap<>();
        keep.put("hosts", List.of(a));
        keep.put("encoded_slashes", "keep");
        stages.put("encoded-slashes-keep", json(keep));
        all.put("encoded-slashes-keep", Map.of("r", resource("GET", "/files/{key}", "exact", null)));
        stages.put("rewrite-with-port", config("random", List.of(a), null, null, null, 0, "rewrite", "api.internal:8443",
                null));
        all.put("rewrite-with-port", Map.of("r", resource("GET", "/r/{x}", "prefix", "/")));
        List<BackendHost> many = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            many.add(host("http://10.9.0." + i + ":80", i));
        }
        stages.put("twenty-hosts", simple("weighted_round_robin", many.toArray(BackendHost[]::new)));
        Map<String, ResourceSpec> lots = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            lots.put("r" + i, resource("GET", "/r" + i + "/{id}", i % 2 == 0 ? "exact" : "prefix", null));
        }
        all.put("twenty-hosts", lots);
        return all;
    }

    @Test
    void everyExportedObjectIsValidAgainstItsCrdSchema() {
        Map<String, BackendConfig> stages = new TreeMap<>();
        Map<String, Map<String, ResourceSpec>> scenarios = scenarios(stages);
        Set<String> kinds = new HashSet<>();
        int objects = 0;
        for (Map.Entry<String, Map<String, ResourceSpec>> s : scenarios.entrySet()) {
            List<Map<String, Object>> docs = GatewayApiExport.documents("shop", "prod", stages.get(s.getKey()),
                    s.getValue(), OPTIONS);
            assertEquals(List.of(), problems(docs), s.getKey());
            docs.forEach(d -> kinds.add((String) d.get("kind")));
            objects += docs.size();
        }
        assertEquals(SCHEMAS.keySet(), kinds, "every kind is exercised");
        assertTrue(objects > 100, "validated " + objects + " objects");
    }

    @Test
    void theValidatorRejectsWhatTheCrdsReject() {
        List<Map<String, Object>> docs = GatewayApiExport.documents("shop", "prod", representativeStage(),
                representativeResources(), OPTIONS);
        JsonNode route = YAML.valueToTree(docs.stream().filter(d -> d.get("kind").equals("HTTPRoute")).findFirst()
                .orElseThrow());
        ((ObjectNode) route.at("/spec/rules/0/matches/0/path")).put("type", "Glob");
        assertFalse(SCHEMAS.get("HTTPRoute").validate(route).isEmpty(), "an unknown path match type must fail");
        JsonNode policy = YAML.valueToTree(docs.stream().filter(d -> d.get("kind").equals("BackendTrafficPolicy"))
                .findFirst().orElseThrow());
        ((ObjectNode) policy.at("/spec/loadBalancer")).put("smoothness", 1);
        assertFalse(SCHEMAS.get("BackendTrafficPolicy").validate(policy).isEmpty(), "an unknown field must fail");
        ((ObjectNode) policy.at("/spec/timeout/tcp")).put("connectTimeout", "2 seconds");
        assertFalse(SCHEMAS.get("BackendTrafficPolicy").validate(policy).isEmpty(), "a bad duration must fail");
    }

    /**
     * Schema errors, plus the rules no schema states: apiVersion per kind, resolvable references, the CEL
     * rules the export could break, unique names per kind.
     */
    private static List<String> problems(List<Map<String, Object>> docs) {
        List<String> out = new ArrayList<>();
        Map<String, Set<String>> names = new TreeMap<>();
        for (Map<String, Object> d : docs) {
            String kind = (String) d.get("kind");
            JsonNode node = YAML.valueToTree(d);
            String name = node.at("/metadata/name").asText();
            if (!names.computeIfAbsent(kind, k -> new HashSet<>()).add(name)) {
                out.add(kind + " " + name + ": duplicate name");
            }
            if (!API_VERSIONS.get(kind).equals(d.get("apiVersion"))) {
                out.add(kind + " " + name + ": apiVersion " + d.get("apiVersion"));
            }
            // RFC 1123 label, as Kubernetes checks metadata.name (written out here, not the export's own pattern).
            if (!name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || name.length() > 63) {
                out.add(kind + " " + name + ": not a DNS-1123 name");
            }
            for (ValidationMessage m : SCHEMAS.get(kind).validate(node)) {
                out.add(kind + " " + name + ": " + m.getMessage());
            }
        }
        for (Map<String, Object> d : docs) {
            JsonNode node = YAML.valueToTree(d);
            String where = d.get("kind") + " " + node.at("/metadata/name").asText();
            if (d.get("kind").equals("HTTPRoute")) {
                for (JsonNode rule : node.at("/spec/rules")) {
                    int rewrites = 0;
                    for (JsonNode f : rule.get("filters")) {
                        if (f.get("type").asText().equals("URLRewrite")) {
                            rewrites++;
                            if (f.at("/urlRewrite/path/type").asText().equals("ReplacePrefixMatch")
                                    && !rule.at("/matches/0/path/type").asText().equals("PathPrefix")) {
                                out.add(where + ": ReplacePrefixMatch without a PathPrefix match");
                            }
                        }
                        if (f.get("type").asText().equals("ExtensionRef")
                                && !names.getOrDefault("HTTPRouteFilter", Set.of()).contains(f.at("/extensionRef/name").asText())) {
                            out.add(where + ": extensionRef to a missing HTTPRouteFilter");
                        }
                    }
                    if (rewrites > 1) {
                        out.add(where + ": URLRewrite repeated");
                    }
                    for (JsonNode ref : rule.get("backendRefs")) {
                        if (!names.getOrDefault("Backend", Set.of()).contains(ref.get("name").asText())) {
                            out.add(where + ": backendRef to a missing Backend " + ref.get("name").asText());
                        }
                    }
                }
            } else if (d.get("kind").equals("BackendTrafficPolicy")) {
                if (node.at("/spec/targetRefs").isEmpty()) {
                    out.add(where + ": no targetRefs");
                }
                for (JsonNode ref : node.at("/spec/targetRefs")) {
                    if (!names.getOrDefault("HTTPRoute", Set.of()).contains(ref.get("name").asText())) {
                        out.add(where + ": targetRef to a missing HTTPRoute");
                    }
                }
            } else if (d.get("kind").equals("Backend")) {
                for (JsonNode e : node.at("/spec/endpoints")) {
                    if (e.size() != 1) {
                        out.add(where + ": an endpoint must be exactly one of fqdn, ip, unix");
                    }
                }
            }
        }
        return out;
    }

    // ---- semantics the schemas cannot see ----------------------------------------------------------

    /** The regex rewrite of a template gives exactly the backend path Gatehouse's own router gives. */
    @Test
    void regexRewritesGiveTheBackendPathsGatehouseGives() {
        Map<String, ResourceSpec> resources = representativeResources();
        List<Map<String, Object>> docs = GatewayApiExport.documents("shop", "prod", representativeStage(), resources,
                OPTIONS);
        Map<String, String[]> samples = Map.of(
                "get_item", new String[] {"/shop/prod/items/42", "/api/items/42"},
                "user_orders", new String[] {"/shop/prod/users/7/orders/2024/03", "/v2/orders/7/2024/03"},
                "health", new String[] {"/shop/prod/", "/healthz"},
                "checkout", new String[] {"/shop/prod/checkout", "/checkout"});
        for (Map.Entry<String, String[]> s : samples.entrySet()) {
            Map<String, Object> filter = docs.stream().filter(d -> d.get("kind").equals("HTTPRouteFilter")
                    && YAML.valueToTree(d).at("/metadata/name").asText().equals("shop-prod-" + s.getKey().replace('_', '-')))
                    .findFirst().orElseThrow(() -> new AssertionError("no filter for " + s.getKey()));
            JsonNode rewrite = YAML.valueToTree(filter).at("/spec/urlRewrite/path/replaceRegexMatch");
            Matcher m = Pattern.compile(rewrite.get("pattern").asText()).matcher(s.getValue()[0]);
            assertTrue(m.matches(), s.getKey() + ": " + rewrite.get("pattern").asText() + " must match " + s.getValue()[0]);
            assertEquals(s.getValue()[1], substitute(m, rewrite.get("substitution").asText()), s.getKey());
        }
    }

    /** Applies an RE2 substitution ({@code \1}) by hand; an unmatched group is empty, as in Envoy. */
    private static String substitute(Matcher m, String substitution) {
        StringBuilder b = new StringBuilder();
        Matcher g = Pattern.compile("\\\\(\\d)").matcher(substitution);
        int last = 0;
        while (g.find()) {
            b.append(substitution, last, g.start());
            String v = m.group(Integer.parseInt(g.group(1)));
            b.append(v == null ? "" : v);
            last = g.end();
        }
        return b.append(substitution.substring(last)).toString();
    }

    @Test
    void whatCannotBeExpressedIsListedNeverDropped() {
        Map<String, BackendConfig> stages = new TreeMap<>();
        Map<String, Map<String, ResourceSpec>> scenarios = scenarios(stages);
        Map<String, String> expected = Map.of(
                "least_response_time", "type least_response_time has no Envoy Gateway equivalent; exported as LeastRequest",
                "hash-path", "hash on path has no Envoy Gateway equivalent; exported as SourceIP",
                "tenants-default-fallback", "tenant_fallback default: a tenant whose pool has no healthy host gets 503",
                "rewrite-with-port", "pass_host rewrite to api.internal:8443",
                "twenty-hosts", "20 hosts, of which only the first 16 fit the rule's backendRefs",
                "encoded-slashes-keep", "encoded_slashes keep: Envoy Gateway sets this per listener");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String yaml = GatewayApiExport.yaml("shop", "prod", 1, stages.get(e.getKey()), scenarios.get(e.getKey()),
                    OPTIONS);
            assertTrue(yaml.contains(e.getValue()), e.getKey() + " must list: " + e.getValue() + "\n" + yaml);
            assertTrue(yaml.lines().anyMatch(l -> l.startsWith("#   - ") && l.contains(e.getValue())),
                    e.getKey() + ": the header comment repeats it");
        }
        String clean = GatewayApiExport.yaml("shop", "prod", 1, simple("weighted_round_robin", host("http://a:80", 1)),
                Map.of("r", resource("GET", "/r", "exact", null)), OPTIONS);
        assertTrue(clean.contains("# Everything in this release is expressed below."), clean);
        assertFalse(clean.contains(GatewayApiExport.NOT_EXPORTED + ":"), clean);
    }

    @Test
    void lowerPriorityTiersBecomeFallbackBackendsAndSlowStartTheWindow() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "least_conn");
        m.put("hosts", List.of(Map.of("url", "http://10.0.0.1:80", "weight", 1, "priority", 1),
                Map.of("url", "http://10.0.0.2:80", "weight", 1, "priority", 0),
                Map.of("url", "http://10.0.0.3:80", "weight", 1, "priority", -1)));
        m.put("slow_start_ms", 30_000);
        BackendConfig c = json(m);
        assertEquals(1, c.hosts().get(0).priority());
        List<Map<String, Object>> docs = GatewayApiExport.documents("shop", "prod", c,
                Map.of("r", resource("GET", "/r", "exact", null)), OPTIONS);
        assertEquals(List.of(), problems(docs));
        Map<String, Boolean> fallback = new TreeMap<>();
        for (Map<String, Object> d : docs) {
            JsonNode n = YAML.valueToTree(d);
            if (d.get("kind").equals("Backend")) {
                fallback.put(n.at("/spec/endpoints/0/ip/address").asText(), n.at("/spec/fallback").asBoolean(false));
            } else if (d.get("kind").equals("BackendTrafficPolicy")) {
                assertEquals("30s", n.at("/spec/loadBalancer/slowStart/window").asText());
            }
        }
        assertEquals(Map.of("10.0.0.1", false, "10.0.0.2", true, "10.0.0.3", true), fallback);
        String yaml = GatewayApiExport.yaml("shop", "prod", 1, c, Map.of("r", resource("GET", "/r", "exact", null)), OPTIONS);
        assertTrue(yaml.contains("more than two priority tiers"), yaml);

        m.put("type", "random");
        String random = GatewayApiExport.yaml("shop", "prod", 1, json(m), Map.of("r", resource("GET", "/r", "exact", null)),
                OPTIONS);
        assertTrue(random.contains("slow_start_ms 30000: Envoy Gateway has slow start for RoundRobin and LeastRequest only"),
                random);
    }

    @Test
    void moreThan16RulesSplitIntoRoutesThatOnePolicyTargets() {
        Map<String, BackendConfig> stages = new TreeMap<>();
        Map<String, Map<String, ResourceSpec>> scenarios = scenarios(stages);
        List<Map<String, Object>> docs = GatewayApiExport.documents("shop", "prod", stages.get("twenty-hosts"),
                scenarios.get("twenty-hosts"), OPTIONS);
        List<String> routes = new ArrayList<>();
        int rules = 0;
        for (Map<String, Object> d : docs) {
            JsonNode n = YAML.valueToTree(d);
            if (d.get("kind").equals("HTTPRoute")) {
                routes.add(n.at("/metadata/name").asText());
                rules += n.at("/spec/rules").size();
            }
        }
        assertEquals(List.of("shop-prod", "shop-prod-2", "shop-prod-3"), routes);
        assertEquals(40, rules);
        JsonNode policy = YAML.valueToTree(docs.stream().filter(d -> d.get("kind").equals("BackendTrafficPolicy"))
                .findFirst().orElseThrow());
        List<String> targets = new ArrayList<>();
        for (Iterator<JsonNode> it = policy.at("/spec/targetRefs").elements(); it.hasNext(); ) {
            targets.add(it.next().get("name").asText());
        }
        assertEquals(routes, targets);
    }

    @Test
    void stripTenantHeaderRemovesItOnEveryRuleOfThatConfig() {
        Map<String, BackendConfig> stages = new TreeMap<>();
        Map<String, Map<String, ResourceSpec>> scenarios = scenarios(stages);
        JsonNode route = YAML.valueToTree(GatewayApiExport.documents("shop", "prod", stages.get("strip-tenant-header"),
                scenarios.get("strip-tenant-header"), OPTIONS).stream().filter(d -> d.get("kind").equals("HTTPRoute"))
                .findFirst().orElseThrow());
        assertEquals(2, route.at("/spec/rules").size());
        for (JsonNode rule : route.at("/spec/rules")) {
            JsonNode modifier = rule.at("/filters/1/requestHeaderModifier");
            assertEquals("X-Tenant-Id", modifier.at("/remove/0").asText(), rule.toString());
        }
        JsonNode plain = YAML.valueToTree(GatewayApiExport.documents("shop", "prod", representativeStage(),
                representativeResources(), OPTIONS).stream().filter(d -> d.get("kind").equals("HTTPRoute"))
                .findFirst().orElseThrow());
        assertTrue(plain.at("/spec/rules/0/filters/1/requestHeaderModifier/remove").isMissingNode());
    }

    @Test
    void durationsFitTheGatewayApiPattern() {
        assertEquals("30s", BackendTrafficPolicies.duration(30_000));
        assertEquals("2s500ms", BackendTrafficPolicies.duration(2_500));
        assertEquals("1h", BackendTrafficPolicies.duration(3_600_000));
        assertEquals("1m1s1ms", BackendTrafficPolicies.duration(61_001));
        assertEquals("0s", BackendTrafficPolicies.duration(0));
    }
}
