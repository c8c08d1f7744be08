package io.gatehouse.balance;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code round_robin}: hosts in turn, weights ignored; a down host loses its turn to the next up one
 * (a, b, c with b down gives a, c, a, c).
 *
 * <p>Thread safety: lock-free. The turn is one {@link AtomicLong} per pool; a pick reads it, scans
 * forward from there to the first usable host and moves the turn just past that host with a
 * compare-and-set, retrying if another thread moved it first. Every pick is therefore one step of a
 * single global order, so concurrent picks still alternate exactly.
 */
public final class RoundRobin implements Balancer {

    private final Members members;
    private final AtomicLong turn = new AtomicLong();

    RoundRobin(Members members) {
        this.members = members;
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        int n = members.size();
        if (n == 0) {
            return null;
        }
        while (true) {
            long t = turn.get();
            int i = (int) Long.remainderUnsigned(t, n);
            int k = 0;
            while (k < n && !members.usable(i, excludeUrls)) {
                k++;
                i = i + 1 == n ? 0 : i + 1;
            }
            if (k == n) {
                return null;
            }
            if (turn.compareAndSet(t, t + k + 1)) {
                return members.hosts[i];
            }
        }
    }

    @Override
    public BalancerType type() {
        return BalancerType.ROUND_ROBIN;
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
