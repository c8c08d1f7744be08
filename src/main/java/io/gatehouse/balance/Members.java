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
 *
 * <p>Failover tiers ({@link Host#priority()}, higher first, APISIX's node priority): the hosts of one
 * priority form a tier, and only one tier is in use at a time: the highest with a healthy host an
 * operator admits. A lower tier so gets traffic only while every host of every higher tier is down,
 * draining or disabled, and traffic goes back up as soon as a higher tier's host is healthy again (after
 * its healthy threshold of good probes or answers, so it cannot flap within one probe interval). Panic
 * is judged within the tier in use, and only when no lower tier has a healthy host to take the traffic
 * instead: a spare tier is better than unhealthy hosts. When no tier has a healthy host at all, the
 * highest tier with an admitted host is in use and panics (if the threshold is above 0). A pool with one
 * tier behaves exactly as before tiers existed, and pays nothing for them.
 *
 * <p>Slow start ({@link PoolHealth#slowStartMs()}, Envoy's slow start, nginx's {@code slow_start}): a
 * host that became usable (added by a release, set back to active, back up from down) weighs
 * 10 % of its weight, growing linearly in whole-percent steps to 100 % over the slow start time. While
 * any host ramps, weight-aware balancers read {@link #effectiveWeight} per pick, in hundredths of the
 * configured weights (so a weight of 1 ramps too); when none ramps they use {@link #weights} and pay
 * one volatile read and one clock read per pick for knowing it, and nothing at all with slow start off.
 */
final class Members {

    /** The tier in use and whether it panics, as of {@code transitions}. */
    private record Mode(long transitions, int tier, boolean panic) {
    }

    /** Until when some host ramps, as of {@code transitions}. */
    private record Ramp(long transitions, long until) {
    }

    /** What {@link #rampNow()} answers when no host ramps. */
    static final long NO_RAMP = Long.MIN_VALUE;

    final List<Host> list;
    final Host[] hosts;
    final HostState[] states;
    final HealthMarks[] probes; // null entries when the pool has no active probe
    final int[] weights;
    final HostRegistry registry;
    final PoolHealth health;
    /** Each host's tier: 0 is the highest priority. */
    final int[] tier;
    final int tiers;
    private final long slowStartNanos;
    private volatile Mode mode = new Mode(Long.MIN_VALUE, 0, false);
    private volatile Ramp ramp = new Ramp(Long.MIN_VALUE, NO_RAMP);

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
        int[] priorities = list.stream().mapToInt(Host::priority).distinct().sorted().toArray();
        this.tiers = Math.max(1, priorities.length);
        this.tier = new int[n];
        for (int i = 0; i < n; i++) {
            // sorted ascending; tier 0 is the highest priority
            tier[i] = priorities.length - 1 - java.util.Arrays.binarySearch(priorities, this.hosts[i].priority());
        }
        this.slowStartNanos = health.slowStartMs() * 1_000_000L;
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
        if (!states[i].admits()) {
            return false;
        }
        if (tiers == 1) {
            return healthy(i) || panic();
        }
        Mode m = mode();
        return tier[i] == m.tier && (m.panic || healthy(i));
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

    /** Whether the tier in use is in panic right now (see the class comment). */
    boolean panic() {
        if (tiers == 1 && health.panicThreshold() == 0) {
            return false;
        }
        return mode().panic;
    }

    /** The tier in use (0 is the highest priority). */
    int tierInUse() {
        return tiers == 1 ? 0 : mode().tier;
    }

    private Mode mode() {
        long t = HealthMarks.transitions();
        Mode cached = mode;
        if (cached.transitions == t) {
            return cached;
        }
        long[] healthyWeight = new long[tiers];
        long[] total = new long[tiers];
        for (int i = 0; i < hosts.length; i++) {
            if (!states[i].admits()) {
                continue; // the share is of the hosts an operator left in
            }
            total[tier[i]] += weights[i];
            if (healthy(i)) {
                healthyWeight[tier[i]] += weights[i];
            }
        }
        int inUse = -1;
        for (int k = 0; k < tiers && inUse < 0; k++) {
            if (healthyWeight[k] > 0) {
                inUse = k;
            }
        }
        boolean healthyBelow = false;
        if (inUse < 0) {
            for (int k = 0; k < tiers && inUse < 0; k++) {
                if (total[k] > 0) {
                    inUse = k;
                }
            }
            inUse = Math.max(inUse, 0);
        } else {
            for (int k = inUse + 1; k < tiers; k++) {
                healthyBelow |= healthyWeight[k] > 0;
            }
        }
        int threshold = health.panicThreshold();
        boolean on = threshold > 0 && !healthyBelow && healthyWeight[inUse] * 100 < (long) threshold * total[inUse];
        Mode next = new Mode(t, inUse, on);
        mode = next;
        return next;
    }

    // ---- slow start -----------------------------------------------------------------------------

    /** The clock now if some host of the pool ramps, else {@link #NO_RAMP} (always with slow start off). */
    long rampNow() {
        if (slowStartNanos == 0) {
            return NO_RAMP;
        }
        long t = HealthMarks.transitions(); // every way of becoming usable bumps it
        Ramp r = ramp;
        if (r.transitions != t) {
            long until = NO_RAMP;
            for (int i = 0; i < hosts.length; i++) {
                until = Math.max(until, usableSince(i) + slowStartNanos);
            }
            r = new Ramp(t, until);
            ramp = r;
        }
        long now = registry.nanoTime();
        return now < r.until ? now : NO_RAMP;
    }

    private long usableSince(int i) {
        HealthMarks probe = probes[i];
        long since = states[i].usableSinceNanos();
        return probe == null ? since : Math.max(since, probe.upNanos());
    }

    /** The percent of its weight host {@code i} has at {@code now}: 10 to 100 in whole steps. */
    int rampPercent(int i, long now) {
        long elapsed = now - usableSince(i);
        if (elapsed >= slowStartNanos) {
            return 100;
        }
        return elapsed <= 0 ? 10 : 10 + (int) (90 * elapsed / slowStartNanos);
    }

    /** Host {@code i}'s weight at {@code now} (from {@link #rampNow()}), in hundredths of a configured unit. */
    int effectiveWeight(int i, long now) {
        return weights[i] * rampPercent(i, now);
    }

    /** Host {@code i}'s share of its weight now, in percent (100 unless it ramps). */
    int weightPercent(int i) {
        long now = rampNow();
        return now == NO_RAMP ? 100 : rampPercent(i, now);
    }

    /** The priority of the tier in use; 0 for an empty pool. */
    int priorityInUse() {
        int t = tierInUse();
        for (int i = 0; i < hosts.length; i++) {
            if (tier[i] == t) {
                return hosts[i].priority();
            }
        }
        return 0;
    }

    HostStatus status(int i) {
        return HostStatus.of(hosts[i].url(), states[i].marks(), probes[i]);
    }
}
