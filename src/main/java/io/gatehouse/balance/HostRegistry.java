package io.gatehouse.balance;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The durable state of every host of one scope, keyed by host URL, outliving any compiled balancer: in
 * the proxy one per gateway stage ({@link HostRegistries}), so a republish of the stage keeps its marks,
 * in-flight counts and latencies, while another gateway (or stage) on the same URLs has its own. Within
 * the scope, the stage's pool, its tenant pools and its resources' overrides share one state per URL:
 * their traffic goes through the same gateway stage, so a host that refuses one refuses the other.
 * Balancers resolve their hosts' {@link HostState}s once when built and read them at pick time; the
 * forwarder reports through {@link PoolSet#report}.
 *
 * <p>Active probe results are not here but in the process-wide {@link Probes} this registry points to.
 */
public final class HostRegistry {

    /** Hears passive marks take a host down, e.g. to re-admit it after a cool-down. */
    public interface PassiveListener {
        PassiveListener NONE = (registry, state) -> { };

        void down(HostRegistry registry, HostState state);
    }

    private final ConcurrentHashMap<String, HostState> states = new ConcurrentHashMap<>();
    private final String scope;
    private final Probes probes;
    private final PassiveListener listener;
    private final LongSupplier nanoClock;
    private final long epoch;
    private volatile Map<String, AdminState> admin = Map.of();

    /** A registry of its own (tests, tools): its own probe results, nobody re-admits passive downs. */
    public HostRegistry() {
        this(System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in nanoseconds; tests pass a settable one. */
    public HostRegistry(LongSupplier nanoClock) {
        this("", new Probes(), PassiveListener.NONE, nanoClock);
    }

    HostRegistry(String scope, Probes probes, PassiveListener listener, LongSupplier nanoClock) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.probes = Objects.requireNonNull(probes, "probes");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.epoch = nanoClock.getAsLong();
    }

    /** What this registry is the state of: {@code gateway/stage} in the proxy, "" for a standalone one. */
    public String scope() {
        return scope;
    }

    public Probes probes() {
        return probes;
    }

    /** The state of {@code url}, created (up, idle, untried) on first use. */
    public HostState state(String url) {
        HostState s = states.get(url);
        if (s != null) {
            return s;
        }
        return states.computeIfAbsent(url, u -> {
            HostState created = new HostState(u, nanoClock, epoch);
            created.admin(admin.getOrDefault(Host.configuredUrl(u), AdminState.ACTIVE));
            return created;
        });
    }

    /**
     * The operators' states of this scope's gateway (URL to state; absent is active), for the hosts known
     * now and those created later. A state set on a host name covers every address DNS found for it.
     */
    public void admin(Map<String, AdminState> byUrl) {
        admin = Map.copyOf(byUrl);
        states.forEach((url, state) -> state.admin(admin.getOrDefault(Host.configuredUrl(url), AdminState.ACTIVE)));
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
        if (s != null) {
            end(s, latencyNanos);
        }
    }

    void end(HostState s, long latencyNanos) {
        s.ended();
        if (latencyNanos >= 0) {
            s.recordLatency(latencyNanos);
        }
    }

    void passiveDown(HostState state) {
        listener.down(this, state);
    }

    /**
     * Forgets every host not in {@code urls} (after a publish, the hosts of the scope's live snapshot).
     * Optional housekeeping: a forgotten host that comes back starts fresh.
     */
    public void retainOnly(Collection<String> urls) {
        Set<String> keep = Set.copyOf(urls);
        states.keySet().removeIf(url -> !keep.contains(url));
    }

    /** How many hosts are known. */
    public int size() {
        return states.size();
    }

    public Map<String, HostState> view() {
        return Map.copyOf(states);
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }
}
