package io.gatehouse.balance;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a host of one pool for a request, and hears back how the request went (APISIX's
 * {@code get}/{@code after_balance}, Caddy's {@code Select}). One small final class per
 * {@link BalancerType}; the permits list is the registry of types and {@link #create} the one place a
 * type becomes a balancer.
 *
 * <p>Balancers are disposable, built per published snapshot; everything that must survive a publish
 * (in-flight counts, latency EWMA, health) lives in the scope's {@link HostRegistry} keyed by host URL
 * (active probe results in the shared {@link Probes}). A
 * balancer's own state (a turn counter, smooth-WRR current weights) is one per pool for the whole
 * process, never per event loop, so a burst honours the weights exactly.
 *
 * <p>Every type skips hosts that are down (passive marks or active probe), at pick time, without
 * rebuilding, except in panic ({@link #inPanic()}), when every host is available; when no host of the
 * pool is usable a pick returns {@code null} (the proxy answers 503). All methods are safe to call
 * from several threads at once.
 */
public sealed interface Balancer
        permits RoundRobin, WeightedRoundRobin, LeastConn, ConsistentHash, LeastResponseTime, WeightedRandom {

    /** A host for {@code request}, or null when no host of the pool is up. */
    default Host pick(RequestAttributes request) {
        return pick(request, Set.of());
    }

    /**
     * As {@link #pick(RequestAttributes)}, never returning a host whose URL is in {@code excludeUrls}:
     * a retry passes the hosts it already tried and gets another (null when none is left). Excluded
     * hosts are treated exactly like down ones for this pick; an empty set costs nothing.
     */
    Host pick(RequestAttributes request, Set<String> excludeUrls);

    BalancerType type();

    /** The pool's hosts, in configured order. */
    List<Host> hosts();

    HostRegistry registry();

    /** True when at least one host of the pool is available (healthy, or any host in panic). O(hosts). */
    boolean anyUp();

    /** Whether the pool is in panic now: below its threshold of healthy weight, so spread over all hosts. */
    boolean inPanic();

    /** The health of {@code hosts().get(index)} as this pool sees it (passive marks and its probe). */
    HostStatus status(int index);

    /** The percent of its weight {@code hosts().get(index)} gets now: 10 to 99 while it ramps up with slow start, else 100. */
    int weightPercent(int index);

    /** The priority of the failover tier that gets the traffic now (every host's, when they share one). */
    int priorityInUse();

    /** A request to {@code host} (picked from this pool) starts; delegates to {@link HostRegistry#onStart}. */
    default void onStart(Host host) {
        registry().onStart(host);
    }

    /** The request ended after {@code latencyNanos}; delegates to {@link HostRegistry#onEnd}. */
    default void onEnd(Host host, long latencyNanos) {
        registry().onEnd(host, latencyNanos);
    }

    /**
     * Builds the balancer of {@code type} over {@code hosts}.
     *
     * @param hashKey how consistent hash keys requests; null means the client IP. Ignored by other types.
     * @throws IllegalArgumentException on duplicate host URLs
     */
    static Balancer create(BalancerType type, List<Host> hosts, HashKey hashKey, HostRegistry registry) {
        return create(type, hosts, hashKey, registry, PoolHealth.PASSIVE_ONLY);
    }

    /** As above, judging health as {@code health} says (probe, panic threshold, passive thresholds). */
    static Balancer create(BalancerType type, List<Host> hosts, HashKey hashKey, HostRegistry registry,
                           PoolHealth health) {
        Objects.requireNonNull(type, "type");
        Members members = new Members(hosts, registry, health);
        return switch (type) {
            case ROUND_ROBIN -> new RoundRobin(members);
            case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobin(members);
            case LEAST_CONN -> new LeastConn(members);
            case CONSISTENT_HASH -> new ConsistentHash(members, hashKey == null ? HashKey.CLIENT_IP : hashKey);
            case LEAST_RESPONSE_TIME -> new LeastResponseTime(members);
            case RANDOM -> new WeightedRandom(members, ThreadLocalRandom::current);
        };
    }
}
