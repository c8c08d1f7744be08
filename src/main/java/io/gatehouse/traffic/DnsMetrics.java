package io.gatehouse.traffic;

import io.gatehouse.proxy.HostDiscovery;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.function.ToDoubleFunction;

/**
 * DNS discovery's meters (docs/operations.md): {@code gatehouse_dns_failures_total} (lookups of backend host
 * names that failed, each keeping the name's last good set of addresses) and {@code gatehouse_dns_stale_names}
 * (names served from their last good set, or with no address at all, because their lookups fail now). Read
 * from the discovery's counters at scrape time.
 */
@Singleton
public class DnsMetrics {
    public static final String FAILURES = "gatehouse.dns.failures";
    public static final String STALE = "gatehouse.dns.stale.names";

    private final ProxyRuntime runtime;

    public DnsMetrics(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    void register(@Observes StartupEvent start, MeterRegistry registry) {
        FunctionCounter.builder(FAILURES, this, m -> m.stat(HostDiscovery::failures))
                .description("DNS lookups of backend host names that failed (the name keeps its last good addresses)")
                .register(registry);
        Gauge.builder(STALE, this, m -> m.stat(HostDiscovery::staleNames))
                .description("Backend host names served from their last good addresses (or with none) because their"
                        + " lookups fail").register(registry);
    }

    private double stat(ToDoubleFunction<HostDiscovery> value) {
        ProxyInstance instance = runtime.instance();
        return instance == null ? 0 : value.applyAsDouble(instance.discovery());
    }
}
