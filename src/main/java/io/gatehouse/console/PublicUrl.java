package io.gatehouse.console;

import io.gatehouse.GatehouseConfig;
import io.gatehouse.instance.ProxyRuntime;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;

/**
 * Where clients reach the proxy, for the console's public URLs: {@code gatehouse.proxy.public-url} when set
 * (a load balancer or TLS terminator in front), else the host this console request came to with the proxy's
 * own port (the port it really listens on, so port 0 in tests shows the picked one).
 */
@RequestScoped
public class PublicUrl {
    private final GatehouseConfig config;
    private final ProxyRuntime proxy;
    private final RoutingContext routing;

    public PublicUrl(GatehouseConfig config, ProxyRuntime proxy, RoutingContext routing) {
        this.config = config;
        this.proxy = proxy;
        this.routing = routing;
    }

    /** The base without a trailing slash: {@code http://console-host:8000}. */
    public String base() {
        return config.proxy().publicUrl().map(u -> u.replaceAll("/+$", "")).orElseGet(() -> {
            var authority = routing.request().authority();
            String host = authority == null ? "localhost" : authority.host();
            if (host.contains(":") && !host.startsWith("[")) {
                host = "[" + host + "]"; // an IPv6 literal (RFC 3986 §3.2.2)
            }
            int port = proxy.instance() == null ? config.proxy().port() : proxy.instance().port();
            return "http://" + host + (port == 80 ? "" : ":" + port);
        });
    }

    /** The URL of a resource path on a stage: {@code base/gateway/stage/path}. */
    public String of(String gateway, String stage, String path) {
        return base() + "/" + gateway + "/" + stage + (path == null ? "" : path);
    }
}
