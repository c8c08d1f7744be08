package io.gatehouse.stage;

import io.gatehouse.common.JwtSpec;
import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.common.FieldError;
import io.gatehouse.common.Violations;
import io.gatehouse.console.FormInput;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The backend config editor's inputs exactly as typed, so a failed save shows them back. Inputs are named
 * after the API's field paths under a prefix ({@code backend.hosts[1].weight}, {@code overrides.prod.retries}),
 * so {@link BackendConfig#validate}'s errors land on the right input; tenant pools are rows
 * ({@code backend.tenants[0].name}, {@code backend.tenants[0].hosts[2].url}) whose API paths
 * ({@code backend.tenant_pools.acme[2].url}) {@link #formFields} maps back.
 */
public record BackendForm(String type, List<HostRow> hosts, String tenantHeader, List<TenantRow> tenants,
                          String tenantFallback, String hashOn, String hashName, String hashReplicas,
                          String connectMs, String readMs, String retries, String passHost, String upstreamHost,
                          boolean healthCheck, String hcPath, String hcInterval, String hcTimeout, String hcHealthy,
                          String hcUnhealthy, boolean stripTenantHeader, boolean keepEncodedSlashes,
                          String panicThreshold, String passiveStatuses, String passiveFailures,
                          String tenantFrom, String apiKeyHeader, String jwtIssuer, String jwtAudience,
                          String jwtTenantClaim, String unknownTenant, boolean stripAuthorization,
                          String slowStartMs) {

    /** One host row; an empty priority is the default tier (0). */
    public record HostRow(String url, String weight, String priority) {

        public HostRow(String url, String weight) {
            this(url, weight, "");
        }
    }

    public record TenantRow(String name, List<HostRow> hosts) {
    }

    /** A new stage: one empty host and the documented defaults. */
    public static BackendForm blank() {
        return of(BackendConfig.initial(List.of(new BackendHost("", 1))));
    }

    public static BackendForm of(BackendConfig config) {
        BackendConfig c = config.normalized();
        List<TenantRow> tenants = new ArrayList<>();
        c.tenantPools().forEach((name, pool) -> tenants.add(new TenantRow(name, rows(pool))));
        // A form shows what a consistent hash or a health check would start from before either is turned on.
        HashSpec h = c.hash() == null ? new HashSpec(HashKey.On.HEADER.wireName(), null, null).withDefaults() : c.hash();
        HealthCheck hc = c.healthCheck() == null ? HealthCheck.DEFAULT : c.healthCheck();
        return new BackendForm(c.type(), rows(c.hosts()), c.tenantHeader(), tenants, c.tenantFallback(),
                h.on(), h.name() == null ? "" : h.name(),
                str(h.replicas()), str(c.timeouts().connectMs()), str(c.timeouts().readMs()),
                str(c.retries()), c.passHost(), c.upstreamHost() == null ? "" : c.upstreamHost(), c.healthCheck() != null,
                hc.path(), str(hc.intervalMs()), str(hc.timeoutMs()), str(hc.healthyThreshold()),
                str(hc.unhealthyThreshold()), c.stripsTenantHeader(),
                c.keepsEncodedSlashes(), str(c.panicPercent()),
                String.join(", ", c.passive().httpStatuses().stream().map(String::valueOf).toList()),
                str(c.passive().consecutiveFailures()),
                c.tenantSource().wireName(), c.apiKeyHeaderName(),
                c.jwt() == null ? "" : c.jwt().issuer(), c.jwt() == null ? "" : c.jwt().audience(),
                c.jwt() == null ? JwtSpec.DEFAULT_TENANT_CLAIM : c.jwt().tenantClaim(),
                c.unknownTenant() == null ? UnknownTenant.DEFAULT.wireName() : c.unknownTenant(),
                c.stripsAuthorization(), str(c.slowStart()));
    }

    /** Reads the editor's inputs under {@code prefix}; rows removed in the browser leave gaps, closed here. */
    public static BackendForm read(FormInput in, String prefix) {
        List<TenantRow> tenants = new ArrayList<>();
        for (int t : in.indexes(prefix + ".tenants")) {
            String at = prefix + ".tenants[" + t + "]";
            tenants.add(new TenantRow(in.raw(at + ".name").trim(), readRows(in, at + ".hosts")));
        }
        String p = prefix + ".";
        return new BackendForm(in.raw(p + "type"), readRows(in, p + "hosts"), in.raw(p + "tenant_header"), tenants,
                in.raw(p + "tenant_fallback"), in.raw(p + "hash.on"), in.raw(p + "hash.name"),
                in.raw(p + "hash.replicas"), in.raw(p + "timeouts.connect_ms"), in.raw(p + "timeouts.read_ms"),
                in.raw(p + "retries"), in.raw(p + "pass_host"), in.raw(p + "upstream_host"),
                in.checked(p + "health_check.enabled"), in.raw(p + "health_check.path"),
                in.raw(p + "health_check.interval_ms"), in.raw(p + "health_check.timeout_ms"),
                in.raw(p + "health_check.healthy_threshold"), in.raw(p + "health_check.unhealthy_threshold"),
                in.checked(p + "strip_tenant_header"), EncodedSlashes.of(in.raw(p + "encoded_slashes")) == EncodedSlashes.KEEP,
                in.raw(p + "panic_threshold"), in.raw(p + "passive_health.http_statuses"),
                in.raw(p + "passive_health.consecutive_failures"),
                in.raw(p + "tenant_from"), in.raw(p + "api_key_header"), in.raw(p + "jwt.issuer").trim(),
                in.raw(p + "jwt.audience").trim(), in.raw(p + "jwt.tenant_claim").trim(), in.raw(p + "unknown_tenant"),
                in.checked(p + "strip_authorization"), in.raw(p + "slow_start_ms"));
    }

    private static List<HostRow> readRows(FormInput in, String list) {
        List<HostRow> rows = new ArrayList<>();
        for (int i : in.indexes(list)) {
            rows.add(new HostRow(in.raw(list + "[" + i + "].url").trim(), in.raw(list + "[" + i + "].weight").trim(),
                    in.raw(list + "[" + i + "].priority").trim()));
        }
        return rows;
    }

    /**
     * The config these inputs describe. Inputs that are not whole numbers, and tenant rows without a name
     * or with a repeated one, are added to {@code v} under this form's input names; every other rule is
     * {@link BackendConfig#validate}'s. Options the chosen type or host mode does not use are dropped, as
     * the editor hides them.
     */
    public BackendConfig toConfig(String prefix, Violations v) {
        String p = prefix + ".";
        Map<String, List<BackendHost>> pools = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (int t = 0; t < tenants.size(); t++) {
            TenantRow row = tenants.get(t);
            String at = p + "tenants[" + t + "]";
            if (row.name().isEmpty()) {
                v.add(at + ".name", "is required");
            } else if (!seen.add(row.name())) {
                v.add(at + ".name", "duplicates another tenant");
            }
            pools.put(row.name().isEmpty() ? "" + t : row.name(), hosts(at + ".hosts", row.hosts(), v));
        }
        HashKey.On on = HashKey.On.find(hashOn);
        HashSpec hash = BalancerType.find(type) != BalancerType.CONSISTENT_HASH ? null : new HashSpec(blankToNull(hashOn),
                on == HashKey.On.HEADER || on == HashKey.On.COOKIE ? blankToNull(hashName) : null,
                integer(v, p + "hash.replicas", hashReplicas));
        HealthCheck hc = !healthCheck ? null : new HealthCheck(blankToNull(hcPath),
                integer(v, p + "health_check.interval_ms", hcInterval),
                integer(v, p + "health_check.timeout_ms", hcTimeout),
                integer(v, p + "health_check.healthy_threshold", hcHealthy),
                integer(v, p + "health_check.unhealthy_threshold", hcUnhealthy));
        return new BackendConfig(blankToNull(type), hosts(p + "hosts", hosts, v), blankToNull(tenantHeader), pools,
                blankToNull(tenantFallback), hash,
                new Timeouts(integer(v, p + "timeouts.connect_ms", connectMs), integer(v, p + "timeouts.read_ms", readMs)),
                integer(v, p + "retries", retries), blankToNull(passHost),
                PassHost.of(passHost) == PassHost.REWRITE ? blankToNull(upstreamHost) : null, hc,
                stripTenantHeader ? Boolean.TRUE : null, keepEncodedSlashes ? EncodedSlashes.KEEP.wireName() : null,
                integer(v, p + "panic_threshold", panicThreshold),
                new PassiveHealth(statuses(v, p + "passive_health.http_statuses", passiveStatuses),
                        integer(v, p + "passive_health.consecutive_failures", passiveFailures)),
                blankToNull(tenantFrom),
                TenantSource.of(tenantFrom) == TenantSource.API_KEY ? blankToNull(apiKeyHeader) : null,
                TenantSource.of(tenantFrom) == TenantSource.JWT ? new JwtSpec(blankToNull(jwtIssuer), blankToNull(jwtAudience),
                        blankToNull(jwtTenantClaim)) : null,
                blankToNull(unknownTenant), stripAuthorization ? Boolean.TRUE : null,
                integer(v, p + "slow_start_ms", slowStartMs));
    }

    /** "502, 503 504" as a list; anything but whole numbers is an error on the input. */
    private static List<Integer> statuses(Violations v, String field, String text) {
        List<Integer> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String part : text.trim().split("[,\\s]+")) {
            try {
                out.add(Integer.valueOf(part));
            } catch (NumberFormatException e) {
                v.add(field, "must be HTTP statuses separated by commas, e.g. 502, 503, 504");
                return List.of();
            }
        }
        return out;
    }

    private static List<BackendHost> hosts(String list, List<HostRow> rows, Violations v) {
        List<BackendHost> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HostRow row = rows.get(i);
            String weightField = list + "[" + i + "].weight";
            Integer weight = row.weight().isEmpty() ? null : integer(v, weightField, row.weight());
            if (row.weight().isEmpty()) {
                v.add(weightField, "is required");
            }
            Integer priority = row.priority().isEmpty() ? null : integer(v, list + "[" + i + "].priority", row.priority());
            out.add(new BackendHost(row.url(), weight, priority));
        }
        return out;
    }

    /**
     * The API's field paths as this form's input names: {@code P.tenant_pools.acme[0].url} becomes
     * {@code P.tenants[i].hosts[0].url} for the row named acme, and a pool-level error goes to its name.
     */
    public List<FieldError> formFields(String prefix, List<FieldError> errors) {
        String pools = prefix + ".tenant_pools.";
        List<Integer> byLongestName = new ArrayList<>();
        for (int t = 0; t < tenants.size(); t++) {
            byLongestName.add(t);
        }
        byLongestName.sort(Comparator.comparingInt((Integer t) -> tenants.get(t).name().length()).reversed());
        List<FieldError> out = new ArrayList<>();
        for (FieldError e : errors) {
            String field = e.field();
            if (field.startsWith(prefix + ".passive_health.http_statuses[")) {
                field = prefix + ".passive_health.http_statuses"; // one input holds the whole list
            } else if (field.startsWith(pools)) {
                String rest = field.substring(pools.length());
                for (int t : byLongestName) {
                    String name = tenants.get(t).name();
                    if (rest.equals(name)) {
                        field = prefix + ".tenants[" + t + "].name";
                        break;
                    }
                    if (rest.startsWith(name + "[")) {
                        field = prefix + ".tenants[" + t + "].hosts" + rest.substring(name.length());
                        break;
                    }
                }
            }
            out.add(new FieldError(field, e.message()));
        }
        return out;
    }

    private static Integer integer(Violations v, String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            v.add(field, "must be a whole number");
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String str(Integer i) {
        return i == null ? "" : i.toString();
    }

    private static List<HostRow> rows(List<BackendHost> pool) {
        return pool.stream().map(h -> new HostRow(h.url(), str(h.weight()), str(h.priorityOrDefault()))).toList();
    }
}
