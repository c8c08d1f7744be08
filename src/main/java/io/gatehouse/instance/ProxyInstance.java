package io.gatehouse.instance;

import io.gatehouse.proxy.ClientConnectionStats;
import io.gatehouse.proxy.HealthChecker;
import io.gatehouse.proxy.HostDiscovery;
import io.gatehouse.proxy.ProxyObserver;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.ProxyServer;
import io.gatehouse.proxy.RouteCompiler;
import io.gatehouse.proxy.SnapshotStore;
import io.gatehouse.proxy.StageSnapshot;
import io.gatehouse.proxy.Tenants;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.balance.AdminState;
import io.gatehouse.balance.HostRegistries;
import io.gatehouse.release.Receipts;
import io.gatehouse.release.HostHealthWriter;
import io.gatehouse.release.ReleaseListener;
import io.gatehouse.release.ReleaseSync;
import io.gatehouse.tenant.TenantSync;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One serving instance of the data plane: host registry, snapshot store, health checker, proxy server,
 * and the release sync that feeds them (boot load, LISTEN, poll and heartbeat). The application runs
 * one (see ProxyRuntime); a test can run several against one database, as separate instances would.
 */
public final class ProxyInstance implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProxyInstance.class);

    /**
     * What an instance needs besides its Vert.x and database.
     *
     * @param dnsServers the DNS servers that discover host names ({@code gatehouse.dns.servers}); empty for the
     *                   system's resolvers
     */
    public record Settings(String instanceId, String mode, ProxyOptions options, Duration passiveCooldown,
                           Duration pollInterval, boolean listen, List<InetSocketAddress> dnsServers) {
        public Settings {
            dnsServers = dnsServers == null ? List.of() : List.copyOf(dnsServers);
        }

        /** With the system's resolvers. */
        public Settings(String instanceId, String mode, ProxyOptions options, Duration passiveCooldown,
                        Duration pollInterval, boolean listen) {
            this(instanceId, mode, options, passiveCooldown, pollInterval, listen, List.of());
        }
    }

    private final HostRegistries registries;
    private final SnapshotStore store = new SnapshotStore();
    private final HealthChecker health;
    private final HostDiscovery discovery;
    private final ReleaseSync sync;
    private final Tenants tenants;
    private final TenantSync tenantSync;
    private final HostHealthWriter healthWriter;
    private final ProxyServer server;
    private final ScheduledExecutorService poller;
    private ReleaseListener listener;
    private boolean pollFailing; // only the poller thread reads and writes it

    private ProxyInstance(Vertx vertx, DataSource db, ObjectMapper mapper, Settings settings, ProxyObserver observer)
            throws IOException {
        this.health = new HealthChecker(vertx, settings.passiveCooldown(), settings.options().backendTrust());
        this.registries = new HostRegistries(health);
        this.discovery = new HostDiscovery(vertx, settings.dnsServers(), store, registries, settings.instanceId());
        this.sync = new ReleaseSync(db, mapper, settings.instanceId(), settings.mode(), new ReleaseSync.Applier() {
            @Override
            public void apply(ReleaseSync.LoadedRelease r) {
                discovery.prepare(r.stage(), r.backend(), r.resources());
                StageSnapshot snapshot;
                synchronized (discovery.lock()) {
                    snapshot = RouteCompiler.compile(r.gateway(), r.stage(), r.number(),
                            r.backend(), r.resources(), registries, discovery);
                    store.apply(snapshot);
                }
                if (!snapshot.problems().isEmpty()) {
                    LOG.warnf("release %d of %s/%s compiled with problems: %s", r.number(), r.gateway(), r.stage(),
                            snapshot.problems());
                }
                if (store.loaded()) {
                    // Only publishes seen live: the boot load would measure the age of old releases.
                    observer.releaseApplied(r.gateway(), r.stage(), Duration.between(r.createdAt(), Instant.now()));
                }
            }

            @Override
            public void remove(String gateway, String stage) {
                synchronized (discovery.lock()) {
                    store.remove(gateway, stage);
                }
            }

            @Override
            public void hostStates(Map<String, Map<String, AdminState>> byGateway) {
                registries.admin(byGateway);
            }
        });
        this.healthWriter = new HostHealthWriter(db, settings.instanceId());
        this.tenants = new Tenants(vertx);
        this.tenantSync = new TenantSync(db, tenants::apply);
        this.server = new ProxyServer(vertx, store, concretePort(settings.options()), observer, tenants);
        this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gatehouse-release-poll-" + settings.instanceId());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts an instance: every stage's latest release is compiled and applied before the proxy port
     * opens, so it never answers 404 for a live stage; then LISTEN and the poll keep it current.
     */
    public static ProxyInstance start(Vertx vertx, DataSource db, ObjectMapper mapper, Settings settings)
            throws Exception {
        return start(vertx, db, mapper, settings, ProxyObserver.NONE);
    }

    /** As above, with {@code observer} hearing every request and every release applied after boot. */
    public static ProxyInstance start(Vertx vertx, DataSource db, ObjectMapper mapper, Settings settings,
                                      ProxyObserver observer) throws Exception {
        ProxyInstance instance = new ProxyInstance(vertx, db, mapper, settings, observer);
        instance.health.start(instance.store);
        // After the checker's own listener: stages and hosts no live snapshot uses are forgotten, so the
        // registries do not grow with every host ever published. Listeners run on the sync thread, one apply at
        // a time, so a host compiled into the snapshot being applied is never forgotten under its balancer.
        instance.store.addListener(instance::forgetUnused);
        instance.discovery.start();
        instance.sync.register();
        instance.sync.sync();
        instance.tenantSync.sync();
        instance.tenants.liveInstances(instance.tenantSync.liveInstances(Receipts.LIVE_SECONDS));
        instance.store.markLoaded();
        instance.healthWriter.write(instance.hostHealth());
        instance.server.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        if (settings.listen()) {
            instance.listener = new ReleaseListener(db, instance.sync, instance.tenantSync::sync).start();
        }
        long every = settings.pollInterval().toMillis();
        instance.poller.scheduleWithFixedDelay(instance::poll, every, every, TimeUnit.MILLISECONDS);
        return instance;
    }

    /**
     * Vert.x shares one listening socket among servers of one Vertx bound to the same host and port,
     * port 0 included: on Quarkus's Vertx a proxy on port 0 would share the management port's socket.
     * So port 0 is resolved to a free port here first.
     */
    private static ProxyOptions concretePort(ProxyOptions options) throws IOException {
        if (options.port() != 0) {
            return options;
        }
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(options.host()))) {
            return options.withPort(socket.getLocalPort());
        }
    }

    private void poll() {
        try {
            sync.heartbeat();
            sync.sync();
            healthWriter.write(hostHealth());
            if (pollFailing) {
                LOG.infof("release poll of %s works again", sync.instanceId());
                pollFailing = false;
            }
        } catch (Exception e) {
            // Once per outage, not every poll interval while the database is down.
            if (!pollFailing) {
                LOG.warnf("release poll of %s failed: %s", sync.instanceId(), e.getMessage());
                pollFailing = true;
            } else {
                LOG.debugf("release poll of %s failed again: %s", sync.instanceId(), e.getMessage());
            }
        }
        try {
            tenantSync.sync();
            tenants.liveInstances(tenantSync.liveInstances(Receipts.LIVE_SECONDS));
            tenantSync.flushUsage();
        } catch (Exception e) {
            // Keys and limits stay as last loaded; a database outage never stops traffic. The release poll
            // above has already said the database is down.
            LOG.debugf("tenant poll of %s failed: %s", sync.instanceId(), e.getMessage());
        }
    }

    private void forgetUnused(SnapshotStore s) {
        registries.retainOnly(s.view().keySet());
        for (StageSnapshot snapshot : s.all()) {
            registries.of(snapshot.gateway(), snapshot.stage()).retainOnly(SnapshotStore.hostUrls(snapshot));
        }
    }

    /**
     * How this instance sees every host of every stage it serves: down when any pool of the stage (the stage's
     * own, a tenant's, an override's) sees it down, with that pool's reason and since when.
     */
    public Map<HostHealthWriter.Key, HostHealthWriter.State> hostHealth() {
        return HostHealthWriter.seenIn(store);
    }

    public int port() {
        return server.port();
    }

    public String instanceId() {
        return sync.instanceId();
    }

    /** How many hosts this instance keeps state for (in-flight counts, latency, health). */
    public int knownHosts() {
        return registries.size();
    }

    /** Every stage's host states on this instance (what the health reporter writes). */
    public HostRegistries registries() {
        return registries;
    }

    /** The proxy port's client connections (open, cap, refused, timed out). */
    public ClientConnectionStats connections() {
        return server.connections();
    }

    public Tenants tenants() {
        return tenants;
    }

    public SnapshotStore store() {
        return store;
    }

    /** The host names this instance discovers by DNS and what they resolve to. */
    public HostDiscovery discovery() {
        return discovery;
    }

    public boolean ready() {
        return store.loaded();
    }

    @Override
    public void close() throws Exception {
        close(Duration.ZERO);
    }

    /**
     * Stops the instance: the proxy port first refuses new connections and lets requests in flight
     * finish for up to {@code drain} (they keep the snapshot they started with), then the rest stops.
     */
    public void close(Duration drain) throws Exception {
        server.shutdown(drain).toCompletionStage().toCompletableFuture().get(drain.toMillis() + 30_000, TimeUnit.MILLISECONDS);
        if (listener != null) {
            listener.close();
        }
        poller.shutdownNow();
        try {
            tenantSync.flushUsage();
        } catch (Exception e) {
            LOG.debugf("last-use flush at close failed: %s", e.getMessage());
        }
        health.close();
        discovery.close();
        try {
            sync.deregister();
        } catch (SQLException e) {
            LOG.warnf("%s could not leave the live count (%s); it drops out when its heartbeat ages out", sync.instanceId(),
                    e.getMessage());
        }
    }
}
