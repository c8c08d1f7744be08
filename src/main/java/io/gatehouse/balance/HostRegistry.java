package io.gatehouse.balance;

import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The process-wide state of every host, keyed by host URL, outliving any compiled balancer: one per
 * proxy process. Balancers resolve their hosts' {@link HostState}s once when built and read them at
 * pick time; the proxy reports how requests went here (or through {@link Balancer#onStart} /
 * {@link Balancer#onEnd}, which delegate here) and the health checker marks hosts via
 * {@link #state(String)}.
 *
 * <p>A host in several pools (a tenant pool and the default hosts, or two stages) has one state: its
 * connections and health are facts about the host, not about a pool.
 */
public final class HostRegistry {

    private final ConcurrentHashMap<String, HostState> states = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;
    private final long epoch;

    public HostRegistry() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds; tests pass a settable one. */
    public HostRegistry(LongSupplier nanoClock) {
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.epoch = nanoClock.getAsLong();
    }

    /** The state of {@code url}, created (up, idle, untried) on first use. */
    public HostState state(String url) {
        HostState s = states.get(url);
        if (s != null) {
            return s;
        }
        return states.computeIfAbsent(url, u -> new HostState(u, nanoClock, epoch));
    }

    /** The state of {@code url} if known, else null; never creates. */
    public HostState find(String url) {
        return states.get(url);
    }

    /** A request to {@code host} starts: in-flight + 1. Call exactly once per attempt, before {@link #onEnd}. */
    public void onStart(Host host) {
        state(host.url()).started();
    }

    /**
     * A request to {@code host} ended after {@code latencyNanos} (to the response head, or to the
     * failure): in-flight − 1 and the latency folded into the EWMA. A negative latency only ends the
     * request (an attempt cancelled before it reached the host says nothing about its speed).
     */
    public void onEnd(Host host, long latencyNanos) {
        HostState s = states.get(host.url());
        if (s == null) {
            return; // forgotten meanwhile (retainOnly); nothing to count down
        }
        s.ended();
        if (latencyNanos >= 0) {
            s.recordLatency(latencyNanos);
        }
    }

    /**
     * Forgets every host not in {@code urls} (e.g. after a publish, the union of hosts of all live
     * snapshots). Optional housekeeping: a forgotten host that comes back starts fresh.
     */
    public void retainOnly(Collection<String> urls) {
        Set<String> keep = Set.copyOf(urls);
        states.keySet().removeIf(url -> !keep.contains(url));
    }

    /** How many hosts are known. */
    public int size() {
        return states.size();
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }
}
