package io.gatehouse.proxy;

import io.gatehouse.balance.PoolSet;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.HostUrl;

import java.util.Map;
import java.util.Objects;

/**
 * One compiled backend config (a stage's, or a resource's override for the stage): its pools, and
 * everything the forwarder needs per request without parsing anything.
 *
 * @param config       the normalized config it was compiled from (identity for deduplication)
 * @param endpoints    every host of every pool, by the URL its {@link io.gatehouse.balance.Host} carries
 * @param healthCheck  active probe settings, or null when the config has none (passive marks only)
 */
public record Upstream(BackendConfig config, PoolSet pools, String tenantHeader, int connectTimeoutMs,
                       int readTimeoutMs, int retries, PassHost passHost, String upstreamHost,
                       BackendConfig.HealthCheck healthCheck, Map<String, HostUrl> endpoints) {

    /** Defaults of a backend config's health check, used for passive marks when it has none. */
    static final int DEFAULT_HEALTHY_THRESHOLD = 2;
    static final int DEFAULT_UNHEALTHY_THRESHOLD = 3;

    public enum PassHost { PASS, NODE, REWRITE }

    public Upstream {
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(passHost, "passHost");
        endpoints = Map.copyOf(endpoints);
        if (passHost == PassHost.REWRITE && (upstreamHost == null || upstreamHost.isBlank())) {
            throw new IllegalArgumentException("pass_host rewrite needs upstream_host");
        }
    }

    public HostUrl endpoint(String url) {
        return endpoints.get(url);
    }

    /** Consecutive successes that bring a down host back (active checks, or passive successes). */
    public int healthyThreshold() {
        return healthCheck == null ? DEFAULT_HEALTHY_THRESHOLD : healthCheck.healthyThreshold();
    }

    /** Consecutive failures (probes, connect failures, 5xx) that take a host out. */
    public int unhealthyThreshold() {
        return healthCheck == null ? DEFAULT_UNHEALTHY_THRESHOLD : healthCheck.unhealthyThreshold();
    }
}
