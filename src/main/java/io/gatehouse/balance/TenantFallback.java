package io.gatehouse.balance;

import java.util.Locale;

/**
 * What a tenant whose pool has no healthy host gets: {@code fail} (503, the default: isolation is
 * never given up silently) or {@code default} (the default hosts).
 */
public enum TenantFallback {
    FAIL,
    DEFAULT;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static TenantFallback fromWireName(String wireName) {
        for (TenantFallback f : values()) {
            if (f.wireName.equals(wireName)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown tenant_fallback '" + wireName + "', expected fail or default");
    }
}
