package io.gatehouse.traffic;

import io.gatehouse.GatehouseConfig;
import io.gatehouse.proxy.ProxiedRequest;
import io.gatehouse.proxy.ProxyObserver;
import io.gatehouse.proxy.SnapshotStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The application's {@link ProxyObserver}: each request goes to the Micrometer meters, the live
 * window of the console and the access log. One per process, shared by every proxy instance in it.
 * A {@code @Singleton} (no client proxy): it is called on the proxy's hot path.
 */
@Singleton
public class TrafficRecorder implements ProxyObserver {
    private final TrafficMetrics metrics;
    private final TrafficWindow window = new TrafficWindow();
    private final TenantMetrics tenantMetrics;
    private final TenantUsage tenantUsage = new TenantUsage();
    private final AccessLog accessLog;

    public TrafficRecorder(MeterRegistry registry, GatehouseConfig config) {
        this.metrics = new TrafficMetrics(registry);
        this.tenantMetrics = new TenantMetrics(registry);
        this.accessLog = AccessLog.writingTo(config.proxy().accessLog(),
                config.proxy().accessLogFile().map(Path::of).orElse(null));
        FunctionCounter.builder("gatehouse.access.log.dropped", accessLog, AccessLog::dropped)
                .description("Access log lines dropped because the writer fell behind").register(registry);
    }

    /** Writes out the access log lines still queued (after the proxy drained: ShutdownEvent comes first). */
    @PreDestroy
    void close() {
        accessLog.close();
    }

    @Override
    public void request(ProxiedRequest r) {
        metrics.record(r);
        if (r.stageKey() != null) {
            window.record(r.stageKey(), r.overrideOf(), r.tenantPool(), r.host(), r.status(), r.durationNanos());
            tenantMetrics.record(r);
            tenantUsage.record(r.stageKey(), r.declaredTenant(), r.status(), r.durationNanos());
        }
        accessLog.log(r);
    }

    @Override
    public void releaseApplied(String gateway, String stage, Duration propagation) {
        metrics.releaseApplied(gateway, stage, propagation);
    }

    @Override
    public void watch(SnapshotStore store) {
        metrics.watch(store);
        store.addListener(tenantMetrics::published);
        store.addListener(s -> {
            window.sweep();
            tenantUsage.sweep();
        });
    }

    public TrafficWindow window() {
        return window;
    }

    /** Each declared tenant's last minute per stage, in this process. */
    public TenantUsage tenantUsage() {
        return tenantUsage;
    }
}
