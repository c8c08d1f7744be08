package io.gatehouse.proxy;

import io.gatehouse.stage.HashSpec;
import io.gatehouse.stage.HealthCheck;
import io.gatehouse.common.JwtSpec;
import io.gatehouse.stage.PassiveHealth;
import io.gatehouse.stage.Timeouts;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.stage.BackendHost;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fluent way to write a {@link BackendConfig} in tests; unset fields stay null (the defaults). */
final class Cfg {
    private String type = "weighted_round_robin";
    private final List<BackendHost> hosts = new ArrayList<>();
    private final Map<String, List<BackendHost>> tenants = new LinkedHashMap<>();
    private String tenantFallback;
    private HashSpec hash;
    private Timeouts timeouts;
    private Integer retries;
    private String passHost;
    private String upstreamHost;
    private HealthCheck healthCheck;
    private Boolean stripTenantHeader;
    private String encodedSlashes;
    private Integer panicThreshold;
    private PassiveHealth passive;
    private String tenantFrom;
    private String apiKeyHeader;
    private JwtSpec jwt;
    private String unknownTenant;
    private Boolean stripAuthorization;
    private Integer slowStartMs;

    static Cfg of(String type) {
        Cfg c = new Cfg();
        c.type = type;
        return c;
    }

    Cfg host(Backend b, int weight) {
        hosts.add(new BackendHost(b.url(), weight));
        return this;
    }

    /** A host of failover tier {@code priority} (higher first). */
    Cfg host(Backend b, int weight, int priority) {
        hosts.add(new BackendHost(b.url(), weight, priority));
        return this;
    }

    Cfg slowStart(int ms) {
        slowStartMs = ms;
        return this;
    }

    Cfg host(String url, int weight) {
        hosts.add(new BackendHost(url, weight));
        return this;
    }

    Cfg tenant(String tenant, Backend... pool) {
        List<BackendHost> list = new ArrayList<>();
        for (Backend b : pool) {
            list.add(new BackendHost(b.url(), 1));
        }
        tenants.put(tenant, list);
        return this;
    }

    Cfg tenantFallback(String f) {
        tenantFallback = f;
        return this;
    }

    Cfg hashHeader(String name) {
        hash = new HashSpec("header", name, null);
        return this;
    }

    Cfg hashClientIp() {
        hash = new HashSpec("ip", null, null);
        return this;
    }

    Cfg timeouts(int connectMs, int readMs) {
        timeouts = new Timeouts(connectMs, readMs);
        return this;
    }

    Cfg retries(int n) {
        retries = n;
        return this;
    }

    Cfg passHost(String mode, String upstream) {
        passHost = mode;
        upstreamHost = upstream;
        return this;
    }

    Cfg healthCheck(int intervalMs, int healthy, int unhealthy) {
        healthCheck = new HealthCheck("/health", intervalMs, Math.min(1000, intervalMs), healthy, unhealthy);
        return this;
    }

    Cfg healthCheck(String path, int intervalMs, int healthy, int unhealthy) {
        healthCheck = new HealthCheck(path, intervalMs, Math.min(1000, intervalMs), healthy, unhealthy);
        return this;
    }

    Cfg stripTenantHeader() {
        stripTenantHeader = true;
        return this;
    }

    Cfg encodedSlashes(String action) {
        encodedSlashes = action;
        return this;
    }

    Cfg panicThreshold(int percent) {
        panicThreshold = percent;
        return this;
    }

    /** {@code passive_health}: these answers count as failures (and are retried); {@code failures} in a row take a host out. */
    Cfg failOn(int failures, Integer... statuses) {
        passive = new PassiveHealth(List.of(statuses), failures);
        return this;
    }

    /** tenant_from: api_key, with the key in {@code header} (null: X-Api-Key). */
    Cfg apiKey(String header) {
        tenantFrom = "api_key";
        apiKeyHeader = header;
        return this;
    }

    Cfg jwt(String issuer, String audience, String claim) {
        tenantFrom = "jwt";
        jwt = new JwtSpec(issuer, audience, claim);
        return this;
    }

    Cfg rejectUnknownTenant() {
        unknownTenant = "reject";
        return this;
    }

    Cfg stripAuthorization() {
        stripAuthorization = true;
        return this;
    }

    BackendConfig build() {
        return new BackendConfig(type, hosts, null, tenants.isEmpty() ? null : tenants, tenantFallback, hash,
                timeouts, retries, passHost, upstreamHost, healthCheck, stripTenantHeader, encodedSlashes, panicThreshold,
                passive, tenantFrom, apiKeyHeader, jwt, unknownTenant, stripAuthorization, slowStartMs);
    }
}
