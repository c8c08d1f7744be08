package io.gatehouse.deploy;

import io.gatehouse.common.JwtSpec;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.EncodedSlashes;
import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import io.gatehouse.stage.UnknownTenant;
import io.gatehouse.stage.BackendHost;
import io.gatehouse.stage.HashSpec;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.stage.Timeouts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/configuration.md cannot drift from the code: its {@code gatehouse.*} rows are exactly
 * GatehouseConfig's properties (by reflection) with their defaults; its BackendConfig rows are exactly
 * the record's fields (by reflection, snake case) with the defaults {@code normalized()} fills and the
 * limits and values of BackendConfig's constants; every Quarkus property application.properties sets
 * is documented with that value.
 */
class ConfigReferenceTest {
    private static final Map<String, List<String>> ROWS = MarkdownTables.rows(EnvNames.CONFIG_DOC);

    private static String firstCode(String cell) {
        int a = cell.indexOf('`');
        return a < 0 ? cell.strip() : cell.substring(a + 1, cell.indexOf('`', a + 1));
    }

    @Test
    void everyGatehousePropertyIsDocumentedWithItsEnvNameAndDefault() {
        Map<String, String> code = ConfigProperties.gatehouse();
        Set<String> documented = ROWS.keySet().stream().filter(k -> k.startsWith("gatehouse."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(code.keySet(), documented, "gatehouse.* properties in the code vs in docs/configuration.md");
        code.forEach((property, def) -> {
            List<String> row = ROWS.get(property);
            assertEquals(ConfigProperties.envName(property), MarkdownTables.text(row.get(1)), property + " env name");
            if (def == null) {
                assertTrue(row.get(2).startsWith("—"), property + " has no default in the code; the doc says " + row.get(2));
            } else {
                assertEquals(def, firstCode(row.get(2)), property + " default");
            }
        });
    }

    @Test
    void quarkusPropertiesSetByTheApplicationAreDocumentedWithTheirValues() throws IOException {
        Map<String, String> set = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("src/main/resources/application.properties"))) {
            if (line.startsWith("quarkus.") && line.contains("=")) {
                set.put(line.substring(0, line.indexOf('=')).strip(), line.substring(line.indexOf('=') + 1).strip());
            }
        }
        Set<String> operatorFacing = Set.of("quarkus.datasource.jdbc.max-size", "quarkus.http.limits.max-body-size",
                "quarkus.flyway.migrate-at-start");
        for (String p : operatorFacing) {
            assertTrue(set.containsKey(p), p + " is still set in application.properties");
            assertTrue(ROWS.containsKey(p), p + " is documented");
            assertEquals(set.get(p), firstCode(ROWS.get(p).get(2)), p + " documented default");
        }
        ROWS.forEach((k, row) -> {
            if (k.startsWith("quarkus.")) {
                assertEquals(ConfigProperties.envName(k), MarkdownTables.text(row.get(1)), k + " env name");
                if (set.containsKey(k)) {
                    assertEquals(set.get(k), firstCode(row.get(2)), k + " documented default vs application.properties");
                }
            }
        });
    }

    /** Field paths of BackendConfig as the JSON names them: snake case, nested records with dots, list items with []. */
    private static void fields(String prefix, Class<?> record, Map<String, Class<?>> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String name = prefix + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            out.put(name, c.getType());
            if (c.getType().isRecord()) {
                fields(name + ".", c.getType(), out);
            } else if (c.getType() == List.class) {
                Type item = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
                if (item instanceof Class<?> k && k.isRecord()) {
                    fields(name + "[].", k, out);
                }
            }
        }
    }

    @Test
    void everyBackendConfigFieldIsDocumentedAndNothingElse() {
        Map<String, Class<?>> code = new TreeMap<>();
        fields("", BackendConfig.class, code);
        Set<String> documented = ROWS.keySet().stream().filter(k -> !k.startsWith("gatehouse.") && !k.startsWith("quarkus."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(code.keySet(), documented, "BackendConfig fields in the code vs in docs/configuration.md");
    }

    /** Fields {@code normalized()} leaves null at their default (so stored configs compare equal), and that default. */
    private static final Map<String, String> WRITTEN_ONLY_WHEN_SET = Map.of("strip_tenant_header", "false",
            "encoded_slashes", "reject", "panic_threshold", String.valueOf(BackendConfig.DEFAULT_PANIC_THRESHOLD),
            "tenant_from", "header", "api_key_header", "X-Api-Key", "unknown_tenant", "default",
            "strip_authorization", "false",

            "slow_start_ms", String.valueOf(BackendConfig.DEFAULT_SLOW_START_MS),
            "hosts[].priority", String.valueOf(BackendHost.DEFAULT_PRIORITY));

    @Test
    void backendConfigDefaultsAreWhatNormalizedFillsIn() throws Exception {
        BackendConfig empty = new BackendConfig(null, List.of(new BackendHost(null, null)), null, null, null,
                new HashSpec(null, null, null), new Timeouts(null, null), null, null, null,
                new HealthCheck(null, null, null, null, null), null, null, null, null, null, null,
                new JwtSpec(null, null, null), null, null).normalized();
        Map<String, Object> defaults = new TreeMap<>();
        leafValues("", empty, defaults);
        defaults.forEach((field, value) -> {
            String cell = ROWS.get(field).get(2);
            if (WRITTEN_ONLY_WHEN_SET.containsKey(field)) {
                // Normalized to null at the default, so it is never written out; the doc states the default.
                assertEquals(null, value);
                assertEquals(WRITTEN_ONLY_WHEN_SET.get(field), firstCode(cell), field + " default");
            } else if (value == null) {
                assertTrue(cell.startsWith("—"), field + " has no default; the doc says " + cell);
            } else {
                assertEquals(String.valueOf(value), firstCode(cell), field + " default");
            }
        });
        assertTrue(ROWS.get("health_check").get(2).startsWith("—"), "no health_check means no active probes");
        // passive_health is null when it is the default; its fields' defaults are what passive() fills in.
        assertEquals(empty.passive().httpStatuses().toString(), firstCode(ROWS.get("passive_health.http_statuses").get(2)));
        assertEquals(String.valueOf(empty.passive().consecutiveFailures()),
                firstCode(ROWS.get("passive_health.consecutive_failures").get(2)));
    }

    private static void leafValues(String prefix, Record r, Map<String, Object> out) throws Exception {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            String name = prefix + c.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
            Object v = c.getAccessor().invoke(r);
            if (v instanceof Record nested) {
                leafValues(name + ".", nested, out);
            } else if (v instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Record item) {
                leafValues(name + "[].", item, out);
            } else if (!(v instanceof List<?>) && !(v instanceof Map<?, ?>)) {
                out.put(name, v);
            }
        }
    }

    private static String n(int v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    @Test
    void limitsAndValuesAreBackendConfigsConstants() {
        Map<String, String> limits = new TreeMap<>(Map.ofEntries(
                Map.entry("hosts", "1–" + n(BackendHost.MAX_HOSTS)),
                Map.entry("hosts[].weight", n(BackendHost.MIN_WEIGHT) + "–" + n(BackendHost.MAX_WEIGHT)),
                Map.entry("hosts[].priority", n(BackendHost.MIN_PRIORITY) + "–" + n(BackendHost.MAX_PRIORITY)),
                Map.entry("slow_start_ms", "0–" + n(BackendConfig.MAX_SLOW_START_MS)),
                Map.entry("tenant_pools", "0–" + n(BackendConfig.MAX_TENANT_POOLS)),
                Map.entry("retries", "0–" + n(BackendConfig.MAX_RETRIES)),
                Map.entry("timeouts.connect_ms", "1–" + n(Timeouts.MAX_CONNECT_MS)),
                Map.entry("timeouts.read_ms", "1–" + n(Timeouts.MAX_READ_MS)),
                Map.entry("hash.replicas", "1–" + n(HashSpec.MAX_REPLICAS)),
                Map.entry("health_check.interval_ms", n(HealthCheck.MIN_INTERVAL_MS) + "–" + n(HealthCheck.MAX_INTERVAL_MS)),
                Map.entry("health_check.timeout_ms", "1–" + n(Timeouts.MAX_CONNECT_MS)),
                Map.entry("health_check.healthy_threshold", "1–" + n(HealthCheck.MAX_THRESHOLD)),
                Map.entry("health_check.unhealthy_threshold", "1–" + n(HealthCheck.MAX_THRESHOLD))));
        limits.forEach((field, limit) -> assertTrue(ROWS.get(field).get(3).contains(limit),
                field + ": the doc's limits cell should say " + limit + ", says " + ROWS.get(field).get(3)));
        Map<String, List<String>> values = Map.of("type", BalancerType.wireNames(), "tenant_fallback", TenantFallback.wireNames(),
                "pass_host", PassHost.wireNames(), "hash.on", HashKey.On.wireNames(), "encoded_slashes",
                EncodedSlashes.wireNames(), "tenant_from", TenantSource.wireNames(), "unknown_tenant",
                UnknownTenant.wireNames());
        values.forEach((field, allowed) -> {
            Set<String> documented = new TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("`([a-z_]+)`").matcher(ROWS.get(field).get(3));
            while (m.find()) {
                documented.add(m.group(1));
            }
            assertEquals(new TreeSet<>(allowed), documented, field + " values");
        });
    }
}
