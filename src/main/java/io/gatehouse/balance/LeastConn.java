package io.gatehouse.balance;

import java.util.List;
import java.util.Set;

/**
 * {@code least_conn}: the usable host with the lowest {@code (in-flight + 1) / weight}, the score of
 * APISIX's {@code balancer/least_conn.lua} and nginx's {@code least_conn} (the +1 makes a heavier idle
 * host win over a lighter idle one, and counts the request being placed). Ties are broken in turn:
 * each scan starts just past the last winner and the first of equal scores wins, so tied hosts take
 * turns exactly (a, b, c with a busy: b c b c) instead of the first always winning.
 *
 * <p>Slow start: while some host ramps, its effective weight ({@link Members#effectiveWeight}) is the
 * divisor, so a ramping host at 10 % takes about a tenth of its share of the concurrency.
 *
 * <p>In-flight counts live in the {@link HostRegistry}, so they survive a publish and are shared by
 * every pool the host is in. Scores are compared by cross-multiplying ({@code (a+1)*wb < (b+1)*wa})
 * in longs: exact, no division.
 *
 * <p>Thread safety: lock-free; a pick reads atomics and writes one volatile int (the next start;
 * a lost write between racing threads only shifts whose turn it is). Pick and
 * {@link #onStart} are not one atomic step, so two threads may both choose the same least-loaded host
 * in the same instant, as in APISIX and nginx (whose per-worker counts are looser still); the next
 * picks see both requests.
 */
public final class LeastConn implements Balancer {

    private final Members members;
    /** Where the next scan starts: just past the last winner, so tied hosts take turns. Racy by design. */
    private volatile int next;

    LeastConn(Members members) {
        this.members = members;
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        int n = members.size();
        if (n == 0) {
            return null;
        }
        int[] weights = members.weights;
        HostState[] states = members.states;
        long now = members.rampNow();
        int i = next;
        if (i >= n) {
            i = 0;
        }
        int best = -1;
        long bestLoad = 0;
        long bestWeight = 0;
        for (int k = 0; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
            if (!members.usable(i, excludeUrls)) {
                continue;
            }
            long load = states[i].inFlight() + 1L;
            long weight = now == Members.NO_RAMP ? weights[i] : members.effectiveWeight(i, now);
            if (best < 0 || load * bestWeight < bestLoad * weight) {
                best = i;
                bestLoad = load;
                bestWeight = weight;
            }
        }
        if (best < 0) {
            return null;
        }
        next = best + 1;
        return members.hosts[best];
    }

    @Override
    public BalancerType type() {
        return BalancerType.LEAST_CONN;
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
