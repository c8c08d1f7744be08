package io.gatehouse.proxy;

import io.vertx.core.net.TrustOptions;

import java.time.Duration;

/**
 * How the proxy listens and connects; the Quarkus side maps {@code gatehouse.proxy.*} onto it.
 *
 * @param host                 {@code gatehouse.proxy.host}, default 0.0.0.0
 * @param port                 {@code gatehouse.proxy.port}, default 8000; 0 picks a free port
 * @param instances            {@code gatehouse.proxy.instances}: server+client pairs, one per event loop
 *                             (default: the number of CPUs); each keeps its own backend connections so a
 *                             request never hops threads
 * @param maxConnectionsPerHost {@code gatehouse.proxy.max-connections-per-host}, per instance, default 256
 * @param keepAliveSeconds     {@code gatehouse.proxy.keep-alive-seconds}: idle backend connections are
 *                             closed after this, default 60
 * @param backendTrust         the CAs trusted on https backends ({@link BackendTrust}), or null for the
 *                             JDK's alone; never a trust-all
 * @param trustedProxies       {@code gatehouse.proxy.trusted-proxies}: load balancers in front whose
 *                             X-Forwarded-For is believed ({@link TrustedProxies}); null means none
 * @param clientIdleTimeout    {@code gatehouse.proxy.client-idle-timeout}: a client connection with no
 *                             request in flight for this long is closed ({@link IdleConnections}); zero
 *                             never closes one
 * @param maxConnections       {@code gatehouse.proxy.max-connections}: client connections open at once; above it a
 *                             new one is closed at once ({@link ConnectionGuard}); default {@link DescriptorBudget}
 * @param requestHeadTimeout   {@code gatehouse.proxy.request-head-timeout}: a connection whose first request head
 *                             is not complete this long after it opened is closed; zero never
 * @param clientBodyTimeout    {@code gatehouse.proxy.client-body-timeout}: a request body that sends nothing for
 *                             this long while the proxy reads ends with 408 ({@link StalledBodies}); zero never
 */
public record ProxyOptions(String host, int port, int instances, int maxConnectionsPerHost, int keepAliveSeconds,
                           TrustOptions backendTrust, TrustedProxies trustedProxies, Duration clientIdleTimeout,
                           int maxConnections, Duration requestHeadTimeout, Duration clientBodyTimeout) {
    static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(75);
    static final Duration DEFAULT_REQUEST_HEAD_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_CLIENT_BODY_TIMEOUT = Duration.ofSeconds(60);

    public ProxyOptions {
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
        clientIdleTimeout = clientIdleTimeout == null ? DEFAULT_CLIENT_IDLE_TIMEOUT : clientIdleTimeout;
        requestHeadTimeout = requestHeadTimeout == null ? DEFAULT_REQUEST_HEAD_TIMEOUT : requestHeadTimeout;
        clientBodyTimeout = clientBodyTimeout == null ? DEFAULT_CLIENT_BODY_TIMEOUT : clientBodyTimeout;
        if (clientIdleTimeout.isNegative() || requestHeadTimeout.isNegative() || clientBodyTimeout.isNegative()) {
            throw new IllegalArgumentException("client idle, request head and client body timeouts must not be negative");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max connections must be positive");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535");
        }
        if (instances < 1 || maxConnectionsPerHost < 1 || keepAliveSeconds < 1) {
            throw new IllegalArgumentException("instances, max connections and keep-alive must be positive");
        }
    }

    public static ProxyOptions defaults() {
        return new ProxyOptions("0.0.0.0", 8000, Runtime.getRuntime().availableProcessors(), 256, 60, null, TrustedProxies.NONE,
                DEFAULT_CLIENT_IDLE_TIMEOUT, DescriptorBudget.defaultMaxConnections(), DEFAULT_REQUEST_HEAD_TIMEOUT,
                DEFAULT_CLIENT_BODY_TIMEOUT);
    }

    public ProxyOptions withHost(String host) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withPort(int port) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withInstances(int instances) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withMaxConnectionsPerHost(int maxConnectionsPerHost) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withBackendTrust(TrustOptions backendTrust) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withClientIdleTimeout(Duration clientIdleTimeout) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withTrustedProxies(TrustedProxies trustedProxies) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withMaxConnections(int maxConnections) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withRequestHeadTimeout(Duration requestHeadTimeout) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }

    public ProxyOptions withClientBodyTimeout(Duration clientBodyTimeout) {
        return new ProxyOptions(host, port, instances, maxConnectionsPerHost, keepAliveSeconds, backendTrust, trustedProxies,
                clientIdleTimeout, maxConnections, requestHeadTimeout, clientBodyTimeout);
    }
}
