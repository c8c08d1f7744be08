package io.gatehouse.stage;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.common.Violations;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Where and how a stage (or a resource's override) sends traffic: balancing type, hosts, tenant pools,
 * timeouts, retries, host header, health check, passive health and panic threshold. The JSON body of the admin API and the stored
 * form are this record; {@link #validate} is the one place its rules live, {@link #normalized} fills
 * the documented defaults. Omitted fields take the defaults of the design; an omitted
 * {@code health_check} means no active probes (passive marks still apply), as in APISIX.
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

    public static final List<String> TYPES = List.of("round_robin", "weighted_round_robin", "least_conn",
            "consistent_hash", "least_response_time", "random");
    public static final List<String> TENANT_FALLBACKS = List.of("fail", "default");
    public static final List<String> PASS_HOSTS = List.of("pass", "node", "rewrite");
    public static final List<String> HASH_ON = List.of("header", "cookie", "path", "ip");
    /** {@code reject} (the default) or {@code keep}; see {@link #keepsEncodedSlashes}. */
    public static final List<String> ENCODED_SLASHES = List.of("reject", "keep");
    /** Where a request's tenant comes from: a header any client can set, an API key, or a verified JWT claim. */
    public static final List<String> TENANT_FROM = List.of("header", "api_key", "jwt");
    /** What a request without a (valid) tenant gets: the default hosts, or 401. */
    public static final List<String> UNKNOWN_TENANT = List.of("default", "reject");
    public static final String DEFAULT_TENANT_FROM = "header";
    public static final String DEFAULT_API_KEY_HEADER = "X-Api-Key";
    public static final String DEFAULT_UNKNOWN_TENANT = "default";
    public static final String DEFAULT_TENANT_CLAIM = "tenant";
    public static final int MAX_HOSTS = 1000;
    public static final int MAX_TENANT_POOLS = 1000;
    public static final int MIN_WEIGHT = 1;
    public static final int MAX_WEIGHT = 10000;
    public static final int MAX_RETRIES = 10;
    public static final int MAX_CONNECT_MS = 60_000;
    public static final int MAX_READ_MS = 3_600_000;
    public static final int MAX_REPLICAS = 1000;
    public static final int MIN_INTERVAL_MS = 100;
    public static final int MAX_INTERVAL_MS = 3_600_000;
    public static final int MAX_THRESHOLD = 100;
    /** Percent of healthy weight below which a pool spreads over all its hosts; Envoy's default too. */
    public static final int DEFAULT_PANIC_THRESHOLD = 50;
    /** Consecutive failed attempts that take a host out passively (nginx's max_fails is 1, Envoy's consecutive_5xx 5). */
    public static final int DEFAULT_PASSIVE_FAILURES = 3;
    /** Consecutive good answers that bring a passively downed host back early (it gets traffic only in panic). */
    public static final int DEFAULT_PASSIVE_SUCCESSES = 2;

    /** Slow start off: a host that becomes usable gets its full weight at once. */
    public static final int DEFAULT_SLOW_START_MS = 0;
    /** Ten minutes: longer than any warm-up Envoy or nginx users configure (both cap nothing; we do). */
    public static final int MAX_SLOW_START_MS = 600_000;
    /** Failover priority of a host without one: the default tier. */
    public static final int DEFAULT_PRIORITY = 0;
    public static final int MIN_PRIORITY = io.gatehouse.balance.Host.MIN_PRIORITY;
    public static final int MAX_PRIORITY = io.gatehouse.balance.Host.MAX_PRIORITY;

    /** An HTTP header or cookie name: an RFC 9110 token. */
    static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$");

    /**
     * One host: URL, weight, and failover {@code priority} (higher first; only written out when not the
     * default 0, so configs stored before tiers existed compare equal to new ones).
     */
    public record BackendHost(String url, Integer weight,
                              @JsonInclude(JsonInclude.Include.NON_NULL) Integer priority) {

        public BackendHost(String url, Integer weight) {
            this(url, weight, null);
        }

        /** The priority with the default filled in. */
        public int priorityOrDefault() {
            return priority == null ? DEFAULT_PRIORITY : priority;
        }
    }

    public record HashSpec(String on, String name, Integer replicas) {
    }

    public record Timeouts(Integer connectMs, Integer readMs) {
    }

    /**
     * How a bearer JWT is verified under {@code tenant_from: jwt}: signed by a key of {@code issuer}'s JWKS
     * (found through its {@code /.well-known/openid-configuration}), {@code iss} equal to {@code issuer},
     * {@code aud} containing {@code audience}, and the tenant in claim {@code tenant_claim}.
     */
    public record JwtSpec(String issuer, String audience, String tenantClaim) {
    }

    public record HealthCheck(String path, Integer intervalMs, Integer timeoutMs, Integer healthyThreshold,
                              Integer unhealthyThreshold) {
    }

    /**
     * Passive health: which of a host's own answers count as failures ({@code http_statuses}, none by
     * default, as nginx's {@code proxy_next_upstream} and Envoy's outlier detection without
     * {@code consecutive_5xx}) and how many failed attempts in a row take it out. Connect failures,
     * TLS failures, connections closed before an answer and read timeouts always count. The same
     * statuses are the ones a retry may re-send on.
     */
    public record PassiveHealth(List<Integer> httpStatuses, Integer consecutiveFailures) {
    }

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
                null, null, null, null, null)
                .normalized();
    }

    /**
     * Whether {@code value} is a tenant name, {@code [A-Za-z0-9._-]{1,64}}. The proxy asks this of every
     * tenant header value, so a value with odd characters is no tenant at all rather than a lookup key;
     * hence a loop and no regex.
     */
    public static boolean isTenantName(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
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
     * Whether a request path whose segments hold an encoded slash or backslash ({@code %2F}, {@code %5C}) is
     * forwarded as sent ({@code encoded_slashes: keep}) rather than refused with 400 ({@code reject}, the
     * default, as Envoy recommends with {@code path_with_escaped_slashes_action: REJECT_REQUEST} and Tomcat does
     * with {@code encodedSolidusHandling}). Kept ones are never decoded into separators; dot segments between
     * them are refused either way. Only {@code keep} is written out, so configs stored before the option
     * existed compare equal to new ones.
     */
    public boolean keepsEncodedSlashes() {
        return "keep".equals(encodedSlashes);
    }

    /**
     * Where the tenant comes from ({@code tenant_from}): {@code header} (the default, and all there was before
     * the option: a routing hint any client can set), {@code api_key} or {@code jwt} (verified). Only a
     * non-default value is written out, so configs stored before the option existed compare equal to new ones;
     * the same holds for {@code api_key_header}, {@code unknown_tenant} and {@code strip_authorization}.
     */
    public String tenantSource() {
        return tenantFrom == null ? DEFAULT_TENANT_FROM : tenantFrom;
    }

    /** The header that carries an API key under {@code tenant_from: api_key}. */
    public String apiKeyHeaderName() {
        return apiKeyHeader == null ? DEFAULT_API_KEY_HEADER : apiKeyHeader;
    }

    /** Whether a request without a valid tenant is refused (401) rather than sent to the default hosts. */
    public boolean rejectsUnknownTenant() {
        return "reject".equals(unknownTenant);
    }

    /** Whether the proxy removes {@code Authorization} before forwarding (kept by default). */
    public boolean stripsAuthorization() {
        return Boolean.TRUE.equals(stripAuthorization);
    }

    /** Checks every rule and adds each broken one under {@code prefix} (e.g. {@code backend}). */
    public void validate(String prefix, Violations v) {
        String t = type == null ? "weighted_round_robin" : type;
        if (!TYPES.contains(t)) {
            v.add(Violations.join(prefix, "type"), "must be one of " + String.join(", ", TYPES));
        }
        validatePool(Violations.join(prefix, "hosts"), hosts, v);
        if (tenantHeader != null && !TOKEN.matcher(tenantHeader).matches()) {
            v.add(Violations.join(prefix, "tenant_header"), "must be a valid HTTP header name");
        }
        if (tenantPools != null) {
            if (tenantPools.size() > MAX_TENANT_POOLS) {
                v.add(Violations.join(prefix, "tenant_pools"), "must have at most " + MAX_TENANT_POOLS + " tenants");
            }
            for (Map.Entry<String, List<BackendHost>> pool : new TreeMap<>(tenantPools).entrySet()) {
                String field = Violations.join(prefix, "tenant_pools." + pool.getKey());
                if (!isTenantName(pool.getKey())) {
                    v.add(field, io.gatehouse.common.NameRules.TENANT);
                }
                validatePool(field, pool.getValue(), v);
            }
        }
        if (tenantFallback != null && !TENANT_FALLBACKS.contains(tenantFallback)) {
            v.add(Violations.join(prefix, "tenant_fallback"), "must be one of fail, default");
        }
        validateHash(prefix, t, v);
        if (timeouts != null) {
            range(v, Violations.join(prefix, "timeouts.connect_ms"), timeouts.connectMs(), 1, MAX_CONNECT_MS);
            range(v, Violations.join(prefix, "timeouts.read_ms"), timeouts.readMs(), 1, MAX_READ_MS);
        }
        range(v, Violations.join(prefix, "retries"), retries, 0, MAX_RETRIES);
        if (encodedSlashes != null && !ENCODED_SLASHES.contains(encodedSlashes)) {
            v.add(Violations.join(prefix, "encoded_slashes"), "must be one of reject, keep");
        }
        validatePassHost(prefix, v);
        validateHealthCheck(prefix, v);
        range(v, Violations.join(prefix, "panic_threshold"), panicThreshold, 0, 100);
        range(v, Violations.join(prefix, "slow_start_ms"), slowStartMs, 0, MAX_SLOW_START_MS);
        validatePassiveHealth(prefix, v);
        validateTenantSource(prefix, v);
    }

    private void validatePassiveHealth(String prefix, Violations v) {
        if (passiveHealth == null) {
            return;
        }
        String field = Violations.join(prefix, "passive_health");
        List<Integer> statuses = passiveHealth.httpStatuses();
        if (statuses != null) {
            if (statuses.size() > 100) {
                v.add(field + ".http_statuses", "must list at most 100 statuses");
            }
            for (int i = 0; i < statuses.size(); i++) {
                Integer status = statuses.get(i);
                if (status == null || status < 500 || status > 599) {
                    // 4xx is the client's doing, never the host's; a 2xx/3xx cannot be a failure.
                    v.add(field + ".http_statuses[" + i + "]", "must be an HTTP status from 500 to 599");
                }
            }
        }
        range(v, field + ".consecutive_failures", passiveHealth.consecutiveFailures(), 1, MAX_THRESHOLD);
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
        PassiveHealth p = passiveHealth;
        List<Integer> statuses = p == null || p.httpStatuses() == null ? List.of()
                : p.httpStatuses().stream().filter(java.util.Objects::nonNull).distinct().sorted().toList();
        int failures = p == null || p.consecutiveFailures() == null ? DEFAULT_PASSIVE_FAILURES : p.consecutiveFailures();
        return new PassiveHealth(statuses, failures);
    }

    private void validateTenantSource(String prefix, Violations v) {
        String from = tenantSource();
        if (!TENANT_FROM.contains(from)) {
            v.add(Violations.join(prefix, "tenant_from"), "must be one of header, api_key, jwt");
        }
        if (unknownTenant != null && !UNKNOWN_TENANT.contains(unknownTenant)) {
            v.add(Violations.join(prefix, "unknown_tenant"), "must be one of default, reject");
        }
        String keyField = Violations.join(prefix, "api_key_header");
        if (apiKeyHeader != null) {
            if (!from.equals("api_key")) {
                v.add(keyField, "is only allowed when tenant_from is api_key");
            } else if (!TOKEN.matcher(apiKeyHeader).matches()) {
                v.add(keyField, "must be a valid HTTP header name");
            } else if (apiKeyHeader.equalsIgnoreCase(tenantHeader == null ? "X-Tenant-Id" : tenantHeader)) {
                v.add(keyField, "must differ from tenant_header, which carries the verified tenant to the backend");
            }
        }
        String jwtField = Violations.join(prefix, "jwt");
        if (!from.equals("jwt")) {
            if (jwt != null) {
                v.add(jwtField, "is only allowed when tenant_from is jwt");
            }
            return;
        }
        if (jwt == null) {
            v.add(jwtField, "is required when tenant_from is jwt (issuer, audience, tenant_claim)");
            return;
        }
        String issuerProblem = issuerProblem(jwt.issuer());
        if (issuerProblem != null) {
            v.add(jwtField + ".issuer", issuerProblem);
        }
        if (jwt.audience() == null || jwt.audience().isBlank() || jwt.audience().length() > 256) {
            v.add(jwtField + ".audience", "is required (the aud a token must carry), at most 256 characters");
        }
        if (jwt.tenantClaim() != null && !jwt.tenantClaim().matches("[A-Za-z0-9_.:-]{1,128}")) {
            v.add(jwtField + ".tenant_claim", "must be a claim name: 1 to 128 letters, digits and . _ : -");
        }
    }

    /** An OpenID issuer: an absolute http(s) URL without query, fragment or user info (OpenID Discovery §3). */
    private static String issuerProblem(String issuer) {
        if (issuer == null || issuer.isBlank()) {
            return "is required (the iss of the tokens, e.g. https://login.example.com/realms/acme)";
        }
        try {
            java.net.URI uri = new java.net.URI(issuer);
            boolean http = "https".equals(uri.getScheme()) || "http".equals(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null || issuer.length() > 1024) {
                return "must be an http(s) URL without query, fragment or user info";
            }
            return null;
        } catch (java.net.URISyntaxException e) {
            return "must be an http(s) URL without query, fragment or user info";
        }
    }

    private static void validatePool(String field, List<BackendHost> pool, Violations v) {
        if (pool == null || pool.isEmpty()) {
            v.add(field, "must have at least one host");
            return;
        }
        if (pool.size() > MAX_HOSTS) {
            v.add(field, "must have at most " + MAX_HOSTS + " hosts");
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < pool.size(); i++) {
            BackendHost host = pool.get(i);
            String at = field + "[" + i + "]";
            if (host == null) {
                v.add(at, "must be an object with url and weight");
                continue;
            }
            String problem = HostUrl.problem(host.url());
            if (problem != null) {
                v.add(at + ".url", problem);
            } else if (!seen.add(HostUrl.parse(host.url()).canonical())) {
                v.add(at + ".url", "duplicates another host of the same pool");
            }
            range(v, at + ".weight", host.weight(), MIN_WEIGHT, MAX_WEIGHT);
            range(v, at + ".priority", host.priority(), MIN_PRIORITY, MAX_PRIORITY);
        }
    }

    private void validateHash(String prefix, String t, Violations v) {
        String field = Violations.join(prefix, "hash");
        if (!t.equals("consistent_hash")) {
            if (hash != null) {
                v.add(field, "is only allowed when type is consistent_hash");
            }
            return;
        }
        if (hash == null) {
            v.add(field, "is required when type is consistent_hash");
            return;
        }
        if (hash.on() == null || !HASH_ON.contains(hash.on())) {
            v.add(field + ".on", "must be one of header, cookie, path, ip");
        } else if (hash.on().equals("header") || hash.on().equals("cookie")) {
            if (hash.name() == null || !TOKEN.matcher(hash.name()).matches()) {
                v.add(field + ".name", "is required for hash on " + hash.on() + " and must be a valid "
                        + hash.on() + " name");
            }
        } else if (hash.name() != null) {
            v.add(field + ".name", "is only allowed for hash on header or cookie");
        }
        range(v, field + ".replicas", hash.replicas(), 1, MAX_REPLICAS);
    }

    private void validatePassHost(String prefix, Violations v) {
        String mode = passHost == null ? "pass" : passHost;
        if (!PASS_HOSTS.contains(mode)) {
            v.add(Violations.join(prefix, "pass_host"), "must be one of pass, node, rewrite");
            return;
        }
        String field = Violations.join(prefix, "upstream_host");
        if (mode.equals("rewrite")) {
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

    private void validateHealthCheck(String prefix, Violations v) {
        if (healthCheck == null) {
            return;
        }
        String field = Violations.join(prefix, "health_check");
        String path = healthCheck.path();
        if (path != null && (!path.startsWith("/") || path.length() > 1024 || !path.matches("[\\x21-\\x7e]+"))) {
            v.add(field + ".path", "must start with / and contain no spaces (at most 1024 characters)");
        }
        range(v, field + ".interval_ms", healthCheck.intervalMs(), MIN_INTERVAL_MS, MAX_INTERVAL_MS);
        range(v, field + ".timeout_ms", healthCheck.timeoutMs(), 1, MAX_CONNECT_MS);
        range(v, field + ".healthy_threshold", healthCheck.healthyThreshold(), 1, MAX_THRESHOLD);
        range(v, field + ".unhealthy_threshold", healthCheck.unhealthyThreshold(), 1, MAX_THRESHOLD);
        HealthCheck n = normalizedHealthCheck();
        if (n.timeoutMs() != null && n.intervalMs() != null && n.timeoutMs() > n.intervalMs()) {
            v.add(field + ".timeout_ms", "must not be longer than interval_ms");
        }
    }

    private static void range(Violations v, String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            v.add(field, "must be an integer from " + min + " to " + max);
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
            tenantPools.forEach((tenant, pool) -> pools.put(tenant, normalizedPool(pool)));
        }
        String t = type == null ? "weighted_round_robin" : type;
        HashSpec h = hash == null ? null
                : new HashSpec(hash.on(), hash.name(), hash.replicas() == null ? 150 : hash.replicas());
        Timeouts to = new Timeouts(
                timeouts == null || timeouts.connectMs() == null ? 2000 : timeouts.connectMs(),
                timeouts == null || timeouts.readMs() == null ? 30000 : timeouts.readMs());
        return new BackendConfig(t, normalizedPool(hosts), tenantHeader == null ? "X-Tenant-Id" : tenantHeader,
                pools, tenantFallback == null ? "fail" : tenantFallback, h, to, retries == null ? 1 : retries,
                passHost == null ? "pass" : passHost, upstreamHost, normalizedHealthCheck(),
                stripsTenantHeader() ? Boolean.TRUE : null, keepsEncodedSlashes() ? "keep" : null,
                panicPercent() == DEFAULT_PANIC_THRESHOLD ? null : panicThreshold,
                passive().equals(new PassiveHealth(List.of(), DEFAULT_PASSIVE_FAILURES)) ? null : passive(),
                DEFAULT_TENANT_FROM.equals(tenantFrom) ? null : tenantFrom,
                DEFAULT_API_KEY_HEADER.equals(apiKeyHeader) ? null : apiKeyHeader,
                jwt == null ? null : new JwtSpec(jwt.issuer(), jwt.audience(),
                        jwt.tenantClaim() == null ? DEFAULT_TENANT_CLAIM : jwt.tenantClaim()),
                DEFAULT_UNKNOWN_TENANT.equals(unknownTenant) ? null : unknownTenant,
                stripsAuthorization() ? Boolean.TRUE : null,
                slowStart() == DEFAULT_SLOW_START_MS ? null : slowStartMs);
    }

    private HealthCheck normalizedHealthCheck() {
        if (healthCheck == null) {
            return null;
        }
        HealthCheck c = healthCheck;
        return new HealthCheck(c.path() == null ? "/health" : c.path(),
                c.intervalMs() == null ? 2000 : c.intervalMs(), c.timeoutMs() == null ? 1000 : c.timeoutMs(),
                c.healthyThreshold() == null ? 2 : c.healthyThreshold(),
                c.unhealthyThreshold() == null ? 3 : c.unhealthyThreshold());
    }

    private static List<BackendHost> normalizedPool(List<BackendHost> pool) {
        if (pool == null) {
            return List.of();
        }
        List<BackendHost> out = new ArrayList<>(pool.size());
        for (BackendHost host : pool) {
            out.add(new BackendHost(host.url(), host.weight() == null ? 1 : host.weight(),
                    host.priorityOrDefault() == DEFAULT_PRIORITY ? null : host.priority()));
        }
        return List.copyOf(out);
    }
}
