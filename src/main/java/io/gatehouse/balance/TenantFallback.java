package io.gatehouse.balance;

import java.util.Arrays;
import java.util.List;
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

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(TenantFallback::wireName).toList();
    }

    /** The choice {@code wireName} names, or null when it names none. */
    public static TenantFallback find(String wireName) {
        for (TenantFallback f : values()) {
            if (f.wireName.equals(wireName)) {
                return f;
            }
        }
        return null;
    }

    public static TenantFallback fromWireName(String wireName) {
        TenantFallback f = find(wireName);
        if (f == null) {
            throw new IllegalArgumentException("unknown tenant_fallback '" + wireName + "', expected fail or default");
        }
        return f;
    }
}
