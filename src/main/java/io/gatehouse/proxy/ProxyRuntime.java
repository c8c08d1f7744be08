package io.gatehouse.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.GatehouseConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import javax.sql.DataSource;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.UUID;

/** The application's proxy instance, on Quarkus's own Vert.x, started with the application. */
@ApplicationScoped
public class ProxyRuntime {
    private volatile ProxyInstance instance;

    void start(@Observes StartupEvent event, Vertx vertx, DataSource db, ObjectMapper mapper, GatehouseConfig config,
               ProxyObserver observer) throws Exception {
        GatehouseConfig.Proxy p = config.proxy();
        ProxyOptions options = new ProxyOptions(p.host(), p.port(),
                p.instances().orElse(Runtime.getRuntime().availableProcessors()), p.maxConnectionsPerHost(),
                p.keepAliveSeconds(), p.tls().caFile().map(f -> BackendTrust.withCaFile(Path.of(f))).orElse(null),
                TrustedProxies.of(p.trustedProxies().orElse(java.util.List.of())), p.clientIdleTimeout());
        String id = config.instanceId().orElseGet(ProxyRuntime::defaultInstanceId);
        instance = ProxyInstance.start(vertx, db, mapper, new ProxyInstance.Settings(id, config.mode().wireName(),
                options, p.passiveCooldown(), config.sync().pollInterval(), config.sync().listen()), observer);
        observer.watch(instance.store());
    }

    /** On SIGTERM: drain the proxy port (gatehouse.proxy.shutdown-timeout), then stop syncing and deregister. */
    void stop(@Observes ShutdownEvent event, GatehouseConfig config) throws Exception {
        if (instance != null) {
            instance.close(config.proxy().shutdownTimeout());
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
