package io.gatehouse.proxy;

import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.PoolHealth;
import io.gatehouse.balance.PoolSet;
import io.gatehouse.balance.TenantFallback;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The pools of one compiled backend config, as of the latest DNS answers: each configured host is one
 * member, except a discovered name ({@link Addresses}), which is one member per address it resolves to, each
 * with the host's weight and priority (Envoy's STRICT_DNS: every address is a host of the cluster). When a
 * name's addresses change, {@link #refresh} builds the pools again and swaps them in one volatile write,
 * without a release: requests in flight keep the pools they chose from, and the durable state of every
 * address that stays (health, in-flight, latency) is in the stage's {@link HostRegistry}, keyed by member.
 *
 * <p>A name with no address yet (never answered) has no member; the pool's 503 names it
 * ({@link PoolSet#missing()}). A name whose lookup fails later keeps its last addresses
 * ({@link DnsDiscovery}), so a DNS outage never empties a pool (APISIX issue 10422).
 */
public final class LivePools {

    /**
     * A configured host: its canonical URL (scheme, host and port in lower case, the port always given, so state is
     * shared however a URL is spelt), the host name discovery may resolve (an IPv6 literal in brackets), its weight
     * and priority.
     */
    record Configured(String url, String name, int weight, int priority) {
    }

    /** What the pools are built from, compiled from a backend config once ({@link RouteCompiler}). */
    record Plan(BalancerType type, List<Configured> defaults, Map<String, List<Configured>> tenants,
                TenantFallback fallback, HashKey hashKey, PoolHealth health) {
        Plan {
            defaults = List.copyOf(defaults);
            tenants = Collections.unmodifiableMap(new TreeMap<>(tenants)); // built in name order, as before
        }
    }

    /** The pools, and the addresses of each discovered name they were built from. */
    private record Built(PoolSet pools, Map<String, List<String>> basis) {
    }

    private final Plan plan;
    private final HostRegistry registry;
    private final Set<String> names;
    private volatile Built built;

    private LivePools(Plan plan, HostRegistry registry, Set<String> names, Built built) {
        this.plan = plan;
        this.registry = registry;
        this.names = names;
        this.built = built;
    }

    /** Builds the pools of {@code plan} against {@code registry}. */
    static LivePools build(Plan plan, HostRegistry registry, Addresses addresses) {
        Objects.requireNonNull(addresses, "addresses");
        Set<String> names = new HashSet<>();
        List<Configured> all = new ArrayList<>(plan.defaults());
        plan.tenants().values().forEach(all::addAll);
        for (Configured h : all) {
            if (addresses.of(h.name()) != null) {
                names.add(h.name());
            }
        }
        return new LivePools(plan, registry, Set.copyOf(names), pools(plan, registry, addresses));
    }

    private static Built pools(Plan plan, HostRegistry registry, Addresses addresses) {
        Map<String, List<String>> basis = new TreeMap<>();
        Map<String, String> missing = new TreeMap<>();
        List<Host> hosts = members(plan.defaults(), addresses, basis, missing);
        Map<String, List<Host>> tenants = new TreeMap<>();
        plan.tenants().forEach((tenant, pool) -> tenants.put(tenant, members(pool, addresses, basis, missing)));
        PoolSet pools = PoolSet.of(plan.type(), hosts, tenants, plan.fallback(), plan.hashKey(), registry,
                plan.health(), missing);
        return new Built(pools, basis);
    }

    private static List<Host> members(List<Configured> pool, Addresses addresses,
                                      Map<String, List<String>> basis, Map<String, String> missing) {
        List<Host> members = new ArrayList<>(pool.size());
        for (Configured h : pool) {
            Host host = new Host(h.url(), h.weight(), h.priority());
            DnsDiscovery.Resolution r = addresses.of(h.name());
            if (r == null) {
                members.add(host);
                continue;
            }
            basis.put(h.name(), r.addresses());
            if (r.addresses().isEmpty()) {
                missing.put(host.url(), "has no address: DNS lookup of " + h.name() + " failed ("
                        + (r.error() == null ? "no answer yet" : r.error()) + ")");
            }
            for (String address : r.addresses()) {
                members.add(host.at(address));
            }
        }
        return members;
    }

    public PoolSet pools() {
        return built.pools();
    }

    /** The host names whose addresses make the members (empty when every host is connected to as is). */
    public Set<String> names() {
        return names;
    }

    /** Whether the pools were built from what {@code addresses} says now. */
    boolean current(Addresses addresses) {
        Map<String, List<String>> basis = built.basis();
        for (String name : names) {
            DnsDiscovery.Resolution r = addresses.of(name);
            if (r == null || !r.addresses().equals(basis.get(name))) {
                return false;
            }
        }
        return true;
    }

    /** Builds the pools again if a name's addresses changed since; true when it did. */
    synchronized boolean refresh(Addresses addresses) {
        if (names.isEmpty() || current(addresses)) {
            return false;
        }
        built = pools(plan, registry, addresses);
        return true;
    }

    /** The member URL of every host of every pool now (what the registry must keep state for). */
    Set<String> memberUrls() {
        Set<String> urls = new HashSet<>();
        PoolSet p = pools();
        p.defaults().hosts().forEach(h -> urls.add(h.url()));
        p.tenantPools().values().forEach(b -> b.hosts().forEach(h -> urls.add(h.url())));
        return urls;
    }

    /** Every member of every pool now, by member URL (a member in several pools once). */
    Map<String, Host> members() {
        Map<String, Host> all = new LinkedHashMap<>();
        PoolSet p = pools();
        p.defaults().hosts().forEach(h -> all.putIfAbsent(h.url(), h));
        p.tenantPools().values().forEach(b -> b.hosts().forEach(h -> all.putIfAbsent(h.url(), h)));
        return all;
    }
}
