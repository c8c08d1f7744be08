package io.gatehouse.proxy;

import io.gatehouse.stage.BackendHost;
import io.gatehouse.balance.HostRegistries;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.common.HostUrl;
import io.netty.resolver.HostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * DNS discovery of backend hosts for one proxy instance: which host names are discovered, their addresses
 * ({@link Addresses}, read by the compiler), and the pools that follow them without a release.
 *
 * <p>A host named by a domain is discovered; an IP literal, and a name the hosts file knows (e.g.
 * {@code localhost}), is connected to as is, exactly as before discovery existed. A release's names are
 * resolved before it is compiled ({@link #prepare}, a bounded wait on the sync thread, never an event loop),
 * then re-resolved as their TTL says ({@link DnsDiscovery}, Netty's asynchronous resolver on one of the
 * proxy's Vert.x event loops: Vert.x's own {@code DnsClient} does not return TTLs). A changed set rebuilds the
 * pools that name it ({@link LivePools#refresh}) on a thread of its own, under {@link #lock()}, which the
 * instance also holds while it compiles and applies a release, so the registry never forgets the state of a
 * member that a pool being swapped in holds. Then the store's listeners hear of it
 * ({@link SnapshotStore#membersChanged()}): probes, metrics and the registry follow.
 */
public final class HostDiscovery implements Addresses, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HostDiscovery.class);

    /** How long a release waits for its new names' first answers: more than the resolver's 2 s query timeout. */
    static final long FIRST_ANSWER_WAIT_MS = 5_000;

    /** A discovered name asked about before its first answer: no address yet. */
    private static final DnsDiscovery.Resolution NOT_YET =
            new DnsDiscovery.Resolution(List.of(), true, "no answer yet", 0, 0);

    private final DnsDiscovery dns;
    private final SnapshotStore store;
    private final HostRegistries registries;
    private final Object lock = new Object();
    private final ExecutorService refresher;
    private final java.util.function.Consumer<SnapshotStore> listener = this::followStore;

    /** @param servers DNS servers ({@code gatehouse.dns.servers}); empty for the system's resolvers */
    public HostDiscovery(Vertx vertx, List<InetSocketAddress> servers, SnapshotStore store, HostRegistries registries,
                         String instanceId) {
        this(vertx, servers, store, registries, instanceId, Duration.ofSeconds(2), DnsDiscovery.RETRY_S);
    }

    /** With DnsDiscovery's query timeout and retry given, for ProxyFixture. */
    HostDiscovery(Vertx vertx, List<InetSocketAddress> servers, SnapshotStore store, HostRegistries registries,
                  String instanceId, Duration queryTimeout, long retrySeconds) {
        this.store = store;
        this.registries = registries;
        this.refresher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-dns-" + instanceId);
            t.setDaemon(true);
            return t;
        });
        this.dns = new DnsDiscovery(vertx.nettyEventLoopGroup().next(), servers, name -> refresher.execute(this::refresh),
                queryTimeout, retrySeconds);
    }

    /** Follows the store: watches exactly the names its live snapshots use. Call once. */
    public void start() {
        store.addListener(listener);
    }

    /** Whether {@code host} (as in a canonical host URL) is resolved by discovery rather than connected to as is. */
    public static boolean discovered(String host) {
        return DnsDiscovery.isName(host)
                && HostsFileEntriesResolver.DEFAULT.address(host, ResolvedAddressTypes.IPV4_PREFERRED) == null;
    }

    @Override
    public DnsDiscovery.Resolution of(String host) {
        if (!discovered(host)) {
            return null;
        }
        DnsDiscovery.Resolution r = dns.resolution(host);
        return r != null ? r : NOT_YET;
    }

    /** Every discovered name's resolution now, by name. */
    public Map<String, DnsDiscovery.Resolution> resolutions() {
        return dns.all();
    }

    /** Lookups that failed and kept the last good set (or left a name with none). */
    public long failures() {
        return dns.failures();
    }

    /** Names served from their last good set (or with none) because their lookups fail. */
    public long staleNames() {
        return dns.staleNames();
    }

    /** Held while a release is compiled and applied, and while a DNS change rebuilds pools. */
    public Object lock() {
        return lock;
    }

    /**
     * Resolves the discovered names of a release's backend configs (the stage's, its tenant pools, the resources'
     * overrides for {@code stage}) that are not watched yet, waiting for their first answers up to
     * {@value #FIRST_ANSWER_WAIT_MS} ms, so the release is served on its addresses from the first request. A name
     * that has not answered by then has no member until it does.
     */
    public void prepare(String stage, BackendConfig backend, Map<String, ResourceSpec> resources) {
        Set<String> names = new HashSet<>();
        List<BackendConfig> configs = new ArrayList<>();
        configs.add(backend);
        resources.values().forEach(r -> {
            if (r.overrides() != null && r.overrides().get(stage) != null) {
                configs.add(r.overrides().get(stage));
            }
        });
        for (BackendConfig c : configs) {
            if (c == null) {
                continue;
            }
            names(c.hosts(), names);
            if (c.tenantPools() != null) {
                c.tenantPools().values().forEach(pool -> names(pool, names));
            }
        }
        if (names.isEmpty()) {
            return;
        }
        var first = dns.add(names);
        if (Context.isOnEventLoopThread()) {
            return; // never wait on an event loop; the pools follow when the answers come
        }
        try {
            first.get(FIRST_ANSWER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("DNS: no first answer for %s within %d ms; such a host gets traffic once it resolves", names,
                    FIRST_ANSWER_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debugf("DNS first answers: %s", e.getMessage());
        }
    }

    private static void names(List<BackendHost> hosts, Set<String> into) {
        if (hosts == null) {
            return;
        }
        for (BackendHost h : hosts) {
            if (h == null || HostUrl.problem(h.url()) != null) {
                continue; // the compiler names it
            }
            String host = HostUrl.parse(h.url()).host();
            if (discovered(host)) {
                into.add(host);
            }
        }
    }

    /** After every apply or remove: watch exactly the names live snapshots use (new ones start resolving). */
    private void followStore(SnapshotStore s) {
        Set<String> names = new HashSet<>();
        for (StageSnapshot snapshot : s.all()) {
            for (Upstream up : snapshot.upstreams()) {
                names.addAll(up.live().names());
            }
        }
        dns.retain(names);
        dns.add(names);
    }

    /** A name's addresses changed: rebuild the pools that use it, and tell the store's listeners. */
    private void refresh() {
        try {
            synchronized (lock) {
                boolean any = false;
                for (StageSnapshot snapshot : store.all()) {
                    boolean changed = false;
                    for (Upstream up : snapshot.upstreams()) {
                        changed |= up.live().refresh(this);
                    }
                    if (changed) {
                        // An address that went away is forgotten, so one that appears (again) ramps up with slow start.
                        registries.of(snapshot.gateway(), snapshot.stage()).retainOnly(SnapshotStore.hostUrls(snapshot));
                        any = true;
                    }
                }
                if (any) {
                    store.membersChanged();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("DNS: rebuilding pools after an address change failed", e);
        }
    }

    @Override
    public void close() {
        store.removeListener(listener);
        dns.close();
        refresher.shutdownNow();
    }
}
