package io.gatehouse.traffic;

import io.gatehouse.balance.Balancer;
import io.gatehouse.balance.BalancerType;
import io.gatehouse.balance.Host;
import io.gatehouse.balance.HostState;
import io.gatehouse.balance.HostStatus;
import io.gatehouse.proxy.DnsDiscovery;
import io.gatehouse.proxy.Route;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.Upstream;
import io.gatehouse.traffic.TrafficWindow.HostTraffic;
import io.quarkus.qute.TemplateData;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the console's traffic view shows for one stage: per group (the stage's backend config, then
 * each resource with an override) and per pool (default hosts, then each tenant pool), a row per host
 * with the live config (weight, configured share, health and since when) next to the last minute's
 * traffic (requests, actual share, errors, p50/p99, requests per second).
 *
 * @param published false when this instance serves no release of the stage
 * @param release   the number of the release this instance serves, {@link StageSnapshot#NO_RELEASE} when none
 */
@TemplateData
public record TrafficView(boolean published, int release, List<Group> groups, long total, List<NameRow> names) {

    /**
     * A host name of the stage that DNS discovery resolves, as this instance sees it now.
     *
     * @param addresses the addresses its hosts are members on now (the last good set when {@code stale})
     * @param stale     the last lookup failed: the last good set is served (or, never resolved, none)
     * @param note      what the console says of it: when it was answered, or when and why its lookup failed
     */
    @TemplateData
    public record NameRow(String name, List<String> addresses, boolean stale, String note) {
    }

    @TemplateData
    public record Group(String key, String title, String type, List<Pool> pools) {
    }

    @TemplateData
    /**
     * @param noRoute the stage's requests that matched no resource or method (404/405/400), never a host's fault
     * @param panic   the pool is in panic: below its panic_threshold, spread over all its hosts
     * @param tierInUse the priority of the failover tier that gets the traffic now, or null when the pool has one tier
     */
    public record Pool(String key, String title, long requests, long noHost, List<HostRow> hosts, long noRoute,
                       boolean panic, Integer tierInUse) {
    }

    /**
     * @param configured false for a host that served traffic in the window but is not in the live config
     * @param health     "up", "down", or "" when not configured
     * @param admin      the operator's state ("active", "draining", "disabled"), "" when not configured
     * @param inFlight   requests in flight to it on this instance now (a draining host's count falls to 0)
     * @param hostUrl    the configured host URL the row stands for (the row's url without a discovered address)
     * @param address    the address DNS discovery found for the host's name, "" for a host connected to as is
     * @param weightPercent the share of its weight it gets now: below 100 while it ramps up (slow start)
     * @param tier       "" in a pool of one tier, else "in use" or "standby" (its priority is not the tier in use)
     */
    @TemplateData
    public record HostRow(String url, boolean configured, int weight, String configuredShare, String actualShare,
                          double actualWidth, double configuredX, long requests, long errors, String p50,
                          String p99, String health, String since, String sparkPoints, String admin, int inFlight,
                          String hostUrl, String address, int weightPercent, int priority, String tier) {
    }

    static final int BAR_WIDTH = 160;
    static final int SPARK_WIDTH = 120;
    static final int SPARK_HEIGHT = 24;

    /** Builds the view from this instance's live snapshot (null when unpublished) and the window. */
    public static TrafficView of(StageSnapshot snapshot, Map<String, Map<String, Map<String, HostTraffic>>> window,
                                 long nowMillis) {
        return of(snapshot, window, nowMillis, Map.of());
    }

    /** As above, with what DNS discovery says of the stage's host names ({@code resolutions}: name to resolution). */
    public static TrafficView of(StageSnapshot snapshot, Map<String, Map<String, Map<String, HostTraffic>>> window,
                                 long nowMillis, Map<String, DnsDiscovery.Resolution> resolutions) {
        Map<String, Map<String, Map<String, HostTraffic>>> left = new LinkedHashMap<>();
        window.forEach((g, pools) -> left.put(g, new LinkedHashMap<>(pools)));
        List<Group> groups = new ArrayList<>();
        if (snapshot != null) {
            Upstream stageUp = snapshot.stageUpstream(); // null when the stage's config did not compile
            if (stageUp != null) {
                groups.add(group(TrafficWindow.STAGE_CONFIG, "Stage backend config", stageUp,
                        left.remove(TrafficWindow.STAGE_CONFIG), nowMillis));
            }
            for (Route r : new TreeMap<>(snapshot.routes()).values()) {
                if (r.upstream() != stageUp) {
                    groups.add(group(r.name(), "Override of resource " + r.name(), r.upstream(), left.remove(r.name()), nowMillis));
                }
            }
        }
        left.forEach((g, pools) -> groups.add(group(g, g.isEmpty() ? "Stage backend config (no longer live)"
                : "Resource " + g + " (no longer live)", null, pools, nowMillis)));
        long total = 0;
        for (Group g : groups) {
            for (Pool p : g.pools()) {
                total += p.requests() + p.noHost() + p.noRoute();
            }
        }
        return new TrafficView(snapshot != null, snapshot == null ? StageSnapshot.NO_RELEASE : snapshot.release(), groups, total,
                names(snapshot, resolutions, nowMillis));
    }

    private static List<NameRow> names(StageSnapshot snapshot, Map<String, DnsDiscovery.Resolution> resolutions,
                                       long nowMillis) {
        List<NameRow> rows = new ArrayList<>();
        if (snapshot == null) {
            return rows;
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        snapshot.upstreams().forEach(up -> names.addAll(up.live().names()));
        for (String name : names) {
            DnsDiscovery.Resolution r = resolutions.get(name);
            if (r == null) {
                rows.add(new NameRow(name, List.of(), true, "not answered yet"));
            } else if (r.stale()) {
                rows.add(new NameRow(name, r.addresses(), true, "last lookup failed at " + clock(r.failedAtMillis())
                        + " (" + r.error() + "), " + (r.addresses().isEmpty()
                        ? "never resolved: its hosts get no traffic" : "serving the last good set")));
            } else {
                rows.add(new NameRow(name, r.addresses(), false, "answered " + ago(nowMillis - r.resolvedAtMillis())
                        + " ago, re-resolved as its TTL says"));
            }
        }
        return rows;
    }

    private static String clock(long epochMillis) {
        return java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'", Locale.ROOT)
                .format(java.time.Instant.ofEpochMilli(epochMillis).atZone(java.time.ZoneOffset.UTC));
    }

    private static Group group(String key, String title, Upstream up, Map<String, Map<String, HostTraffic>> traffic,
                               long nowMillis) {
        Map<String, Map<String, HostTraffic>> left = traffic == null ? new LinkedHashMap<>() : new LinkedHashMap<>(traffic);
        List<Pool> pools = new ArrayList<>();
        if (up != null) {
            pools.add(pool(TrafficWindow.DEFAULT_POOL, "Default hosts", up.pools().defaults(),
                    left.remove(TrafficWindow.DEFAULT_POOL), nowMillis));
            new TreeMap<>(up.pools().tenantPools()).forEach((tenant, balancer) ->
                    pools.add(pool(tenant, "Tenant pool " + tenant, balancer, left.remove(tenant), nowMillis)));
        }
        left.forEach((p, hosts) -> pools.add(pool(p, p.isEmpty() ? "Default hosts" : "Tenant pool " + p, null, hosts,
                nowMillis)));
        return new Group(key.isEmpty() ? "stage" : key, title, up == null ? "" : up.pools().defaults().type().wireName(), pools);
    }

    private static Pool pool(String key, String title, Balancer balancer, Map<String, HostTraffic> traffic,
                             long nowMillis) {
        Map<String, HostTraffic> left = traffic == null ? new LinkedHashMap<>() : new LinkedHashMap<>(traffic);
        HostTraffic none = left.remove(TrafficWindow.NO_HOST);
        HostTraffic unrouted = left.remove(TrafficWindow.NO_ROUTE);
        long sum = 0;
        for (HostTraffic t : left.values()) {
            sum += t.requests();
        }
        long served = sum;
        List<HostRow> rows = new ArrayList<>();
        Integer tierInUse = null;
        if (balancer != null) {
            long weights = 0;
            java.util.Set<Integer> priorities = new java.util.HashSet<>();
            for (Host h : balancer.hosts()) {
                weights += h.weight();
                priorities.add(h.priority());
            }
            tierInUse = priorities.size() > 1 ? balancer.priorityInUse() : null;
            int n = balancer.hosts().size();
            for (int i = 0; i < n; i++) {
                Host h = balancer.hosts().get(i);
                double configured = balancer.type() == BalancerType.ROUND_ROBIN ? 1.0 / n : (double) h.weight() / weights;
                HostStatus status = balancer.status(i);
                boolean up = status.up();
                String since = ago(nowMillis - status.sinceMillis());
                HostState state = balancer.registry().find(h.url());
                String tier = tierInUse == null ? "" : h.priority() == tierInUse ? "in use" : "standby";
                rows.add(row(h, true, h.weight(), configured, left.remove(h.url()), served, up ? "up" : "down", since,
                        state == null ? "active" : state.admin().wireName(), state == null ? 0 : state.inFlight(),
                        balancer.weightPercent(i), tier));
            }
        }
        left.forEach((url, t) -> rows.add(row(null, url, false, 0, 0, t, served, "", "", "", 0, 100, "")));
        return new Pool(key.isEmpty() ? "default" : key, title, served, none == null ? 0 : none.requests(), rows,
                unrouted == null ? 0 : unrouted.requests(), balancer != null && balancer.inPanic(), tierInUse);
    }

    private static HostRow row(Host h, boolean configured, int weight, double configuredShare, HostTraffic t,
                               long poolRequests, String health, String since, String admin, int inFlight,
                               int weightPercent, String tier) {
        return row(h, h.url(), configured, weight, configuredShare, t, poolRequests, health, since, admin, inFlight,
                weightPercent, tier);
    }

    private static HostRow row(Host h, String url, boolean configured, int weight, double configuredShare, HostTraffic t,
                               long poolRequests, String health, String since, String admin, int inFlight,
                               int weightPercent, String tier) {
        long requests = t == null ? 0 : t.requests();
        double actual = poolRequests == 0 ? 0 : (double) requests / poolRequests;
        return new HostRow(url, configured, weight, configured ? pct(configuredShare) : "–",
                poolRequests == 0 ? "–" : pct(actual), round(actual * BAR_WIDTH), round(configuredShare * BAR_WIDTH),
                requests, t == null ? 0 : t.errors(), ms(t == null ? Double.NaN : t.p50Millis()),
                ms(t == null ? Double.NaN : t.p99Millis()), health, since, spark(t), admin, inFlight,
                h == null ? Host.configuredUrl(url) : h.configuredUrl(), h == null || h.address() == null ? ""
                : h.address(), weightPercent, h == null ? 0 : h.priority(), tier);
    }

    /** Polyline points of requests per second over the window, scaled to the busiest second. */
    static String spark(HostTraffic t) {
        long[] perSecond = t == null ? new long[TrafficWindow.SECONDS] : t.perSecond();
        long max = 1;
        for (long v : perSecond) {
            max = Math.max(max, v);
        }
        StringBuilder b = new StringBuilder(perSecond.length * 10);
        double step = (double) SPARK_WIDTH / (perSecond.length - 1);
        for (int i = 0; i < perSecond.length; i++) {
            double y = (SPARK_HEIGHT - 2) - (SPARK_HEIGHT - 4) * (double) perSecond[i] / max;
            b.append(i == 0 ? "" : " ").append(fmt(i * step)).append(',').append(fmt(y));
        }
        return b.toString();
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "–";
        }
        return millis < 10 ? String.format(Locale.ROOT, "%.2f ms", millis)
                : millis < 1000 ? String.format(Locale.ROOT, "%.0f ms", millis)
                : String.format(Locale.ROOT, "%.1f s", millis / 1000);
    }

    /** "42s", "5m 3s", "2h 10m", "3d 4h". */
    static String ago(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        if (d.toMinutes() < 1) {
            return d.toSeconds() + "s";
        }
        if (d.toHours() < 1) {
            return d.toMinutes() + "m " + d.toSecondsPart() + "s";
        }
        if (d.toDays() < 1) {
            return d.toHours() + "h " + d.toMinutesPart() + "m";
        }
        return d.toDays() + "d " + d.toHoursPart() + "h";
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String fmt(double v) {
        return Double.toString(round(v));
    }
}
