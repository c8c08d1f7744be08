package io.gatehouse.balance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled pools of one backend config: the default hosts' balancer, one balancer per tenant
 * pool, what a tenant whose pool is unavailable gets, and how health is judged. The forwarding path
 * asks one question, {@link #choose}, and gives one answer back, {@link #report}.
 *
 * <p>Pool choice for a request: a tenant with a pool uses it; a request without a tenant, or naming a
 * tenant without a pool, uses the default hosts. A tenant pool with {@link TenantFallback#FAIL} keeps
 * its isolation even in panic: it spreads over its own hosts only, and gets no host (503) only when
 * none is left at all. With {@link TenantFallback#DEFAULT} a tenant pool in panic (or with no usable
 * host) falls back to the default hosts before spreading over its own unhealthy ones, as Envoy spills
 * to the next priority level before it panics. Isolation is never given up silently:
 * {@link Chosen#fellBack()} and {@link NoHost#detail()} say so.
 *
 * <p>Immutable; every balancer shares one {@link HostRegistry} (checked).
 */
public record PoolSet(Balancer defaults, Map<String, Balancer> tenantPools, TenantFallback fallback,
                      PoolHealth health, Map<String, String> missing) {

    /** The answer to {@link #choose}: a host, or why there is none. */
    public sealed interface Pick permits Chosen, NoHost {
    }

    /**
     * A host to send one attempt to; its in-flight count already includes the attempt, so every Chosen
     * must be {@link #report reported} exactly once.
     *
     * @param fellBack true when a tenant with its own pool got a default host ({@code tenant_fallback: default})
     * @param panic    true when the pool it came from was in panic (spread over unhealthy hosts too)
     */
    public record Chosen(Host host, HostState state, boolean fellBack, boolean panic) implements Pick {
    }

    /**
     * @param missing configured hosts that have no member now, and why (a host name that never resolved):
     *                named in the 503 when no host is left
     */
    public PoolSet {
        Objects.requireNonNull(defaults, "defaults");
        missing = missing == null ? Map.of() : Map.copyOf(missing);
        tenantPools = tenantPools == null ? Map.of() : Map.copyOf(tenantPools);
        fallback = fallback == null ? TenantFallback.FAIL : fallback;
        health = health == null ? PoolHealth.PASSIVE_ONLY : health;
        for (Map.Entry<String, Balancer> pool : tenantPools.entrySet()) {
            if (pool.getValue().registry() != defaults.registry()) {
                throw new IllegalArgumentException("tenant pool " + pool.getKey() + " uses another HostRegistry");
            }
        }
    }

    public PoolSet(Balancer defaults, Map<String, Balancer> tenantPools, TenantFallback fallback) {
        this(defaults, tenantPools, fallback, null);
    }

    public PoolSet(Balancer defaults, Map<String, Balancer> tenantPools, TenantFallback fallback, PoolHealth health) {
        this(defaults, tenantPools, fallback, health, null);
    }

    /** Compiles every pool with the same type and hash key, against {@code registry}. */
    public static PoolSet of(BalancerType type, List<Host> defaultHosts, Map<String, List<Host>> tenantHosts,
                             TenantFallback fallback, HashKey hashKey, HostRegistry registry) {
        return of(type, defaultHosts, tenantHosts, fallback, hashKey, registry, PoolHealth.PASSIVE_ONLY);
    }

    /** As above, every pool judging health as {@code health} says. */
    public static PoolSet of(BalancerType type, List<Host> defaultHosts, Map<String, List<Host>> tenantHosts,
                             TenantFallback fallback, HashKey hashKey, HostRegistry registry, PoolHealth health) {
        return of(type, defaultHosts, tenantHosts, fallback, hashKey, registry, health, null);
    }

    /** As above, naming the configured hosts that have no member now ({@link #missing()}). */
    public static PoolSet of(BalancerType type, List<Host> defaultHosts, Map<String, List<Host>> tenantHosts,
                             TenantFallback fallback, HashKey hashKey, HostRegistry registry, PoolHealth health,
                             Map<String, String> missing) {
        Map<String, Balancer> pools = new LinkedHashMap<>();
        if (tenantHosts != null) {
            tenantHosts.forEach((tenant, hosts) ->
                    pools.put(tenant, Balancer.create(type, hosts, hashKey, registry, health)));
        }
        return new PoolSet(Balancer.create(type, defaultHosts, hashKey, registry, health), pools, fallback, health,
                missing);
    }

    /**
     * The host for one attempt of a request of {@code tenant} (null when it names none), never one in
     * {@code excludeUrls} (the hosts a retry already tried); counts the attempt as in flight.
     */
    public Pick choose(String tenant, RequestAttributes request, Set<String> excludeUrls) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        Balancer pool = own != null ? own : defaults;
        Host host = null;
        if (own == null || fallback == TenantFallback.FAIL || !own.inPanic()) {
            host = pool.pick(request, excludeUrls);
        }
        boolean fellBack = false;
        if (host == null && own != null && fallback == TenantFallback.DEFAULT) {
            pool = defaults;
            host = defaults.pick(request, excludeUrls);
            fellBack = host != null;
        }
        if (host == null) {
            return whyNoHost(tenant);
        }
        HostState state = registry().state(host.url());
        state.started();
        return new Chosen(host, state, fellBack, pool.inPanic());
    }

    /**
     * How the attempt went, once it is over (response streamed, failed, or its WebSocket session
     * closed): in-flight − 1, the latency ({@code nanos} to the response head or the failure) folded
     * into the EWMA, and the passive mark. Only {@link Outcome#failure() failures} count against the
     * host; a {@link Outcome#CANCELLED} or {@link Outcome#BUSY} attempt counts for nothing.
     */
    public void report(Chosen chosen, long nanos, Outcome outcome, int status) {
        HostState state = chosen.state();
        HostRegistry registry = registry();
        registry.end(state, outcome == Outcome.CANCELLED || outcome == Outcome.BUSY ? -1 : nanos);
        if (outcome.failure()) {
            if (state.markFailure(health.passiveFailures(), outcome, status)) {
                registry.passiveDown(state);
            }
        } else if (outcome == Outcome.SUCCESS) {
            state.markSuccess(health.passiveSuccesses());
        }
    }

    /**
     * The pool a request of {@code tenant} (null when it names none) is balanced over while it is healthy: the
     * tenant's own pool when it has one, else the default hosts.
     */
    public Balancer poolOf(String tenant) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        return own != null ? own : defaults;
    }

    /** The host for a request of {@code tenant}, or null for 503; no in-flight count (tests, previews). */
    public Host pick(String tenant, RequestAttributes request) {
        return pick(tenant, request, Set.of());
    }

    /** As {@link #pick(String, RequestAttributes)} for a retry, never returning an excluded host. */
    public Host pick(String tenant, RequestAttributes request, Set<String> excludeUrls) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        if (own == null) {
            return defaults.pick(request, excludeUrls);
        }
        Host host = fallback == TenantFallback.DEFAULT && own.inPanic() ? null : own.pick(request, excludeUrls);
        if (host != null || fallback == TenantFallback.FAIL) {
            return host;
        }
        return defaults.pick(request, excludeUrls);
    }

    /**
     * Whether {@code host}, picked for {@code tenant}, came from the default hosts although the tenant has a
     * pool ({@code tenant_fallback: default} with no usable host in it). Only then is the pool searched.
     */
    public boolean fellBack(String tenant, Host host) {
        if (fallback != TenantFallback.DEFAULT || tenant == null) {
            return false;
        }
        Balancer own = tenantPools.get(tenant);
        return own != null && !own.hosts().contains(host);
    }

    /** The balancer a request of {@code tenant} is served from first: its pool, else the default one. */
    public Balancer poolFor(String tenant) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        return own != null ? own : defaults;
    }

    public HostRegistry registry() {
        return defaults.registry();
    }

    /**
     * Why there was no host for {@code tenant}: for the proxy's 503 detail. Called on the failure path
     * only, so the common path allocates nothing.
     */
    public NoHost whyNoHost(String tenant) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        boolean defaultsTriedToo = own != null && fallback == TenantFallback.DEFAULT;
        boolean takenOut = (own == null || allTakenOut(own)) && (own != null && !defaultsTriedToo || allTakenOut(defaults));
        return new NoHost(own != null ? tenant : null, defaultsTriedToo, takenOut, missingNote());
    }

    /** The hosts without a member, and why, in words for a 503; null when every host has members. */
    private String missingNote() {
        if (missing.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(missing).forEach((url, why) -> b.append(b.isEmpty() ? "" : "; ").append(url)
                .append(' ').append(why));
        return b.toString();
    }

    /** Whether the pool has hosts and an operator has drained or disabled every one of them. */
    private boolean allTakenOut(Balancer pool) {
        for (Host h : pool.hosts()) {
            HostState s = registry().find(h.url());
            if (s == null || s.admits()) {
                return false;
            }
        }
        return !pool.hosts().isEmpty();
    }

    /**
     * @param tenantPool the tenant whose own pool had no healthy host, or null when the default hosts
     *                   were the pool
     * @param defaultsTriedToo true when the tenant pool fell back to the default hosts and they had
     *                         none either
     * @param takenOut   true when every host of the pool(s) tried is draining or disabled (host states)
     */
    public record NoHost(String tenantPool, boolean defaultsTriedToo, boolean takenOut, String missing) implements Pick {

        public NoHost(String tenantPool, boolean defaultsTriedToo) {
            this(tenantPool, defaultsTriedToo, false);
        }

        public NoHost(String tenantPool, boolean defaultsTriedToo, boolean takenOut) {
            this(tenantPool, defaultsTriedToo, takenOut, null);
        }

        public String detail() {
            return missing == null ? reason() : reason() + " (" + missing + ")";
        }

        private String reason() {
            if (takenOut) {
                return "every host of " + (tenantPool == null ? "the default hosts" : "tenant pool '" + tenantPool + "'"
                        + (defaultsTriedToo ? " and of the default hosts" : "")) + " is draining or disabled";
            }
            if (tenantPool == null) {
                return "no healthy host";
            }
            return "no healthy host in tenant pool '" + tenantPool + "'"
                    + (defaultsTriedToo ? " nor in the default hosts" : "");
        }
    }
}
