package io.gatehouse.traffic;

import io.gatehouse.proxy.ClientConnectionStats;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.instance.ProxyRuntime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The proxy port's connection meters (docs/operations.md): {@code gatehouse_proxy_connections} and
 * {@code gatehouse_proxy_connections_max} (open client connections and the cap),
 * {@code gatehouse_proxy_connections_refused_total} (closed at once above the cap) and
 * {@code gatehouse_proxy_client_timeouts_total{phase="head"|"body"}} (request head not complete in time, request
 * body stalled). Read from the proxy's counters at scrape time, so they cost the proxy nothing.
 */
@Singleton
public class ConnectionMetrics {
    public static final String CONNECTIONS = "gatehouse.proxy.connections";
    public static final String CONNECTIONS_MAX = "gatehouse.proxy.connections.max";
    public static final String REFUSED = "gatehouse.proxy.connections.refused";
    public static final String TIMEOUTS = "gatehouse.proxy.client.timeouts";
    private static final String TIMEOUTS_HELP = "Client connections closed because the first request head was not"
            + " complete in time (head), requests ended with 408 because their body stalled (body)";

    /** A field: the meters hold their source weakly. */
    private final Supplier<ClientConnectionStats> source;

    public ConnectionMetrics(ProxyRuntime runtime) {
        this.source = () -> {
            ProxyInstance instance = runtime.instance();
            return instance == null ? null : instance.connections();
        };
    }

    void register(@Observes StartupEvent start, MeterRegistry registry) {
        bind(registry, source);
    }

    /**
     * Registers the meters on {@code registry}, read from {@code stats} at scrape time (0 while it gives null).
     * Micrometer holds {@code stats} weakly (a meter must not keep its object alive): the caller keeps it reachable.
     */
    public static void bind(MeterRegistry registry, Supplier<ClientConnectionStats> stats) {
        Gauge.builder(CONNECTIONS, stats, s -> stat(s, ClientConnectionStats::open))
                .description("Client connections open on the proxy port").register(registry);
        Gauge.builder(CONNECTIONS_MAX, stats, s -> stat(s, ClientConnectionStats::max))
                .description("The proxy port's cap on client connections (gatehouse.proxy.max-connections)")
                .register(registry);
        FunctionCounter.builder(REFUSED, stats, s -> stat(s, ClientConnectionStats::refused))
                .description("Client connections closed at once because the proxy port was at its cap").register(registry);
        FunctionCounter.builder(TIMEOUTS, stats, s -> stat(s, ClientConnectionStats::headTimeouts)).tag("phase", "head")
                .description(TIMEOUTS_HELP).register(registry);
        FunctionCounter.builder(TIMEOUTS, stats, s -> stat(s, ClientConnectionStats::bodyTimeouts)).tag("phase", "body")
                .description(TIMEOUTS_HELP).register(registry);
    }

    private static double stat(Supplier<ClientConnectionStats> stats, ToDoubleFunction<ClientConnectionStats> value) {
        ClientConnectionStats s = stats.get();
        return s == null ? 0 : value.applyAsDouble(s);
    }
}
