package io.gatehouse.proxy;

import io.gatehouse.tenant.TenantDirectory.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant token buckets (Bucket4j's local lock-free bucket: one compare-and-set per request, no lock), one
 * bucket per gateway and tenant for the whole instance, so every event loop draws from the same tokens and one
 * instance enforces the limit exactly.
 *
 * <p>Across N live instances each enforces its share: a bucket of {@code burst / N} (at least one token) refilled
 * at {@code rps / N} per second. Under an even spread (a round-robin load balancer) the fleet admits about the
 * limit; under a skewed one a tenant whose requests land on one instance gets only that instance's share, the
 * usual trade of a limit without a shared store (Kong's {@code local} policy, Envoy's local rate limit). N comes
 * from the instances' heartbeats, so a dead instance's share moves to the others once it ages out.
 */
final class TenantLimiter {

    /** The answer for one request. */
    record Decision(boolean allowed, long limit, long remaining, long nanosToWait) {
        /** Seconds until a token is back, rounded up (Retry-After and RateLimit-Reset are whole seconds). */
        long resetSeconds() {
            return Math.max(1, (nanosToWait + 999_999_999L) / 1_000_000_000L);
        }
    }

    private record Entry(RateLimit limit, int instances, long capacity, Bucket bucket) {
    }

    private final TimeMeter clock;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Entry>> byGateway = new ConcurrentHashMap<>();
    private volatile int instances = 1;

    TenantLimiter() {
        this(TimeMeter.SYSTEM_NANOTIME);
    }

    /** With a clock of the caller's (tests move time by hand). */
    TenantLimiter(TimeMeter clock) {
        this.clock = clock;
    }

    /** The live instance count; buckets take their new share at their next use. */
    void instances(int n) {
        instances = Math.max(1, n);
    }

    int instances() {
        return instances;
    }

    /** Takes one token of {@code tenant}'s bucket, made (or remade, when the limit or share changed) on first use. */
    Decision take(String gateway, String tenant, RateLimit limit) {
        ConcurrentHashMap<String, Entry> tenants = byGateway.computeIfAbsent(gateway, g -> new ConcurrentHashMap<>());
        int n = instances;
        Entry e = tenants.get(tenant);
        if (e == null || !e.limit().equals(limit) || e.instances() != n) {
            e = tenants.compute(tenant, (t, old) -> old != null && old.limit().equals(limit) && old.instances() == n
                    ? old : entry(limit, n));
        }
        ConsumptionProbe probe = e.bucket().tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), e.capacity(), probe.getRemainingTokens(),
                probe.isConsumed() ? 0 : probe.getNanosToWaitForRefill());
    }

    private Entry entry(RateLimit limit, int n) {
        long capacity = Math.max(1, Math.round((double) limit.burst() / n));
        Bandwidth bandwidth = Bandwidth.builder().capacity(capacity)
                .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(n)).build();
        Bucket bucket = Bucket.builder().addLimit(bandwidth).withCustomTimePrecision(clock).build();
        return new Entry(limit, n, capacity, bucket);
    }

    /** Forgets buckets of tenants that no longer have a limit (deleted, or limit removed). */
    void retain(java.util.function.BiPredicate<String, String> limited) {
        byGateway.forEach((gw, tenants) -> tenants.keySet().removeIf(t -> !limited.test(gw, t)));
        byGateway.values().removeIf(ConcurrentHashMap::isEmpty);
    }
}
