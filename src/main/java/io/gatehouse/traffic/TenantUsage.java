package io.gatehouse.traffic;

import io.quarkus.qute.TemplateData;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Each tenant's traffic of the last {@link TrafficWindow#SECONDS} seconds per stage, for the console (the stage's
 * Traffic tab and the gateway's Tenants page): requests, 5xx, 429 and p50/p99. Keyed by the declared tenant of
 * a request ({@link io.gatehouse.proxy.ProxiedRequest#declaredTenant}), {@value TrafficMetrics#NONE} for the
 * rest, so its size follows the configuration, never clients. In memory, this process only (Prometheus has
 * every instance). Recording: two map reads and atomic increments, no lock, no allocation once a tenant has
 * its window.
 */
public final class TenantUsage {

    /** One tenant's last minute on one stage. */
    public record Usage(long requests, long errors, long rateLimited, double p50Millis, double p99Millis) {
    }

    /** A row of the console's tables: latencies formatted as the host rows are. */
    @TemplateData
    public record Row(String tenant, boolean declared, long requests, long errors, long rateLimited, String p50,
                      String p99) {
    }

    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, SecondWindow>> stages = new ConcurrentHashMap<>();

    public TenantUsage() {
        this(System::currentTimeMillis);
    }

    public TenantUsage(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** @param tenant the declared tenant, or null */
    public void record(String stageKey, String tenant, int status, long nanos) {
        var tenants = TrafficWindow.child(stages, stageKey, k -> new ConcurrentHashMap<>());
        TrafficWindow.child(tenants, tenant == null ? TrafficMetrics.NONE : tenant, k -> new SecondWindow())
                .record(clockMillis.getAsLong() / 1000, status, nanos);
    }

    /** Tenant (sorted; {@value TrafficMetrics#NONE} for requests without a declared tenant) to its usage. */
    public Map<String, Usage> read(String stageKey) {
        var tenants = stages.get(stageKey);
        if (tenants == null) {
            return Map.of();
        }
        long now = clockMillis.getAsLong() / 1000;
        Map<String, Usage> out = new TreeMap<>();
        tenants.forEach((tenant, w) -> {
            SecondWindow.Totals t = w.read(now);
            if (t.requests() > 0) {
                out.put(tenant, new Usage(t.requests(), t.errors(), t.limited(), t.p50Millis(), t.p99Millis()));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** {@link #read} as console rows: declared tenants by name, then {@value TrafficMetrics#NONE}. */
    public List<Row> rows(String stageKey) {
        List<Row> rows = new ArrayList<>();
        Usage none = null;
        for (Map.Entry<String, Usage> e : read(stageKey).entrySet()) {
            if (e.getKey().equals(TrafficMetrics.NONE)) {
                none = e.getValue();
            } else {
                rows.add(row(e.getKey(), true, e.getValue()));
            }
        }
        if (none != null) {
            rows.add(row(TrafficMetrics.NONE, false, none));
        }
        return rows;
    }

    private static Row row(String tenant, boolean declared, Usage u) {
        return new Row(tenant, declared, u.requests(), u.errors(), u.rateLimited(), TrafficView.ms(u.p50Millis()),
                TrafficView.ms(u.p99Millis()));
    }

    /** Drops the windows with no request in the last minute. */
    public void sweep() {
        long now = clockMillis.getAsLong() / 1000;
        stages.values().removeIf(tenants -> {
            tenants.values().removeIf(w -> w.idleAt(now));
            return tenants.isEmpty();
        });
    }
}
