package io.gatehouse.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code weighted_round_robin}: smooth weighted round-robin as nginx's
 * {@code ngx_http_upstream_get_peer} (nginx commit 52327e0, "Upstream: smooth weighted round-robin
 * balancing"): for every up host {@code current += weight}; the host with the largest
 * {@code current} wins (the first on ties) and {@code current -= total} of the up weights. Weights {5,1,1} give {@code a a b a c a a}; every window of sum(weights) consecutive
 * picks gives each host exactly its weight, interleaved rather than in bursts. O(hosts) per pick, no
 * allocation, weights never expanded into a list (so {10000, 9999} costs what {1, 1} costs).
 *
 * <p>Two deliberate differences from nginx, both to keep the promise exact:
 * <ul>
 *   <li>When the set of up hosts changes, the sequence restarts (all {@code current} zeroed). nginx
 *       keeps a down peer's stale {@code current}, which leaves the others' sum non-zero and breaks
 *       the per-window counts for a while; restarting makes the remaining hosts keep their exact
 *       ratios from the first window after the change.</li>
 *   <li>A retry pick (non-empty exclude set) does not advance the sequence: it returns the host the
 *       sequence would choose next among the non-excluded ones. The detour of a retry so never
 *       disturbs the ratios of first attempts. nginx's {@code effective_weight} back-off is not copied
 *       either: failures are handled by health marks.</li>
 * </ul>
 *
 * <p>Slow start: while some host ramps, the steps run over the effective weights of the moment
 * ({@link Members#effectiveWeight}, in whole-percent steps), and the sequence restarts whenever they
 * change, as when the up set changes; so every window of sum(effective weights) picks at one ramp step
 * gives each host exactly its effective weight. With no host ramping the configured weights are used
 * and the ramp costs nothing.
 *
 * <p>One sequence per pool for the whole process, not per event loop: per-worker state is what makes
 * nginx/APISIX round-robin uneven under load (apache/apisix#5246).
 *
 * <p>Thread safety: each pick runs under this object's lock. The promise is about one sequence per
 * pool, and that sequence only exists if picks happen in a single order; lock-free alternatives
 * either lose updates to {@code current} (breaking the window counts) or CAS a copy of the whole
 * array per pick (allocation). The critical section is a loop over ints and longs with no I/O or
 * allocation; docs/benchmarks.md has its cost up to the 1000-host maximum.
 */
public final class WeightedRoundRobin implements Balancer {

    private final Members members;
    private final long[] current; // guarded by this
    private final boolean[] wasUp; // guarded by this: the up set the current sequence was built on
    private final int[] ramped; // guarded by this: the effective weights the sequence is built on while ramping
    private boolean ramping; // guarded by this

    WeightedRoundRobin(Members members) {
        this.members = members;
        this.current = new long[members.size()];
        this.wasUp = new boolean[members.size()];
        this.ramped = new int[members.size()];
        Arrays.fill(wasUp, true);
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        int[] weights = members.weights;
        long now = members.rampNow();
        synchronized (this) {
            boolean changed = ramping != (now != Members.NO_RAMP);
            ramping = now != Members.NO_RAMP;
            if (ramping) {
                for (int i = 0; i < weights.length; i++) {
                    int w = members.effectiveWeight(i, now);
                    if (w != ramped[i]) {
                        ramped[i] = w;
                        changed = true;
                    }
                }
            }
            for (int i = 0; i < weights.length; i++) {
                boolean up = members.available(i);
                if (up != wasUp[i]) {
                    wasUp[i] = up;
                    changed = true;
                }
            }
            if (changed) {
                Arrays.fill(current, 0L);
            }
            return excludeUrls.isEmpty() ? step() : peekExcluding(excludeUrls);
        }
    }

    /** The nginx step over the hosts in {@link #wasUp}. Caller holds the lock. */
    private Host step() {
        int[] weights = ramping ? ramped : members.weights;
        long total = 0;
        int best = -1;
        for (int i = 0; i < weights.length; i++) {
            if (!wasUp[i]) {
                continue;
            }
            long c = current[i] += weights[i];
            total += weights[i];
            if (best < 0 || c > current[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        current[best] -= total;
        return members.hosts[best];
    }

    /** Who the next step would choose among the non-excluded up hosts, without taking it. */
    private Host peekExcluding(Set<String> excludeUrls) {
        int[] weights = ramping ? ramped : members.weights;
        int best = -1;
        for (int i = 0; i < weights.length; i++) {
            if (!wasUp[i] || excludeUrls.contains(members.hosts[i].url())) {
                continue;
            }
            if (best < 0 || current[i] + weights[i] > current[best] + weights[best]) {
                best = i;
            }
        }
        return best < 0 ? null : members.hosts[best];
    }

    @Override
    public BalancerType type() {
        return BalancerType.WEIGHTED_ROUND_ROBIN;
    }

    @Override
    public List<Host> hosts() {
        return members.list;
    }

    @Override
    public HostRegistry registry() {
        return members.registry;
    }

    @Override
    public boolean anyUp() {
        return members.anyUsable(Set.of());
    }

    @Override
    public boolean inPanic() {
        return members.panic();
    }

    @Override
    public HostStatus status(int index) {
        return members.status(index);
    }

    @Override
    public int weightPercent(int index) {
        return members.weightPercent(index);
    }

    @Override
    public int priorityInUse() {
        return members.priorityInUse();
    }
}
