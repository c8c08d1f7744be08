package io.gatehouse.proxy;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.balance.HashKey;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostRegistry;
import io.gatehouse.balance.PoolSet;
import io.gatehouse.balance.TenantFallback;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.HostUrl;

import java.util.ArrayList;
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

    /** The pools, and the addresses of each discovered name they were built from. */
    private record Built(PoolSet pools, Map<String, List<String>> basis) {
    }

    private final BackendConfig config;
    private final HostRegistry registry;
    private final Set<String> names;
    private volatile Built built;

    private LivePools(BackendConfig config, HostRegistry registry, Set<String> names, Built built) {
        this.config = config;
        this.registry = registry;
        this.names = names;
        this.built = built;
    }

    /** Builds the pools of {@code config} (normalized and valid) against {@code registry}. */
    static LivePools build(BackendConfig config, HostRegistry registry, Addresses addresses) {
        Objects.requireNonNull(addresses, "addresses");
        Set<String> names = new HashSet<>();
        for (BackendHost h : allHosts(config)) {
            String host = HostUrl.parse(h.url()).host();
            if (addresses.of(host) != null) {
                names.add(host);
            }
        }
        return new LivePools(config, registry, Set.copyOf(names), pools(config, registry, addresses));
    }

    private static List<BackendHost> allHosts(BackendConfig config) {
        List<BackendHost> all = new ArrayList<>(config.hosts());
        config.tenantPools().values().forEach(all::addAll);
        return all;
    }

    private static Built pools(BackendConfig config, HostRegistry registry, Addresses addresses) {
        Map<String, List<String>> basis = new TreeMap<>();
        Map<String, String> missing = new TreeMap<>();
        List<Host> hosts = members(config.hosts(), addresses, basis, missing);
        Map<String, List<Host>> tenants = new TreeMap<>();
        config.tenantPools().forEach((tenant, pool) -> tenants.put(tenant, members(pool, addresses, basis, missing)));
        HashKey hashKey = config.hash() == null ? null
                : new HashKey(HashKey.On.fromWireName(config.hash().on()), config.hash().name(), config.hash().replicas());
        PoolSet pools = PoolSet.of(config.balancerType(), hosts, tenants,
                TenantFallback.fromWireName(config.tenantFallback()), hashKey, registry, RouteCompiler.poolHealth(config),
                missing);
        return new Built(pools, basis);
    }

    /** Members keyed by their canonical URL (and address), so state is shared however a URL is spelt. */
    private static List<Host> members(List<BackendHost> pool, Addresses addresses,
                                      Map<String, List<String>> basis, Map<String, String> missing) {
        List<Host> members = new ArrayList<>(pool.size());
        for (BackendHost h : pool) {
            HostUrl url = HostUrl.parse(h.url());
            Host host = new Host(url.canonical(), h.weight(), h.priorityOrDefault());
            DnsDiscovery.Resolution r = addresses.of(url.host());
            if (r == null) {
                members.add(host);
                continue;
            }
            basis.put(url.host(), r.addresses());
            if (r.addresses().isEmpty()) {
                missing.put(host.url(), "has no address: DNS lookup of " + url.host() + " failed ("
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
        built = pools(config, registry, addresses);
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
