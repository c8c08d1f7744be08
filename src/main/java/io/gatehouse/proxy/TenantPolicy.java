package io.gatehouse.proxy;

import io.gatehouse.common.JwtSpec;
import io.gatehouse.resource.ResourceSpec;
import io.gatehouse.stage.BackendConfig;
import io.gatehouse.common.TenantSource;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A backend config's tenant settings, compiled once: where the tenant comes from, what a request without a
 * valid one gets, and which headers the backend must not see.
 *
 * @param apiKeyHeader the header that carries the key (api_key), removed before forwarding
 * @param jwt          the verification settings (jwt), else null
 */
public record TenantPolicy(TenantSource source, String tenantHeader, String apiKeyHeader, JwtSpec jwt,
                           boolean reject, boolean stripAuthorization) {

    public TenantPolicy {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(tenantHeader, "tenantHeader");
        if (source == TenantSource.JWT && jwt == null) {
            throw new IllegalArgumentException("tenant_from jwt needs jwt settings");
        }
    }

    /** From a normalized, valid config. */
    static TenantPolicy of(BackendConfig c) {
        TenantSource source = c.tenantSource();
        return new TenantPolicy(source, c.tenantHeader(), source == TenantSource.API_KEY ? c.apiKeyHeaderName() : null,
                source == TenantSource.JWT ? c.jwt() : null, c.rejectsUnknownTenant(), c.stripsAuthorization());
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

        static Rule of(ResourceSpec.TenantRule rule) {
            if (rule == null || !rule.requiresTenant()) {
                return null;
            }
            return new Rule(true, rule.allowed() == null ? Set.of() : Set.copyOf(rule.allowed()));
        }
    }
}
