package io.gatehouse.resource;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.gatehouse.common.NameRules;
import io.gatehouse.common.Violations;
import io.gatehouse.stage.BackendConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An API operation: method (or ANY) + path template, exact or prefix match, the backend path it maps
 * to, and per stage an optional override of the stage's backend config. The admin API body, the
 * stored form and the input of the proxy's compiler.
 */
public record ResourceSpec(String method, String path, String match, String backendPath, String description,
                           Map<String, BackendConfig> overrides,
                           @JsonInclude(JsonInclude.Include.NON_NULL) TenantRule tenants) {

    /**
     * Which tenants may call this resource (APISIX consumer-restriction, Kong ACL): {@code required} means a
     * request without a tenant gets 401; a non-empty {@code allowed} admits only those tenants (others get 403,
     * none gets 401). The tenant is whatever the stage's {@code tenant_from} says: a verified API key or JWT
     * claim, or under {@code header} only a hint any client can set.
     */
    public record TenantRule(Boolean required, List<String> allowed) {
        public boolean requiresTenant() {
            return Boolean.TRUE.equals(required) || (allowed != null && !allowed.isEmpty());
        }
    }

    public ResourceSpec(String method, String path, String match, String backendPath, String description,
                        Map<String, BackendConfig> overrides) {
        this(method, path, match, backendPath, description, overrides, null);
    }

    public static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY");
    public static final List<String> MATCHES = List.of("exact", "prefix");
    public static final int MAX_DESCRIPTION = 1000;

    /** Checks every rule; {@code stages} are the gateway's stage names, which overrides must name. */
    public void validate(Set<String> stages, Violations v) {
        if (method == null || !METHODS.contains(method)) {
            v.add("method", "must be one of " + String.join(", ", METHODS));
        }
        String pathProblem = PathTemplate.problem(path);
        if (pathProblem != null) {
            v.add("path", pathProblem);
        }
        if (match != null && !MATCHES.contains(match)) {
            v.add("match", "must be one of exact, prefix");
        }
        if (backendPath != null) {
            String problem = PathTemplate.problem(backendPath);
            if (problem != null) {
                v.add("backend_path", problem);
            } else if (pathProblem == null) {
                Set<String> known = new HashSet<>(PathTemplate.parse(path).paramNames());
                for (String name : PathTemplate.parse(backendPath).paramNames()) {
                    if (!known.contains(name)) {
                        v.add("backend_path", "uses {" + name + "}, which the path does not define");
                    }
                }
            }
        }
        if (description != null && description.length() > MAX_DESCRIPTION) {
            v.add("description", "must be at most " + MAX_DESCRIPTION + " characters");
        }
        if (tenants != null && tenants.allowed() != null) {
            if (tenants.allowed().size() > BackendConfig.MAX_TENANT_POOLS) {
                v.add("tenants.allowed", "must have at most " + BackendConfig.MAX_TENANT_POOLS + " tenants");
            }
            for (int i = 0; i < tenants.allowed().size(); i++) {
                if (!NameRules.isTenantName(tenants.allowed().get(i))) {
                    v.add("tenants.allowed[" + i + "]", io.gatehouse.common.NameRules.TENANT);
                }
            }
        }
        if (overrides != null) {
            for (Map.Entry<String, BackendConfig> e : new TreeMap<>(overrides).entrySet()) {
                String field = "overrides." + e.getKey();
                if (!stages.contains(e.getKey())) {
                    v.add(field, "no stage named '" + e.getKey() + "' in this gateway");
                } else if (e.getValue() == null) {
                    v.add(field, "must be a backend config object");
                } else {
                    e.getValue().validate(field, v);
                }
            }
        }
    }

    /**
     * Defaults filled in: match exact, backend path = path, overrides sorted and normalized; a tenant rule that
     * requires nothing is none (null), an allowed list sorted without duplicates.
     */
    public ResourceSpec normalized() {
        Map<String, BackendConfig> o = new TreeMap<>();
        if (overrides != null) {
            overrides.forEach((stage, config) -> o.put(stage, config.normalized()));
        }
        TenantRule rule = tenants == null || !tenants.requiresTenant() ? null
                : new TenantRule(Boolean.TRUE.equals(tenants.required()),
                tenants.allowed() == null ? List.of() : List.copyOf(new TreeSet<>(tenants.allowed())));
        return new ResourceSpec(method, path, match == null ? "exact" : match,
                backendPath == null ? path : backendPath, description == null ? "" : description, o, rule);
    }

    /**
     * The router's slot for this resource: two resources with the same slot match the same requests with
     * equal specificity, so the proxy's router keeps one and drops the other (and the database refuses the
     * second row: unique gateway, match, path_shape, method). Same method (ANY is a method of its own
     * here), same match type, same path shape (parameter names aside). Everything else may stand side by
     * side because the router picks the more specific one: {@code /users/me} beside {@code /users/{id}}
     * (literal wins), {@code GET /x} beside {@code ANY /x} (the named method wins for GET and HEAD, ANY
     * serves the rest, as in APISIX and Kong, where a route with methods outranks one without), a prefix
     * beside an exact match (exact wins).
     */
    public String routeSlot() {
        return method + " " + (match == null ? "exact" : match) + " " + PathTemplate.parse(path).shape();
    }

    /** Whether this resource and another take the same router slot: see {@link #routeSlot()}. */
    public boolean conflictsWith(ResourceSpec other) {
        return routeSlot().equals(other.routeSlot());
    }
}
