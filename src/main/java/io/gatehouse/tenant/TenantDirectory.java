package io.gatehouse.tenant;

import java.util.Map;
import java.util.Objects;

/**
 * What the proxy knows of tenants, loaded whole by {@link TenantSync} and swapped in one reference: each
 * gateway's declared tenants with their rate limits, and every usable API key by the SHA-256 of its secret.
 * Immutable but for each key's last-use time, which requests write and the sync flushes in batches.
 *
 * @param gateways gateway name to tenant name to its limit ({@link RateLimit#NONE} when it has none)
 * @param keys     SHA-256 (hex) of a key's secret to the key; revoked keys are absent, expired ones present
 *                 (so the proxy can say "expired")
 */
public record TenantDirectory(long revision, Map<String, Map<String, RateLimit>> gateways, Map<String, ApiKey> keys) {

    public static final TenantDirectory EMPTY = new TenantDirectory(0, Map.of(), Map.of());

    public TenantDirectory {
        gateways = Map.copyOf(gateways);
        keys = Map.copyOf(keys);
    }

    /** A tenant's limit: {@code requestsPerSecond} refilled continuously into a bucket of {@code burst}. */
    public record RateLimit(int requestsPerSecond, int burst) {
        public static final RateLimit NONE = new RateLimit(0, 0);

        public boolean limited() {
            return requestsPerSecond > 0;
        }
    }

    /** Whether {@code tenant} is a declared tenant of {@code gateway}. */
    public boolean declares(String gateway, String tenant) {
        Map<String, RateLimit> tenants = gateways.get(gateway);
        return tenants != null && tenants.containsKey(tenant);
    }

    public RateLimit limit(String gateway, String tenant) {
        Map<String, RateLimit> tenants = gateways.get(gateway);
        RateLimit limit = tenants == null ? null : tenants.get(tenant);
        return limit == null ? RateLimit.NONE : limit;
    }

    /** An API key as the proxy holds it. */
    public static final class ApiKey {
        private final long id;
        private final String gateway;
        private final String tenant;
        private final long expiresAtMillis;
        /** Written by requests at most about once a second per key; read by the flush. */
        private volatile long lastUsedMillis;

        public ApiKey(long id, String gateway, String tenant, long expiresAtMillis) {
            this.id = id;
            this.gateway = Objects.requireNonNull(gateway);
            this.tenant = Objects.requireNonNull(tenant);
            this.expiresAtMillis = expiresAtMillis;
        }

        public long id() {
            return id;
        }

        public String gateway() {
            return gateway;
        }

        public String tenant() {
            return tenant;
        }

        /** Long.MAX_VALUE for a key that never expires. */
        public long expiresAtMillis() {
            return expiresAtMillis;
        }

        public boolean expiredAt(long nowMillis) {
            return nowMillis >= expiresAtMillis;
        }

        /**
         * Notes a use. Only a change of a second or more is written, so a hot key costs a volatile read per
         * request, not a contended write; last use is shown to the second anyway.
         */
        public void used(long nowMillis) {
            if (nowMillis - lastUsedMillis >= 1000) {
                lastUsedMillis = nowMillis;
            }
        }

        public long lastUsedMillis() {
            return lastUsedMillis;
        }

        void carryUsage(ApiKey previous) {
            if (previous != null && previous.lastUsedMillis > lastUsedMillis) {
                lastUsedMillis = previous.lastUsedMillis;
            }
        }
    }
}
