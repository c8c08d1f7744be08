package io.gatehouse.tryit;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.Host;
import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where a pool's traffic would go with its higher failover tiers down ({@code hosts[].priority}): for each tier
 * below the highest, the hosts that would share the traffic, and how, while every host of every tier above is
 * down, draining or disabled. Read from the compiled pool, so it is the proxy's own rule (only the highest tier
 * with a healthy host an operator admits gets traffic), not a second copy of it; nothing is sent. Assumes the
 * tier's own hosts healthy: a tier with unhealthy hosts passes the traffic on down the same way.
 */
final class FailoverPlan {

    /**
     * One "what if".
     *
     * @param down  the priorities whose hosts are all down, highest first
     * @param tier  the priority that then gets the traffic
     * @param hosts its hosts, each with its share of the traffic
     */
    @TemplateData
    record TierDown(List<Integer> down, int tier, List<TryIt.HostShare> hosts) {
    }

    private FailoverPlan() {
    }

    /** Empty for a pool of one tier: nothing to fail over to. */
    static List<TierDown> of(Balancer pool) {
        TreeSet<Integer> priorities = new TreeSet<>(java.util.Comparator.reverseOrder());
        pool.hosts().forEach(h -> priorities.add(h.priority()));
        List<TierDown> plan = new ArrayList<>();
        List<Integer> down = new ArrayList<>();
        for (int tier : priorities) {
            if (!down.isEmpty()) {
                plan.add(new TierDown(List.copyOf(down), tier, shares(pool, tier)));
            }
            down.add(tier);
        }
        return plan;
    }

    private static List<TryIt.HostShare> shares(Balancer pool, int tier) {
        List<Host> hosts = pool.hosts().stream().filter(h -> h.priority() == tier).toList();
        int total = hosts.stream().mapToInt(Host::weight).sum();
        List<TryIt.HostShare> out = new ArrayList<>();
        for (Host h : hosts) {
            int index = pool.hosts().indexOf(h);
            out.add(new TryIt.HostShare(HostLegend.name(index), h.url(), h.weight(),
                    pool.type().share(h.weight(), total, hosts.size()), 0, 0));
        }
        return out;
    }
}
