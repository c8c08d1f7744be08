package io.gatehouse.proxy;

import io.gatehouse.common.JwtSpec;
import io.gatehouse.common.TenantSource;

import java.util.Objects;
import java.util.Set;

/**
 * A backend config's tenant settings, compiled once ({@link RouteCompiler}): where the tenant comes from, what a
 * request without a valid one gets, and which headers the backend must not see.
 *
 * @param apiKeyHeader      the header that carries the key (api_key), removed before forwarding
 * @param jwt               the verification settings (jwt), else null
 * @param stripTenantHeader whether the tenant header is removed before forwarding ({@code strip_tenant_header})
 */
public record TenantPolicy(TenantSource source, String tenantHeader, String apiKeyHeader, JwtSpec jwt,
                           boolean reject, boolean stripAuthorization, boolean stripTenantHeader) {

    public TenantPolicy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tenantHeader, "tenantHeader");
        if (source == TenantSource.JWT && jwt == null) {
            throw new IllegalArgumentException("tenant_from jwt needs jwt settings");
        }
    }

    /** Whether the tenant is verified (a key or a token), not a claim any client can make. */
    public boolean verified() {
        return source != TenantSource.HEADER;
    }

    /**
     * A resource's tenant rule, compiled: {@code required}, and the tenants allowed (empty: any tenant).
     * Null on a route means no rule.
     */
    public record Rule(boolean required, Set<String> allowed) {
        public Rule {
            allowed = Set.copyOf(allowed);
        }
    }
}
