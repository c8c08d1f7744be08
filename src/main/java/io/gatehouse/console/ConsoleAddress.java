package io.gatehouse.console;

import io.gatehouse.GatehouseConfig;
import io.gatehouse.instance.ProxyRuntime;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Says where the console is, in one start-up line beside the proxy's ({@link ProxyRuntime}) and the data
 * directory's ({@code GatehouseMain}): Quarkus's own "Listening on: http://0.0.0.0:8080" names an address, not
 * what to open.
 */
@ApplicationScoped
public class ConsoleAddress {
    private static final Logger LOG = Logger.getLogger(ConsoleAddress.class);

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;
    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int port;

    /** After the proxy's line (its observer runs at the default priority). */
    void announce(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 1000) StartupEvent start,
                  GatehouseConfig config) {
        String base = "http://" + ProxyRuntime.displayHost(host) + ":" + port;
        if (config.mode() == GatehouseConfig.Mode.FULL) {
            LOG.infof("Console: %s/ (admin API %s/api/v1)", base, base);
        } else {
            LOG.infof("Health and metrics: %s/q/health, %s/q/metrics (proxy-only: no console)", base, base);
        }
    }
}
