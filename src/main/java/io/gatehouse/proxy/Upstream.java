package io.gatehouse.proxy;

import io.gatehouse.balance.PoolSet;
import io.gatehouse.common.PassHost;

import java.util.List;
import java.util.Objects;

/**
 * One compiled backend config (a stage's, or a resource's override for the stage): its pools, and everything the
 * forwarder needs per request as plain values ({@link RouteCompiler} reads the config; nothing here does). Each
 * host of the pools carries its parsed URL ({@link io.gatehouse.balance.Host#endpoint()}).
 *
 * @param live                the pools, rebuilt in place when DNS discovery finds new addresses ({@link #pools()})
 * @param passHost            the Host header the backend gets; {@code upstreamHost} with {@link PassHost#REWRITE}
 * @param keepsEncodedSlashes whether a path with %2F or %5C is forwarded ({@code encoded_slashes: keep}) rather than
 *                            refused
 * @param failureStatuses     the backend's answers that count as passive failures and may be retried
 *                            ({@code passive_health.http_statuses}); empty: every answer is passed through
 * @param tenantPolicy        where the tenant comes from, what an unknown one gets, and the headers to remove
 */
public record Upstream(LivePools live, int connectTimeoutMs, int readTimeoutMs, int retries, PassHost passHost,
                       String upstreamHost, boolean keepsEncodedSlashes, List<Integer> failureStatuses,
                       TenantPolicy tenantPolicy) {

    public Upstream {
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(passHost, "passHost");
        Objects.requireNonNull(tenantPolicy, "tenantPolicy");
        failureStatuses = List.copyOf(failureStatuses);
        if (passHost == PassHost.REWRITE && (upstreamHost == null || upstreamHost.isBlank())) {
            throw new IllegalArgumentException("pass_host rewrite needs upstream_host");
        }
    }

    /** The pools as of the latest DNS answers; read it once per attempt. */
    public PoolSet pools() {
        return live.pools();
    }

    /** The header that names the tenant (the pool a request uses), as the tenant policy says. */
    public String tenantHeader() {
        return tenantPolicy.tenantHeader();
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
