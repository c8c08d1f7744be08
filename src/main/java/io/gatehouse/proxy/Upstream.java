package io.gatehouse.proxy;

import io.gatehouse.balance.Host;
import io.gatehouse.balance.PoolSet;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.HostUrl;
import io.vertx.core.net.SocketAddress;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.common.PassHost;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One compiled backend config (a stage's, or a resource's override for the stage): its pools, and
 * everything the forwarder needs per request without parsing anything.
 *
 * @param config       the normalized config it was compiled from (identity for deduplication)
 * @param live         the pools, rebuilt in place when DNS discovery finds new addresses ({@link #pools()})
 * @param endpoints    every configured host of every pool, by its canonical URL ({@link Host#configuredUrl()})
 * @param healthCheck  active probe settings, or null when the config has none (passive marks only)
 * @param failureStatuses the backend's answers that count as passive failures and may be retried
 *                     ({@code passive_health.http_statuses}); empty: every answer is passed through
 * @param tenantPolicy where the tenant comes from and what an unknown one gets
 */
public record Upstream(BackendConfig config, LivePools live, String tenantHeader, int connectTimeoutMs,
                       int readTimeoutMs, int retries, PassHost passHost, String upstreamHost,
                       HealthCheck healthCheck, Map<String, HostUrl> endpoints,
                       List<Integer> failureStatuses, TenantPolicy tenantPolicy) {

    public Upstream {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(passHost, "passHost");
        Objects.requireNonNull(tenantPolicy, "tenantPolicy");
        endpoints = Map.copyOf(endpoints);
        failureStatuses = List.copyOf(failureStatuses);
        if (passHost == PassHost.REWRITE && (upstreamHost == null || upstreamHost.isBlank())) {
            throw new IllegalArgumentException("pass_host rewrite needs upstream_host");
        }
    }

    /** The pools as of the latest DNS answers; read it once per attempt. */
    public PoolSet pools() {
        return live.pools();
    }

    /** The configured host that {@code url} (a configured URL) names: scheme, name, port. */
    public HostUrl endpoint(String url) {
        return endpoints.get(url);
    }

    /**
     * Where to connect for {@code member}: its discovered address at the host's port, or null to connect to
     * the URL's host as is. The request keeps the name for its Host header, TLS SNI and certificate check.
     */
    public static SocketAddress server(Host member, HostUrl endpoint) {
        return member.address() == null ? null : SocketAddress.inetSocketAddress(endpoint.port(), member.address());
    }

    /**
     * Where {@code member} connects: the address DNS discovery found for it, else its URL's host (an IPv6 literal
     * without brackets), at the URL's port, with TLS and the name it verifies and sends as SNI (the configured
     * host's name, never the discovered address).
     */
    BackendPool.Target target(Host member) {
        HostUrl endpoint = endpoints.get(member.configuredUrl());
        String h = endpoint.host();
        String name = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        String address = member.address() != null ? member.address() : name;
        return new BackendPool.Target(address, endpoint.port(), endpoint.tls(), endpoint.tls() ? name : null);
    }

    /** The Host header of pass_host node: the configured host's name, and its port unless the scheme's default. */
    String nodeAuthority(Host member) {
        HostUrl endpoint = endpoints.get(member.configuredUrl());
        boolean defaultPort = endpoint.port() == (endpoint.tls() ? 443 : 80);
        return defaultPort ? endpoint.host() : endpoint.host() + ":" + endpoint.port();
    }

    /** Whether the backend's answer {@code status} is a failure (passive mark, and retried when safe). */
    public boolean failsOn(int status) {
        for (int i = 0; i < failureStatuses.size(); i++) {
            if (failureStatuses.get(i) == status) {
                return true;
            }
        }
        return false;
    }
}
