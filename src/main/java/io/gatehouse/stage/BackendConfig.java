package io.gatehouse.stage;

import io.gatehouse.common.HostUrl;
import io.gatehouse.common.JwtSpec;
import io.gatehouse.common.PassHost;
import io.gatehouse.common.TenantSource;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.common.NameRules;
import io.gatehouse.common.Violations;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where and how a stage (or a resource's override) sends traffic: balancing type, hosts, tenant pools,
 * timeouts, retries, host header, health check, passive health and panic threshold. The JSON body of the admin
 * API and the stored form are this record, its options as their wire names; each option's enum owns those
 * names, and each part ({@link BackendHost}, {@link HashSpec}, {@link Timeouts}, {@link HealthCheck},
 * {@link PassiveHealth}, {@link JwtSpec}) owns its defaults and checks itself. {@link #validate} collects every
 * broken rule, {@link #normalized} fills the documented defaults. An omitted {@code health_check} means no
 * active probes (passive marks still apply), as in APISIX.
 */
public record BackendConfig(
        String type,
        List<BackendHost> hosts,
        String tenantHeader,
        Map<String, List<BackendHost>> tenantPools,
        String tenantFallback,
        HashSpec hash,
        Timeouts timeouts,
        Integer retries,
        String passHost,
        String upstreamHost,
        HealthCheck healthCheck,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean stripTenantHeader,
        @JsonInclude(JsonInclude.Include.NON_NULL) String encodedSlashes,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer panicThreshold,
        @JsonInclude(JsonInclude.Include.NON_NULL) PassiveHealth passiveHealth,
        @JsonInclude(JsonInclude.Include.NON_NULL) String tenantFrom,
        @JsonInclude(JsonInclude.Include.NON_NULL) String apiKeyHeader,
        @JsonInclude(JsonInclude.Include.NON_NULL) JwtSpec jwt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String unknownTenant,
        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean stripAuthorization,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer slowStartMs) {

    public static final String DEFAULT_TENANT_HEADER = "X-Tenant-Id";
    public static final String DEFAULT_API_KEY_HEADER = "X-Api-Key";
    public static final int MAX_TENANT_POOLS = 1000;
    public static final int DEFAULT_RETRIES = 1;
    public static final int MAX_RETRIES = 10;
    /** Percent of healthy weight below which a pool spreads over all its hosts; Envoy's default too. */
    public static final int DEFAULT_PANIC_THRESHOLD = 50;
    /** Slow start off: a host that becomes usable gets its full weight at once. */
    public static final int DEFAULT_SLOW_START_MS = 0;
    /** Ten minutes: longer than any warm-up Envoy or nginx users configure (both cap nothing; we do). */
    public static final int MAX_SLOW_START_MS = 600_000;

    /** An HTTP header or cookie name: an RFC 9110 token. */
    static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$");

    /** Without {@code slow_start_ms} (off), for callers that predate it. */
    public BackendConfig(String type, List<BackendHost> hosts, String tenantHeader,
                         Map<String, List<BackendHost>> tenantPools, String tenantFallback, HashSpec hash,
                         Timeouts timeouts, Integer retries, String passHost, String upstreamHost,
                         HealthCheck healthCheck, Boolean stripTenantHeader, String encodedSlashes,
                         Integer panicThreshold, PassiveHealth passiveHealth, String tenantFrom,
                         String apiKeyHeader, JwtSpec jwt, String unknownTenant, Boolean stripAuthorization) {
        this(type, hosts, tenantHeader, tenantPools, tenantFallback, hash, timeouts, retries, passHost,
                upstreamHost, healthCheck, stripTenantHeader, encodedSlashes, panicThreshold, passiveHealth, tenantFrom,
                apiKeyHeader, jwt, unknownTenant, stripAuthorization, null);
    }

    /** A stage's config before anyone edited it: one placeholder host, so publishing is explicit. */
    public static BackendConfig initial(List<BackendHost> hosts) {
        return new BackendConfig(null, hosts, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null).normalized();
    }

    /** The balancing type ({@link BalancerType#DEFAULT} when omitted), or null when {@code type} names none. */
    public BalancerType balancerType() {
        return type == null ? BalancerType.DEFAULT : BalancerType.find(type);
    }

    /**
     * Whether the proxy removes the tenant header before forwarding, so backends cannot read (or trust) it.
     * Off by default; only {@code true} is written out, so configs stored before the option existed compare
     * equal to new ones.
     */
    public boolean stripsTenantHeader() {
        return Boolean.TRUE.equals(stripTenantHeader);
    }

    /**
     * Whether a request path whose segments hold an encoded slash or backslash is forwarded as sent (see
     * {@link EncodedSlashes}). Kept ones are never decoded into separators; dot segments between them are
     * refused either way. Only {@code keep} is written out, so configs stored before the option existed compare
     * equal to new ones.
     */
    public boolean keepsEncodedSlashes() {
        return EncodedSlashes.of(encodedSlashes) == EncodedSlashes.KEEP;
    }

    /**
     * Where the tenant comes from ({@code tenant_from}; {@link TenantSource#DEFAULT}, {@code header}, is all there
     * was before the option), or null when it names none. Only a non-default value is written out, so configs
     * stored before the option existed compare equal to new ones; the same holds for {@code api_key_header},
     * {@code unknown_tenant} and {@code strip_authorization}.
     */
    public TenantSource tenantSource() {
        return TenantSource.of(tenantFrom);
    }

    /** The header that carries an API key under {@code tenant_from: api_key}. */
    public String apiKeyHeaderName() {
        return apiKeyHeader == null ? DEFAULT_API_KEY_HEADER : apiKeyHeader;
    }

    /** Whether a request without a valid tenant is refused (401) rather than sent to the default hosts. */
    public boolean rejectsUnknownTenant() {
        return UnknownTenant.of(unknownTenant) == UnknownTenant.REJECT;
    }

    /** Whether the proxy removes {@code Authorization} before forwarding (kept by default). */
    public boolean stripsAuthorization() {
        return Boolean.TRUE.equals(stripAuthorization);
    }

    /** How long a host that became usable ramps its weight from 10 % to 100 %, in ms (0: off). */
    public int slowStart() {
        return slowStartMs == null ? DEFAULT_SLOW_START_MS : slowStartMs;
    }

    /** The panic threshold in percent (0 turns panic off). */
    public int panicPercent() {
        return panicThreshold == null ? DEFAULT_PANIC_THRESHOLD : panicThreshold;
    }

    /** The passive health settings with defaults filled in: statuses sorted and distinct, never null. */
    public PassiveHealth passive() {
        return PassiveHealth.withDefaults(passiveHealth);
    }

    /** Checks every rule and adds each broken one under {@code prefix} (e.g. {@code backend}). */
    public void validate(String prefix, Violations v) {
        BalancerType t = balancerType();
        if (t == null) {
            v.add(Violations.join(prefix, "type"), "must be one of " + String.join(", ", BalancerType.wireNames()));
        }
        BackendHost.validatePool(Violations.join(prefix, "hosts"), hosts, v);
        if (tenantHeader != null && !TOKEN.matcher(tenantHeader).matches()) {
            v.add(Violations.join(prefix, "tenant_header"), "must be a valid HTTP header name");
        }
        if (tenantPools != null) {
            if (tenantPools.size() > MAX_TENANT_POOLS) {
                v.add(Violations.join(prefix, "tenant_pools"), "must have at most " + MAX_TENANT_POOLS + " tenants");
            }
            for (Map.Entry<String, List<BackendHost>> pool : new TreeMap<>(tenantPools).entrySet()) {
                String field = Violations.join(prefix, "tenant_pools." + pool.getKey());
                if (!NameRules.isTenantName(pool.getKey())) {
                    v.add(field, NameRules.TENANT);
                }
                BackendHost.validatePool(field, pool.getValue(), v);
            }
        }
        oneOf(v, prefix, "tenant_fallback", tenantFallback == null || TenantFallback.find(tenantFallback) != null,
                TenantFallback.wireNames());
        validateHash(prefix, t, v);
        if (timeouts != null) {
            timeouts.validate(Violations.join(prefix, "timeouts"), v);
        }
        v.range(Violations.join(prefix, "retries"), retries, 0, MAX_RETRIES);
        oneOf(v, prefix, "encoded_slashes", EncodedSlashes.of(encodedSlashes) != null, EncodedSlashes.wireNames());
        validatePassHost(prefix, v);
        if (healthCheck != null) {
            healthCheck.validate(Violations.join(prefix, "health_check"), v);
        }
        v.range(Violations.join(prefix, "panic_threshold"), panicThreshold, 0, 100);
        v.range(Violations.join(prefix, "slow_start_ms"), slowStartMs, 0, MAX_SLOW_START_MS);
        if (passiveHealth != null) {
            passiveHealth.validate(Violations.join(prefix, "passive_health"), v);
        }
        validateTenantSource(prefix, v);
    }

    private static void oneOf(Violations v, String prefix, String field, boolean ok, List<String> values) {
        if (!ok) {
            v.add(Violations.join(prefix, field), "must be one of " + String.join(", ", values));
        }
    }

    private void validateTenantSource(String prefix, Violations v) {
        TenantSource from = tenantSource();
        oneOf(v, prefix, "tenant_from", from != null, TenantSource.wireNames());
        oneOf(v, prefix, "unknown_tenant", UnknownTenant.of(unknownTenant) != null, UnknownTenant.wireNames());
        String keyField = Violations.join(prefix, "api_key_header");
        if (apiKeyHeader != null) {
            if (from != TenantSource.API_KEY) {
                v.add(keyField, "is only allowed when tenant_from is api_key");
            } else if (!TOKEN.matcher(apiKeyHeader).matches()) {
                v.add(keyField, "must be a valid HTTP header name");
            } else if (apiKeyHeader.equalsIgnoreCase(tenantHeader == null ? DEFAULT_TENANT_HEADER : tenantHeader)) {
                v.add(keyField, "must differ from tenant_header, which carries the verified tenant to the backend");
            }
        }
        String jwtField = Violations.join(prefix, "jwt");
        if (from != TenantSource.JWT) {
            if (jwt != null) {
                v.add(jwtField, "is only allowed when tenant_from is jwt");
            }
        } else if (jwt == null) {
            v.add(jwtField, "is required when tenant_from is jwt (issuer, audience, tenant_claim)");
        } else {
            jwt.validate(jwtField, v);
        }
    }

    private void validateHash(String prefix, BalancerType t, Violations v) {
        String field = Violations.join(prefix, "hash");
        if (t != BalancerType.CONSISTENT_HASH) {
            if (hash != null) {
                v.add(field, "is only allowed when type is " + BalancerType.CONSISTENT_HASH.wireName());
            }
        } else if (hash == null) {
            v.add(field, "is required when type is " + BalancerType.CONSISTENT_HASH.wireName());
        } else {
            hash.validate(field, v);
        }
    }

    private void validatePassHost(String prefix, Violations v) {
        PassHost mode = PassHost.of(passHost);
        if (mode == null) {
            oneOf(v, prefix, "pass_host", false, PassHost.wireNames());
            return;
        }
        String field = Violations.join(prefix, "upstream_host");
        if (mode == PassHost.REWRITE) {
            if (upstreamHost == null || upstreamHost.isBlank()) {
                v.add(field, "is required when pass_host is rewrite");
            } else {
                String problem = HostUrl.problem("http://" + upstreamHost);
                if (problem != null) {
                    v.add(field, "must be host[:port]: " + problem);
                }
            }
        } else if (upstreamHost != null) {
            v.add(field, "is only allowed when pass_host is rewrite");
        }
    }

    /**
     * The same config with every omitted field set to its default; tenant pools sorted by name. An unset or
     * false {@code strip_tenant_header} and an unset or {@code reject} {@code encoded_slashes} become null
     * (see {@link #stripsTenantHeader}, {@link #keepsEncodedSlashes}), and so do a default
     * {@code panic_threshold}, {@code passive_health}, {@code slow_start_ms} and a host's {@code priority}
     * (see {@link #panicPercent}, {@link #passive}, {@link #slowStart}):
     * configs stored before these options existed compare equal to new ones and are written out unchanged.
     */
    public BackendConfig normalized() {
        Map<String, List<BackendHost>> pools = new TreeMap<>();
        if (tenantPools != null) {
            tenantPools.forEach((tenant, pool) -> pools.put(tenant, BackendHost.withDefaults(pool)));
        }
        return new BackendConfig(type == null ? BalancerType.DEFAULT.wireName() : type, BackendHost.withDefaults(hosts),
                tenantHeader == null ? DEFAULT_TENANT_HEADER : tenantHeader, pools,
                tenantFallback == null ? TenantFallback.FAIL.wireName() : tenantFallback,
                hash == null ? null : hash.withDefaults(), Timeouts.withDefaults(timeouts),
                retries == null ? DEFAULT_RETRIES : retries,
                passHost == null ? PassHost.DEFAULT.wireName() : passHost, upstreamHost,
                healthCheck == null ? null : healthCheck.withDefaults(),
                stripsTenantHeader() ? Boolean.TRUE : null, keepsEncodedSlashes() ? EncodedSlashes.KEEP.wireName() : null,
                panicPercent() == DEFAULT_PANIC_THRESHOLD ? null : panicThreshold,
                passive().equals(PassiveHealth.DEFAULT) ? null : passive(),
                TenantSource.DEFAULT.wireName().equals(tenantFrom) ? null : tenantFrom,
                DEFAULT_API_KEY_HEADER.equals(apiKeyHeader) ? null : apiKeyHeader,
                jwt == null ? null : jwt.withDefaults(),
                UnknownTenant.DEFAULT.wireName().equals(unknownTenant) ? null : unknownTenant,
                stripsAuthorization() ? Boolean.TRUE : null,
                slowStart() == DEFAULT_SLOW_START_MS ? null : slowStartMs);
    }
}
