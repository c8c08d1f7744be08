package io.gatehouse.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code random}: weighted random. A draw in {@code [0, sum(weights))} is located in the cumulative
 * weights by binary search (O(log hosts), weights never expanded). If it lands on a down or excluded
 * host the draw is repeated a few times (rejection sampling keeps the distribution exactly weighted
 * over the usable hosts); if most hosts are down, one O(hosts) draw over the usable weights decides.
 *
 * <p>Thread safety: stateless apart from the random source, which by default is
 * {@link java.util.concurrent.ThreadLocalRandom#current()} fetched per pick (one generator per
 * thread, no contention). Tests inject a seeded, single-threaded source.
 */
public final class WeightedRandom implements Balancer {

    private static final int REJECTION_TRIES = 4;

    private final Members members;
    private final Supplier<? extends RandomGenerator> random;
    /** {@code ends[i]} = weights[0] + ... + weights[i]; a draw r belongs to the first i with r < ends[i]. */
    private final long[] ends;
    private final long total;

    WeightedRandom(Members members, Supplier<? extends RandomGenerator> random) {
        this.members = members;
        this.random = random;
        this.ends = new long[members.size()];
        long sum = 0;
        for (int i = 0; i < ends.length; i++) {
            sum += members.weights[i];
            ends[i] = sum;
        }
        this.total = sum;
    }

    /** A weighted-random balancer drawing from {@code random} (tests: a seeded {@code SplittableRandom}). */
    public static WeightedRandom withRandom(List<Host> hosts, HostRegistry registry,
                                            Supplier<? extends RandomGenerator> random) {
        return new WeightedRandom(new Members(hosts, registry), random);
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        if (total == 0) {
            return null;
        }
        RandomGenerator rnd = random.get();
        for (int t = 0; t < REJECTION_TRIES; t++) {
            int i = Arrays.binarySearch(ends, rnd.nextLong(total));
            i = i < 0 ? -i - 1 : i + 1; // first end strictly greater than the draw
            if (members.usable(i, excludeUrls)) {
                return members.hosts[i];
            }
        }
        int n = members.size();
        long usableTotal = 0;
        for (int i = 0; i < n; i++) {
            if (members.usable(i, excludeUrls)) {
                usableTotal += members.weights[i];
            }
        }
        if (usableTotal == 0) {
            return null;
        }
        long r = rnd.nextLong(usableTotal);
        for (int i = 0; i < n; i++) {
            // Health may change between the two loops; the last usable host seen absorbs that race.
            if (members.usable(i, excludeUrls)) {
                r -= members.weights[i];
                if (r < 0) {
                    return members.hosts[i];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            if (members.usable(i, excludeUrls)) {
                return members.hosts[i];
            }
        }
        return null;
    }

    @Override
    public BalancerType type() {
        return BalancerType.RANDOM;
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
