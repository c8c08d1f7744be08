package io.gatehouse.traffic;

import io.gatehouse.balance.Balancer;
import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.SnapshotStore;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.Upstream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The proxy's Micrometer meters (Prometheus names in docs/operations.md):
 * <ul>
 * <li>{@code gatehouse_proxy_requests_total{gateway,stage,resource,host,tenant,status}}: requests by
 *     status class ({@code 2xx} … {@code 5xx}; {@code 4xx} includes 499, client gone);</li>
 * <li>{@code gatehouse_proxy_request_duration_seconds{gateway,stage,resource,host,tenant}}: a histogram
 *     with fixed buckets (1 ms … 30 s), so Prometheus computes p50/p99 over any instances; WebSocket
 *     sessions (101) are counted in the requests but not timed here;</li>
 * <li>{@code gatehouse_proxy_host_up{gateway,stage,host}}: 1 up, 0 down, for every published host (down
 *     when any pool of the stage that has it sees it down, by passive marks or its probe);</li>
 * <li>{@code gatehouse_proxy_pool_panic{gateway,stage,pool}}: 1 while the pool is in panic (below its
 *     {@code panic_threshold} of healthy weight, so spread over all its hosts), else 0; pool is
 *     {@code default} or {@code tenant:<name>}, prefixed {@code <resource>:} for a resource's override;</li>
 * <li>{@code gatehouse_proxy_panic_requests_total{gateway,stage}}: attempts sent while their pool was in panic;</li>
 * <li>{@code gatehouse_release_propagation_seconds{gateway,stage}}: release created → applied here.</li>
 * </ul>
 * Labels are bounded by the configuration, never by clients: resource is a resource name, host a
 * configured host URL, tenant a configured tenant pool's name; anything else is {@value #NONE} (a
 * request for an unknown gateway or stage has every label {@value #NONE}).
 *
 * <p>Recording costs one small key, a map read and two lock-free meter updates. When a snapshot swaps,
 * the series of stages, resources and hosts that are no longer published are removed.
 */
public final class TrafficMetrics {
    public static final String REQUESTS = "gatehouse.proxy.requests";
    public static final String DURATION = "gatehouse.proxy.request.duration";
    public static final String HOST_UP = "gatehouse.proxy.host.up";
    public static final String POOL_PANIC = "gatehouse.proxy.pool.panic";
    public static final String PANIC_REQUESTS = "gatehouse.proxy.panic.requests";
    public static final String PROPAGATION = "gatehouse.release.propagation";
    public static final String NONE = "(none)";
    private static final String[] CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final int SWITCHING_PROTOCOLS = 101;

    static final Duration[] LATENCY_BUCKETS = millis(1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            30_000);
    static final Duration[] PROPAGATION_BUCKETS = millis(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
            30_000);

    private record SeriesKey(String gateway, String stage, String resource, String host, String tenant) {
    }

    private record HostKey(String gateway, String stage, String host) {
    }

    private record PoolKey(String gateway, String stage, String pool) {
    }

    /** A host's place in one pool: the gauge reads its health there. */
    private record Member(Balancer pool, int index) {
    }

    /** The meters of one label set; counters per status class made on first use. */
    private final class Series {
        final SeriesKey key;
        final Timer duration;
        final AtomicReferenceArray<Counter> counters = new AtomicReferenceArray<>(CLASSES.length);

        Series(SeriesKey key) {
            this.key = key;
            this.duration = Timer.builder(DURATION).description("Proxied requests, from arrival to response end")
                    .tags(tags(key)).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        }

        Counter counter(int statusClass) {
            Counter c = counters.get(statusClass);
            if (c == null) {
                // Registration is idempotent: a racing second call gets the same counter back.
                c = Counter.builder(REQUESTS).description("Proxied requests by status class").tags(tags(key))
                        .tag("status", CLASSES[statusClass]).register(registry);
                counters.set(statusClass, c);
            }
            return c;
        }

        void remove() {
            registry.remove(duration);
            for (int i = 0; i < CLASSES.length; i++) {
                Counter c = counters.get(i);
                if (c != null) {
                    registry.remove(c);
                }
            }
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<SeriesKey, Series> series = new ConcurrentHashMap<>();
    private final Map<HostKey, Gauge> gauges = new HashMap<>(); // guarded by this
    private final Map<PoolKey, Gauge> panicGauges = new HashMap<>(); // guarded by this
    private final ConcurrentHashMap<String, Counter> panicRequests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Timer> propagation = new ConcurrentHashMap<>();

    public TrafficMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(ProxiedRequest r) {
        boolean staged = r.gateway() != null;
        SeriesKey key = new SeriesKey(staged ? r.gateway() : NONE, staged ? r.stage() : NONE, orNone(r.resource()),
                orNone(r.host()), orNone(r.tenantPool()));
        Series s = series.get(key);
        if (s == null) {
            s = series.computeIfAbsent(key, Series::new);
        }
        s.counter(statusClass(r.status())).increment();
        if (r.status() != SWITCHING_PROTOCOLS) {
            // A WebSocket session's duration is how long it stayed open, not a latency: in the histogram it
            // would turn every p99 into "how long do chats last".
            s.duration.record(r.durationNanos(), TimeUnit.NANOSECONDS);
        }
        if (r.panic()) {
            panicRequests.computeIfAbsent(key.gateway() + "/" + key.stage(), k -> Counter.builder(PANIC_REQUESTS)
                    .description("Requests sent to a pool in panic (spread over unhealthy hosts too)")
                    .tags("gateway", key.gateway(), "stage", key.stage()).register(registry)).increment();
        }
    }

    public void releaseApplied(String gateway, String stage, Duration took) {
        propagation.computeIfAbsent(StageSnapshot.key(gateway, stage), k -> Timer.builder(PROPAGATION)
                        .description("From a release's creation in the database to this instance serving it")
                        .tags("gateway", gateway, "stage", stage).serviceLevelObjectives(PROPAGATION_BUCKETS)
                        .register(registry))
                .record(took.isNegative() ? Duration.ZERO : took);
    }

    /** Follows the application's live snapshots: health gauges per published host, and series clean-up. */
    public void watch(SnapshotStore store) {
        store.addListener(this::published);
    }

    synchronized void published(SnapshotStore store) {
        Map<HostKey, List<Member>> wanted = new HashMap<>();
        Map<PoolKey, Balancer> pools = new HashMap<>();
        Map<String, Set<String>> resources = new HashMap<>();
        Map<String, Set<String>> hosts = new HashMap<>();
        for (StageSnapshot s : store.all()) {
            Set<String> stageHosts = new HashSet<>();
            for (Upstream up : s.upstreams()) {
                String prefix = up == s.stageUpstream() ? "" : firstResource(s, up) + ":";
                pools.put(new PoolKey(s.gateway(), s.stage(), prefix + "default"), up.pools().defaults());
                up.pools().tenantPools().forEach((tenant, b) ->
                        pools.put(new PoolKey(s.gateway(), s.stage(), prefix + "tenant:" + tenant), b));
                for (Balancer b : allPools(up)) {
                    for (int i = 0; i < b.hosts().size(); i++) {
                        String url = b.hosts().get(i).url();
                        wanted.computeIfAbsent(new HostKey(s.gateway(), s.stage(), url), k -> new ArrayList<>())
                                .add(new Member(b, i));
                        stageHosts.add(url);
                    }
                }
            }
            resources.put(s.key(), s.routes().keySet());
            hosts.put(s.key(), stageHosts);
        }
        panicGauges.values().forEach(registry::remove);
        panicGauges.clear();
        pools.forEach((k, b) -> panicGauges.put(k, Gauge.builder(POOL_PANIC, b, p -> p.inPanic() ? 1 : 0)
                .description("1 while the pool is below its panic_threshold and spreads over all its hosts")
                .tags("gateway", k.gateway(), "stage", k.stage(), "pool", k.pool()).strongReference(true)
                .register(registry)));
        // Re-registered on every publish: a gauge holds the pools of the snapshot it was built for.
        gauges.values().forEach(registry::remove);
        gauges.clear();
        wanted.forEach((k, members) -> gauges.put(k, Gauge.builder(HOST_UP, List.copyOf(members), TrafficMetrics::up)
                .description("1 while the host is up (active and passive checks), else 0")
                .tags("gateway", k.gateway(), "stage", k.stage(), "host", k.host()).strongReference(true)
                .register(registry)));
        series.values().removeIf(s -> {
            SeriesKey k = s.key;
            if (k.gateway().equals(NONE)) {
                return false;
            }
            String stageKey = StageSnapshot.key(k.gateway(), k.stage());
            Set<String> liveResources = resources.get(stageKey);
            boolean live = liveResources != null
                    && (k.resource().equals(NONE) || liveResources.contains(k.resource()))
                    && (k.host().equals(NONE) || hosts.get(stageKey).contains(k.host()));
            if (!live) {
                s.remove();
            }
            return !live;
        });
        propagation.entrySet().removeIf(e -> {
            if (resources.containsKey(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue());
            return true;
        });
    }

    private static double up(List<Member> members) {
        for (Member m : members) {
            if (!m.pool().status(m.index()).up()) {
                return 0;
            }
        }
        return 1;
    }

    private static List<Balancer> allPools(Upstream up) {
        List<Balancer> all = new ArrayList<>();
        all.add(up.pools().defaults());
        all.addAll(new java.util.TreeMap<>(up.pools().tenantPools()).values());
        return all;
    }

    /** The first resource (by name) that uses {@code up}: names an override's pools in the metrics. */
    private static String firstResource(StageSnapshot s, Upstream up) {
        return s.routes().values().stream().filter(r -> r.upstream() == up).map(io.gatehouse.proxy.Route::name)
                .sorted().findFirst().orElse("override");
    }

    private static Iterable<io.micrometer.core.instrument.Tag> tags(SeriesKey k) {
        return io.micrometer.core.instrument.Tags.of("gateway", k.gateway(), "stage", k.stage(), "resource",
                k.resource(), "host", k.host(), "tenant", k.tenant());
    }

    /** 1xx → 0 … 5xx → 4; anything outside 100–599 counts as 5xx. */
    static int statusClass(int status) {
        int c = status / 100;
        return c >= 1 && c <= 5 ? c - 1 : 4;
    }

    private static String orNone(String s) {
        return s == null ? NONE : s;
    }

    private static Duration[] millis(double... ms) {
        Duration[] out = new Duration[ms.length];
        for (int i = 0; i < ms.length; i++) {
            out[i] = Duration.ofNanos((long) (ms[i] * 1_000_000));
        }
        return out;
    }
}
