package io.gatehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.instance.ProxyInstance;
import io.gatehouse.proxy.ProxyOptions;
import io.quarkus.arc.Arc;
import io.vertx.core.Vertx;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A proxy-only instance started beside the application's own inside a {@code @QuarkusTest}: same PostgreSQL,
 * its own snapshot store, proxy port (127.0.0.1, a free port), LISTEN connection and poll, as a separate
 * {@code gatehouse.mode=proxy-only} process would have. Close it (try-with-resources) at the end of the test.
 * <pre>
 * try (ProxyInstance p = ExtraInstance.named("drain-1").poll(Duration.ofSeconds(30)).start()) { ... }
 * </pre>
 *
 * @param name            made unique ({@link Fixtures#unique}) for the instance id
 * @param passiveCooldown how long a passive mark keeps a host out
 * @param poll            the release poll's interval (the fallback when LISTEN misses a NOTIFY)
 * @param listen          whether it LISTENs for publishes at all (false: poll only)
 * @param options         tunes the proxy port's options beyond the fixture's (host, free port, one event loop)
 */
public record ExtraInstance(String name, Duration passiveCooldown, Duration poll, boolean listen,
                            UnaryOperator<ProxyOptions> options) {

    /** Cooldown 10 s, a 30 s poll (slow enough that only LISTEN explains a fast propagation), LISTEN on. */
    public static ExtraInstance named(String name) {
        return new ExtraInstance(name, Duration.ofSeconds(10), Duration.ofSeconds(30), true, o -> o);
    }

    public ExtraInstance poll(Duration every) {
        return new ExtraInstance(name, passiveCooldown, every, listen, options);
    }

    public ExtraInstance listen(boolean on) {
        return new ExtraInstance(name, passiveCooldown, poll, on, options);
    }

    public ExtraInstance passiveCooldown(Duration cooldown) {
        return new ExtraInstance(name, cooldown, poll, listen, options);
    }

    public ExtraInstance options(UnaryOperator<ProxyOptions> tune) {
        return new ExtraInstance(name, passiveCooldown, poll, listen, tune);
    }

    /**
     * Starts it on the application's Vert.x, data source and object mapper; returns once it has loaded every
     * stage's latest release and its port is open (as {@link ProxyInstance#start} promises).
     */
    public ProxyInstance start() throws Exception {
        var arc = Arc.container();
        ProxyOptions o = options.apply(ProxyOptions.defaults().withHost("127.0.0.1").withPort(0).withInstances(1));
        return ProxyInstance.start(arc.instance(Vertx.class).get(), arc.instance(DataSource.class).get(),
                arc.instance(ObjectMapper.class).get(),
                new ProxyInstance.Settings(Fixtures.unique(name), "proxy-only", o, passiveCooldown, poll, listen,
                        dnsServers()));
    }

    /** The application's {@code gatehouse.dns.servers} (the suite's {@link TestDns}), as a sibling process would have. */
    private static java.util.List<java.net.InetSocketAddress> dnsServers() {
        return io.gatehouse.instance.ProxyRuntime.dnsServers(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValues("gatehouse.dns.servers", String.class).orElse(java.util.List.of()));
    }
}
