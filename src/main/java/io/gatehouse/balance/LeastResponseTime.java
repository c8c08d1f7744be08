package io.gatehouse.balance;

import java.util.List;
import java.util.Set;

/**
 * {@code least_response_time}: the usable host with the lowest latency EWMA divided by its weight;
 * hosts without any sample yet are tried first. "Tried" starts with the first request, not the first
 * response: an untried host takes one probe request at a time while tried hosts are available, so a
 * host added by a publish does not receive the whole burst before its first answer arrives (APISIX's
 * ewma, where a new host's 0 wins every pick until then, does). The EWMA is time-decayed with a 10 s decay, as
 * APISIX's {@code balancer/ewma.lua} and Finagle's {@code PeakEwma} ({@code w = exp(-elapsed/decay)}),
 * and decays toward zero while a host gets no traffic, so a host that was slow is probed again after
 * a while instead of being starved forever (see {@link HostState#recordLatency}). Unlike Finagle the
 * score is not multiplied by the in-flight count: that is what {@code least_conn} is for.
 *
 * <p>Cost: O(hosts) with no clock read and no {@code exp} per pick. Each host carries a rank
 * {@code ln(ewma) + stamp/decay} computed when a sample arrives ({@link HostState#rank()}); comparing
 * {@code rank - ln(weight)} orders hosts exactly as {@code decayedEwma / weight} does at any common
 * instant. Ties (and the choice among untried hosts) go in turn, as in {@link LeastConn}.
 *
 * <p>Slow start: while some host ramps, the divisor is its effective weight
 * ({@link Members#effectiveWeight}): {@code ln} of its ramp percent is added to its score's divisor.
 *
 * <p>Thread safety: lock-free; a pick reads each host's immutable EWMA snapshot through a volatile
 * field and writes one volatile int (the next start, as in {@link LeastConn}).
 */
public final class LeastResponseTime implements Balancer {

    private final Members members;
    private final double[] lnWeights;
    /** Where the next scan starts: just past the last winner, so tied hosts take turns. Racy by design. */
    private volatile int next;

    LeastResponseTime(Members members) {
        this.members = members;
        this.lnWeights = new double[members.size()];
        for (int i = 0; i < lnWeights.length; i++) {
            lnWeights[i] = Math.log(members.weights[i]);
        }
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        int n = members.size();
        if (n == 0) {
            return null;
        }
        HostState[] states = members.states;
        long now = members.rampNow();
        int i = next;
        if (i >= n) {
            i = 0;
        }
        int best = -1;
        double bestScore = 0;
        int probing = -1; // untried, but its first request is still in flight
        int probingLoad = 0;
        for (int k = 0; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            if (!members.usable(i, excludeUrls)) {
                continue;
            }
            double rank = states[i].rank();
            if (Double.isNaN(rank)) {
                int load = states[i].inFlight();
                if (load == 0) {
                    next = i + 1; // untried and idle: the first in turn wins
                    return members.hosts[i];
                }
                if (probing < 0 || load < probingLoad) {
                    probing = i;
                    probingLoad = load;
                }
                continue;
            }
            double score = rank - lnWeights[i];
            if (now != Members.NO_RAMP) {
                score -= Math.log(members.rampPercent(i, now) / 100.0);
            }
            if (best < 0 || score < bestScore) {
                best = i;
                bestScore = score;
            }
        }
        if (best < 0) {
            best = probing; // only untried hosts are left, all probing: the least loaded one
        }
        if (best < 0) {
            return null;
        }
        next = best + 1;
        return members.hosts[best];
    }

    @Override
    public BalancerType type() {
        return BalancerType.LEAST_RESPONSE_TIME;
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
