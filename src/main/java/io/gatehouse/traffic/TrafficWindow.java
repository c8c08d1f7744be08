package io.gatehouse.traffic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The live traffic of the last {@link #SECONDS} seconds per stage, group (the stage's own backend
 * config, or a resource's override), pool (default hosts or a tenant's) and host, in one-second
 * buckets: requests, 5xx answers and a latency histogram. One per process, fed by every proxy
 * instance in it; in memory only (Prometheus has the long view and every instance).
 *
 * <p>Recording is lock-free: three map reads, then atomic increments in the current second's slot of the
 * host's {@link SecondWindow}.
 */
public final class TrafficWindow {
    public static final int SECONDS = 60;
    /** Key of the stage's own backend config among the groups, and of the default hosts among the pools. */
    public static final String STAGE_CONFIG = "";
    public static final String DEFAULT_POOL = "";
    /** Key of the requests of a route that were sent to no host (503 no healthy host, or refused). */
    public static final String NO_HOST = "";
    /**
     * Key of the stage's requests that matched no route (404 no resource, 405 wrong method, 400 bad path):
     * counted apart from {@link #NO_HOST}, so a client's typo never reads as a backend outage.
     * Not a URL, so it never meets a host's key.
     */
    public static final String NO_ROUTE = "no-route";

    /** Upper bounds of the latency buckets in nanoseconds: 50 µs × 2^(i/3), up to ~14 min; the last is open. */
    static final long[] BOUNDS = new long[72];

    static {
        for (int i = 0; i < BOUNDS.length; i++) {
            BOUNDS[i] = (long) (50_000 * Math.pow(2, i / 3.0));
        }
    }

    private final LongSupplier clockMillis;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String,
            ConcurrentHashMap<String, SecondWindow>>>> stages = new ConcurrentHashMap<>();

    public TrafficWindow() {
        this(System::currentTimeMillis);
    }

    /** @param clockMillis wall clock in ms; tests pass a settable one */
    public TrafficWindow(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /**
     * One request of stage {@code stageKey}: {@code group} and {@code pool} null for the stage config and
     * the default hosts, {@code host} null when none was tried.
     */
    public void record(String stageKey, String group, String pool, String host, int status, long nanos) {
        long second = clockMillis.getAsLong() / 1000;
        var groups = child(stages, stageKey, k -> new ConcurrentHashMap<>());
        var pools = child(groups, group == null ? STAGE_CONFIG : group, k -> new ConcurrentHashMap<>());
        var hosts = child(pools, pool == null ? DEFAULT_POOL : pool, k -> new ConcurrentHashMap<>());
        String key = host != null ? host : status == 400 || status == 404 || status == 405 ? NO_ROUTE : NO_HOST;
        child(hosts, key, k -> new SecondWindow()).record(second, status, nanos);
    }

    /** A plain read first: computeIfAbsent may lock its bin even when the key is there. */
    static <V> V child(ConcurrentHashMap<String, V> map, String key,
                               java.util.function.Function<String, V> create) {
        V v = map.get(key);
        return v != null ? v : map.computeIfAbsent(key, create);
    }

    /** The window of {@code stageKey} now: group → pool → host → totals; empty when it had no traffic. */
    public Map<String, Map<String, Map<String, HostTraffic>>> read(String stageKey) {
        var groups = stages.get(stageKey);
        if (groups == null) {
            return Map.of();
        }
        long now = clockMillis.getAsLong() / 1000;
        Map<String, Map<String, Map<String, HostTraffic>>> out = new LinkedHashMap<>();
        groups.forEach((group, pools) -> {
            Map<String, Map<String, HostTraffic>> poolsOut = new LinkedHashMap<>();
            pools.forEach((pool, hosts) -> {
                Map<String, HostTraffic> hostsOut = new LinkedHashMap<>();
                hosts.forEach((host, w) -> {
                    SecondWindow.Totals t = w.read(now);
                    if (t.requests() > 0) {
                        hostsOut.put(host, new HostTraffic(t.requests(), t.errors(), t.p50Millis(), t.p99Millis(),
                                t.perSecond()));
                    }
                });
                if (!hostsOut.isEmpty()) {
                    poolsOut.put(pool, Collections.unmodifiableMap(hostsOut));
                }
            });
            if (!poolsOut.isEmpty()) {
                out.put(group, Collections.unmodifiableMap(poolsOut));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** Drops every host, pool, group and stage with no request in the window: memory follows live traffic. */
    public void sweep() {
        long now = clockMillis.getAsLong() / 1000;
        stages.values().removeIf(groups -> {
            groups.values().removeIf(pools -> {
                pools.values().removeIf(hosts -> {
                    hosts.values().removeIf(w -> w.idleAt(now));
                    return hosts.isEmpty();
                });
                return pools.isEmpty();
            });
            return groups.isEmpty();
        });
    }

    /**
     * One host's last minute.
     *
     * @param perSecond requests in each second, oldest first, the current (partial) second last
     */
    public record HostTraffic(long requests, long errors, double p50Millis, double p99Millis, long[] perSecond) {
    }

    /** The bucket of a latency: binary search over {@link #BOUNDS}; the last bucket is open. */
    static int bucket(long nanos) {
        int lo = 0;
        int hi = BOUNDS.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nanos <= BOUNDS[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /**
     * The q-quantile in ms, as the upper bound of the bucket it falls in (so within 26 % above the true
     * value, as Prometheus' histogram_quantile is within its bucket); NaN without samples.
     */
    static double quantile(long[] buckets, double q) {
        long total = 0;
        for (long b : buckets) {
            total += b;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= rank) {
                return (i < BOUNDS.length ? BOUNDS[i] : BOUNDS[BOUNDS.length - 1]) / 1e6;
            }
        }
        return BOUNDS[BOUNDS.length - 1] / 1e6;
    }
}
