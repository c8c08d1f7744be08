package io.gatehouse.balance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The hosts of one pool as arrays, with their durable states resolved once from the registry, so a
 * pick reads a volatile flag per host and never looks anything up. Shared by every balancer type
 * (composition: the sealed {@link Balancer} permits only the six final classes).
 */
final class Members {

    final List<Host> list;
    final Host[] hosts;
    final HostState[] states;
    final int[] weights;
    final HostRegistry registry;

    Members(List<Host> hosts, HostRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.list = List.copyOf(hosts);
        int n = list.size();
        this.hosts = list.toArray(new Host[0]);
        this.states = new HostState[n];
        this.weights = new int[n];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (!seen.add(this.hosts[i].url())) {
                throw new IllegalArgumentException("duplicate host in pool: " + this.hosts[i].url());
            }
            states[i] = registry.state(this.hosts[i].url());
            weights[i] = this.hosts[i].weight();
        }
    }

    int size() {
        return hosts.length;
    }

    /** Up, and not excluded by the caller (a retry excludes the hosts it already tried). */
    boolean usable(int i, Set<String> exclude) {
        return states[i].isUp() && (exclude.isEmpty() || !exclude.contains(hosts[i].url()));
    }

    boolean anyUsable(Set<String> exclude) {
        for (int i = 0; i < hosts.length; i++) {
            if (usable(i, exclude)) {
                return true;
            }
        }
        return false;
    }
}
