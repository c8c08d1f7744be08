package io.gatehouse.balance;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code consistent_hash}: a ketama ring (libketama, last.fm 2007, after Karger et al., "Consistent
 * hashing and random trees", STOC 1997). Each host gets {@code replicas × weight / gcd(weights)}
 * points at {@code hash(url + "-" + n)}; a key goes to the owner of the first point clockwise from
 * {@code hash(key)}, found by binary search (O(log points) per pick). The ring is capped at
 * {@value #MAX_POINTS} points by scaling every host's count down proportionally (at least one each),
 * so 1000 hosts of mixed weights stay a few MB at most.
 *
 * <p>Down hosts stay on the ring and are skipped at pick time (walk clockwise to the next up host's
 * point): keys on healthy hosts never move when another host goes down, and a host's keys come back
 * to it when it recovers. Removing a host from the config moves only that host's keys too, as long
 * as gcd(weights) and the cap do not change: the other hosts' points depend only on their URL and
 * count. A retry (exclude set) walks on to the next distinct host clockwise, so it is deterministic.
 *
 * <p>The key comes from a {@link KeySource} composed by {@link HashKey#source()}: the configured
 * header, cookie or path, falling back to the client IP for requests without it. Keys and points are
 * hashed with {@link Hashing#murmur64} (64-bit, no allocation per pick) instead of ketama's MD5.
 *
 * <p>Thread safety: the ring is immutable after construction; picks only read it and the volatile
 * health flags.
 */
public final class ConsistentHash implements Balancer {

    static final int MAX_POINTS = 160_000;
    /** A ring entry is its 64-bit position with the low bits replaced by the owner's index. */
    private static final int OWNER_BITS = 20;
    private static final long OWNER_MASK = (1L << OWNER_BITS) - 1;

    private final Members members;
    private final HashKey hashKey;
    private final KeySource keySource;
    private final long[] ring;

    ConsistentHash(Members members, HashKey hashKey) {
        if (members.size() > OWNER_MASK) {
            throw new IllegalArgumentException("consistent hash supports at most " + OWNER_MASK + " hosts");
        }
        this.members = members;
        this.hashKey = hashKey;
        this.keySource = hashKey.source();
        this.ring = buildRing(members, hashKey.replicas());
    }

    static long[] buildRing(Members members, int replicas) {
        int n = members.size();
        int[] points = pointsPerHost(members.weights, replicas);
        long[] ring = new long[Arrays.stream(points).sum()];
        int at = 0;
        for (int i = 0; i < n; i++) {
            String prefix = members.hosts[i].url() + "-";
            for (int p = 0; p < points[i]; p++) {
                ring[at++] = (Hashing.murmur64(prefix + p) & ~OWNER_MASK) | i;
            }
        }
        Arrays.sort(ring);
        return ring;
    }

    /** {@code replicas × weight / gcd}, scaled down proportionally when the total passes the cap. */
    static int[] pointsPerHost(int[] weights, int replicas) {
        int g = 0;
        for (int w : weights) {
            g = gcd(g, w);
        }
        long total = 0;
        long[] wanted = new long[weights.length];
        for (int i = 0; i < weights.length; i++) {
            wanted[i] = (long) replicas * (weights[i] / g);
            total += wanted[i];
        }
        int[] points = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            long p = total <= MAX_POINTS ? wanted[i] : wanted[i] * MAX_POINTS / total;
            points[i] = (int) Math.max(1, p);
        }
        return points;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    @Override
    public Host pick(RequestAttributes request, Set<String> excludeUrls) {
        int size = ring.length;
        if (size == 0) {
            return null;
        }
        String key = keySource.keyOf(request);
        int at = Arrays.binarySearch(ring, Hashing.murmur64(key == null ? "" : key));
        if (at < 0) {
            at = -at - 1;
        }
        int hosts = members.size();
        for (int step = 0; step < size; step++, at++) {
            if (at == size) {
                at = 0;
            }
            int owner = (int) (ring[at] & OWNER_MASK);
            if (members.usable(owner, excludeUrls)) {
                return members.hosts[owner];
            }
            // Walking past more points than there are hosts hints that most are down: check once,
            // so a pool that is entirely down costs O(hosts), not O(ring), per pick.
            if (step == hosts && !members.anyUsable(excludeUrls)) {
                return null;
            }
        }
        return null;
    }

    public HashKey hashKey() {
        return hashKey;
    }

    /** Points on the ring (for tests and the console). */
    public int ringSize() {
        return ring.length;
    }

    @Override
    public BalancerType type() {
        return BalancerType.CONSISTENT_HASH;
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
