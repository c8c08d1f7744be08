package io.gatehouse.traffic;

import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.SnapshotStore;
import io.gatehouse.proxy.StageSnapshot;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Per-tenant usage in Prometheus, apart from the per-host series of {@link TrafficMetrics} (whose {@code tenant}
 * label is the tenant pool that served a request), so the tenant dimension does not multiply resources × hosts:
 * <ul>
 * <li>{@code gatehouse_proxy_tenant_requests_total{gateway,stage,tenant,status}}: requests by status class;</li>
 * <li>{@code gatehouse_proxy_tenant_rate_limited_total{gateway,stage,tenant}}: requests refused with 429;</li>
 * <li>{@code gatehouse_proxy_tenant_request_duration_seconds{gateway,stage,tenant}}: the latency histogram
 *     (the buckets of {@link TrafficMetrics}), for p50/p99 with {@code histogram_quantile}.</li>
 * </ul>
 * {@code tenant} is a tenant the gateway declares ({@link ProxiedRequest#declaredTenant}: verified, or a declared
 * name in the tenant header under {@code tenant_from: header}); anything else is {@value TrafficMetrics#NONE}.
 * Requests that reached no published stage are not counted here. Recording: two map reads and two lock-free
 * meter updates, no allocation once the series exist; a stage's series go when it is unpublished.
 */
public final class TenantMetrics {
    static final String REQUESTS = "gatehouse.proxy.tenant.requests";
    static final String DURATION = "gatehouse.proxy.tenant.request.duration";
    static final String RATE_LIMITED = "gatehouse.proxy.tenant.rate.limited";
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final class Series {
        final Tags tags;
        final Timer duration;
        final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(CLASSES.length);
        volatile Counter limited;

        Series(String gateway, String stage, String tenant) {
            tags = Tags.of("gateway", gateway, "stage", stage, "tenant", tenant);
            duration = Timer.builder(DURATION).description("Proxied requests per tenant, from arrival to response end")
                    .tags(tags).serviceLevelObjectives(TrafficMetrics.LATENCY_BUCKETS).register(registry);
        }

        void record(int status, long nanos) {
            int c = TrafficMetrics.statusClass(status);
            Counter counter = counters.get(c);
            if (counter == null) {
                // Registration is idempotent: a racing second call gets the same counter back.
                counter = Counter.builder(REQUESTS).description("Proxied requests per tenant by status class")
                        .tags(tags).tag("status", CLASSES[c]).register(registry);
                counters.set(c, counter);
            }
            counter.increment();
            if (status == 429) {
                Counter l = limited;
                if (l == null) {
                    l = Counter.builder(RATE_LIMITED).description("Requests refused by the tenant's rate limit")
                            .tags(tags).register(registry);
                    limited = l;
                }
                l.increment();
            }
            if (status != 101) {
                duration.record(nanos, TimeUnit.NANOSECONDS);
            }
        }

        void remove() {
            registry.remove(duration);
            for (int i = 0; i < CLASSES.length; i++) {
                if (counters.get(i) != null) {
                    registry.remove(counters.get(i));
                }
            }
            if (limited != null) {
                registry.remove(limited);
            }
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Series>> stages = new ConcurrentHashMap<>();

    public TenantMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(ProxiedRequest r) {
        if (r.gateway() == null) {
            return;
        }
        String tenant = r.declaredTenant() == null ? TrafficMetrics.NONE : r.declaredTenant();
        var tenants = TrafficWindow.child(stages, r.stageKey(), k -> new ConcurrentHashMap<>());
        Series s = tenants.get(tenant);
        if (s == null) {
            s = tenants.computeIfAbsent(tenant, t -> new Series(r.gateway(), r.stage(), t));
        }
        s.record(r.status(), r.durationNanos());
    }

    /** Removes the series of stages no longer published. */
    public void published(SnapshotStore store) {
        Set<String> live = new HashSet<>();
        for (StageSnapshot s : store.all()) {
            live.add(s.key());
        }
        stages.entrySet().removeIf(e -> {
            if (live.contains(e.getKey())) {
                return false;
            }
            e.getValue().values().forEach(Series::remove);
            return true;
        });
    }
}
