package io.gatehouse.balance;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compiled pools of one backend config: the default hosts' balancer, one balancer per tenant
 * pool, and what a tenant whose pool is all down gets. Pool choice for a request: a tenant with a
 * pool uses it; if no host of it is usable the request gets no host (503) unless the fallback is
 * {@link TenantFallback#DEFAULT}, in which case the default hosts are used; a request without a
 * tenant, or naming a tenant without a pool, uses the default hosts. Isolation is never given up
 * silently: {@link #whyNoHost} says which pool was empty for the 503's detail.
 *
 * <p>Immutable; every balancer shares one {@link HostRegistry} (checked).
 */
public record PoolSet(Balancer defaults, Map<String, Balancer> tenantPools, TenantFallback fallback) {

    public PoolSet {
        Objects.requireNonNull(defaults, "defaults");
        tenantPools = tenantPools == null ? Map.of() : Map.copyOf(tenantPools);
        fallback = fallback == null ? TenantFallback.FAIL : fallback;
        for (Map.Entry<String, Balancer> pool : tenantPools.entrySet()) {
            if (pool.getValue().registry() != defaults.registry()) {
                throw new IllegalArgumentException("tenant pool " + pool.getKey() + " uses another HostRegistry");
            }
        }
    }

    /** Compiles every pool with the same type and hash key, against {@code registry}. */
    public static PoolSet of(BalancerType type, List<Host> defaultHosts, Map<String, List<Host>> tenantHosts,
                             TenantFallback fallback, HashKey hashKey, HostRegistry registry) {
        Map<String, Balancer> pools = new LinkedHashMap<>();
        if (tenantHosts != null) {
            tenantHosts.forEach((tenant, hosts) -> pools.put(tenant, Balancer.create(type, hosts, hashKey, registry)));
        }
        return new PoolSet(Balancer.create(type, defaultHosts, hashKey, registry), pools, fallback);
    }

    /** The host for a request of {@code tenant} (null when it names none), or null for 503. */
    public Host pick(String tenant, RequestAttributes request) {
        return pick(tenant, request, Set.of());
    }

    /** As {@link #pick(String, RequestAttributes)} for a retry, never returning an excluded host. */
    public Host pick(String tenant, RequestAttributes request, Set<String> excludeUrls) {
        Balancer own = tenant == null ? null : tenantPools.get(tenant);
        if (own == null) {
            return defaults.pick(request, excludeUrls);
        }
        Host host = own.pick(request, excludeUrls);
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
     * Why {@link #pick} gave null for {@code tenant}: for the proxy's 503 detail. Called on the
     * failure path only, so the common path allocates nothing.
     */
    public NoHost whyNoHost(String tenant) {
        boolean ownPool = tenant != null && tenantPools.containsKey(tenant);
        return new NoHost(ownPool ? tenant : null, ownPool && fallback == TenantFallback.DEFAULT);
    }

    /**
     * @param tenantPool the tenant whose own pool had no healthy host, or null when the default hosts
     *                   were the pool
     * @param defaultsTriedToo true when the tenant pool fell back to the default hosts and they had
     *                         none either
     */
    public record NoHost(String tenantPool, boolean defaultsTriedToo) {

        public String detail() {
            if (tenantPool == null) {
                return "no healthy host";
            }
            return "no healthy host in tenant pool '" + tenantPool + "'"
                    + (defaultsTriedToo ? " nor in the default hosts" : "");
        }
    }
}
