package io.gatehouse.traffic;

import io.gatehouse.proxy.ProxyInstance;
import io.gatehouse.proxy.ProxyRuntime;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.HttpServerMetricsTagsContributor;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Quarkus instruments every HTTP server on its Vert.x, the proxy's too, and tags
 * {@code http_server_requests_seconds} with the request's path when no route template matched: on the
 * proxy port that is every client's raw path, a series each. Requests that arrived on the proxy's port
 * are marked here with a {@value #MARK} tag, and meters carrying it are refused; the proxy's own
 * {@code gatehouse_proxy_*} meters describe that traffic with bounded labels instead.
 */
@Singleton
public class ProxyPortMetrics implements HttpServerMetricsTagsContributor {
    static final String MARK = "gatehouse.proxy.port";

    private final ProxyRuntime runtime;

    public ProxyPortMetrics(ProxyRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Tags contribute(Context context) {
        ProxyInstance instance = runtime.instance();
        SocketAddress local = context.request().localAddress();
        if (instance != null && local != null && local.port() == instance.port()) {
            return Tags.of(MARK, "true");
        }
        return Tags.empty();
    }

    @Produces
    @Singleton
    MeterFilter refuseProxyPortRequests() {
        return MeterFilter.deny(id -> id.getTag(MARK) != null);
    }
}
