package io.gatehouse.instance;

import io.gatehouse.proxy.BackendTrust;
import io.gatehouse.proxy.DescriptorBudget;
import io.gatehouse.proxy.ProxyObserver;
import io.gatehouse.proxy.ProxyOptions;
import io.gatehouse.proxy.TrustedProxies;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.GatehouseConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The application's proxy instance, started with the application, on a Vert.x of its own with one event loop per
 * proxy instance. Not on Quarkus's Vert.x: Quarkus's Micrometer binder instruments every HTTP server and client
 * there, per request (about 5 % of the event loops' CPU under load, and the raw path as a tag on the proxy port;
 * docs/benchmarks.md), while the proxy's own meters ({@code gatehouse_proxy_*}) describe its traffic with bounded
 * labels. The console's and the API's requests then never queue behind proxy traffic on an event loop either.
 */
@ApplicationScoped
public class ProxyRuntime {
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(ProxyRuntime.class);
    private volatile ProxyInstance instance;
    private Vertx vertx;

    void start(@Observes StartupEvent event, DataSource db, ObjectMapper mapper, GatehouseConfig config,
               ProxyObserver observer) throws Exception {
        GatehouseConfig.Proxy p = config.proxy();
        int instances = p.instances().orElse(Runtime.getRuntime().availableProcessors());
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances).setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        StringBuilder budget = new StringBuilder();
        int maxConnections = p.maxConnections().orElseGet(() -> defaultMaxConnections(budget));
        ProxyOptions options = new ProxyOptions(p.host(), p.port(), instances, p.maxConnectionsPerHost(),
                p.keepAliveSeconds(), p.tls().caFile().map(f -> BackendTrust.withCaFile(Path.of(f))).orElse(null),
                TrustedProxies.of(p.trustedProxies().orElse(java.util.List.of())), p.clientIdleTimeout(),
                maxConnections, p.requestHeadTimeout(),
                p.clientBodyTimeout());
        String id = config.instanceId().orElseGet(ProxyRuntime::defaultInstanceId);
        instance = ProxyInstance.start(vertx, db, mapper, new ProxyInstance.Settings(id, config.mode().wireName(),
                options, p.passiveCooldown(), config.sync().pollInterval(), config.sync().listen(),
                dnsServers(config.dns().servers().orElse(java.util.List.of()))), observer);
        // One line says where clients reach the proxy (the console's and the data directory's are beside it).
        LOG.infof("Proxy: http://%s:%d/{gateway}/{stage}/... (at most %d client connections%s)", displayHost(p.host()),
                instance.port(), maxConnections, budget.isEmpty() ? ", gatehouse.proxy.max-connections" : budget);
        observer.watch(instance.store());
    }

    /** {@code gatehouse.dns.servers}: each {@code host:port} (port 53 when left out); a bad entry stops the start. */
    public static java.util.List<java.net.InetSocketAddress> dnsServers(java.util.List<String> entries) {
        java.util.List<java.net.InetSocketAddress> servers = new java.util.ArrayList<>();
        for (String entry : entries) {
            io.vertx.core.net.HostAndPort hp = io.vertx.core.net.HostAndPort.parseAuthority(entry.strip(), 53);
            if (hp == null || entry.isBlank()) {
                throw new IllegalArgumentException("gatehouse.dns.servers: '" + entry + "' is not host:port");
            }
            String host = hp.host().startsWith("[") ? hp.host().substring(1, hp.host().length() - 1) : hp.host();
            servers.add(new java.net.InetSocketAddress(host, hp.port()));
        }
        return servers;
    }

    /**
     * The proxy port's share of the open-file limit (DescriptorBudget), after the console port's cap
     * ({@code quarkus.http.limits.max-connections}) and the database pool plus LISTEN; said once at start, with a
     * warning when the limit leaves the proxy little.
     */
    private static int defaultMaxConnections(StringBuilder budget) {
        org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        int console = c.getOptionalValue("quarkus.http.limits.max-connections", Integer.class).orElse(0);
        int database = c.getOptionalValue("quarkus.datasource.jdbc.max-size", Integer.class).orElse(20) + 1;
        long limit = DescriptorBudget.descriptorLimit();
        int max = DescriptorBudget.maxConnections(limit, console, database);
        if (limit >= 0 && max < 1000) {
            LOG.warnf("the open-file limit is %d: the proxy port takes at most %d client connections (set nofile higher;"
                    + " see docs/operations.md)", limit, max);
        }
        budget.append(String.format(": open-file limit %s; %d kept for the console port, %d for the database",
                limit < 0 ? "unknown" : Long.toString(limit), console, database));
        return max;
    }

    /** A host to type into a browser: the wildcard address means this machine. */
    public static String displayHost(String host) {
        return host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") ? "localhost"
                : host.contains(":") ? "[" + host + "]" : host;
    }

    /** On SIGTERM: drain the proxy port (gatehouse.proxy.shutdown-timeout), then stop syncing and deregister. */
    void stop(@Observes ShutdownEvent event, GatehouseConfig config) throws Exception {
        try {
            if (instance != null) {
                instance.close(config.proxy().shutdownTimeout());
            }
        } finally {
            if (vertx != null) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    public ProxyInstance instance() {
        return instance;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "gatehouse";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** Ready once every stage's latest release is loaded and the proxy port is open. */
    @Readiness
    @ApplicationScoped
    public static class Ready implements HealthCheck {
        private final ProxyRuntime runtime;

        public Ready(ProxyRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public HealthCheckResponse call() {
            ProxyInstance i = runtime.instance();
            return HealthCheckResponse.named("proxy snapshots").status(i != null && i.ready())
                    .withData("instance", i == null ? "starting" : i.instanceId())
                    .withData("stages", i == null ? 0 : i.store().all().size()).build();
        }
    }
}
