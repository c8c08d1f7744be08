package io.gatehouse.balance;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The hosts of one pool as arrays, with their durable states (passive marks from the scope's
 * {@link HostRegistry}, probe marks from the shared {@link Probes}) resolved once, so a pick reads a
 * volatile flag or two per host and never looks anything up. Shared by every balancer type
 * (composition: the sealed {@link Balancer} permits only the six final classes).
 *
 * <p>Panic (Envoy's {@code healthy_panic_threshold}, default 50 % there too): when the healthy share of
 * the pool's weight is below the threshold, every host counts as available, so false positives (a
 * probe path that broke, a blip that took out most hosts at once) cannot empty the pool. The decision
 * is cached until any host's health changes anywhere ({@link HealthMarks#transitions()}), so the
 * common pick pays one volatile read for it, and only when it meets an unhealthy host.
 */
final class Members {

    private record Panic(long transitions, boolean on) {
    }

    final List<Host> list;
    final Host[] hosts;
    final HostState[] states;
    final HealthMarks[] probes; // null entries when the pool has no active probe
    final int[] weights;
    final HostRegistry registry;
    final PoolHealth health;
    private volatile Panic panic = new Panic(Long.MIN_VALUE, false);

    Members(List<Host> hosts, HostRegistry registry) {
        this(hosts, registry, PoolHealth.PASSIVE_ONLY);
    }

    Members(List<Host> hosts, HostRegistry registry, PoolHealth health) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.health = Objects.requireNonNull(health, "health");
        this.list = List.copyOf(hosts);
        int n = list.size();
        this.hosts = list.toArray(new Host[0]);
        this.states = new HostState[n];
        this.probes = new HealthMarks[n];
        this.weights = new int[n];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String url = this.hosts[i].url();
            if (!seen.add(url)) {
                throw new IllegalArgumentException("duplicate host in pool: " + url);
            }
            states[i] = registry.state(url);
            if (health.probe() != null) {
                probes[i] = registry.probes().marks(new ActiveProbe.Key(url, health.probe()));
            }
            weights[i] = this.hosts[i].weight();
        }
    }

    int size() {
        return hosts.length;
    }

    /** Neither passive marks nor the active probe say the host is down. */
    boolean healthy(int i) {
        HealthMarks probe = probes[i];
        return states[i].isUp() && (probe == null || probe.isUp());
    }

    /**
     * Admitted by the operator, and healthy or the pool is in panic: may get traffic. A draining or
     * disabled host is never used, not even in panic: that is a decision, not a measurement.
     */
    boolean available(int i) {
        return states[i].admits() && (healthy(i) || panic());
    }



    /** Available, and not excluded by the caller (a retry excludes the hosts it already tried). */
    boolean usable(int i, Set<String> exclude) {
        return available(i) && (exclude.isEmpty() || !exclude.contains(hosts[i].url()));
    }

    boolean anyUsable(Set<String> exclude) {
        for (int i = 0; i < hosts.length; i++) {
            if (usable(i, exclude)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the healthy share of the pool's weight is below the panic threshold right now. */
    boolean panic() {
        int threshold = health.panicThreshold();
        if (threshold == 0) {
            return false;
        }
        long t = HealthMarks.transitions();
        Panic cached = panic;
        if (cached.transitions == t) {
            return cached.on;
        }
        long healthyWeight = 0;
        long total = 0;
        for (int i = 0; i < hosts.length; i++) {
            if (!states[i].admits()) {
                continue; // the share is of the hosts an operator left in
            }
            total += weights[i];
            if (healthy(i)) {
                healthyWeight += weights[i];
            }
        }
        boolean on = healthyWeight * 100 < (long) threshold * total;
        panic = new Panic(t, on);
        return on;
    }

    HostStatus status(int i) {
        return HostStatus.of(hosts[i].url(), states[i].marks(), probes[i]);
    }
}
