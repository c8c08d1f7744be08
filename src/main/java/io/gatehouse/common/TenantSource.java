package io.gatehouse.common;

import java.util.List;

/**
 * {@code tenant_from}: where a request's tenant comes from: a header any client can set ({@code header}, the
 * default, a routing hint), an API key ({@code api_key}) or a verified JWT claim ({@code jwt}).
 */
public enum TenantSource {
    HEADER, API_KEY, JWT;

    public static final TenantSource DEFAULT = HEADER;

    public String wireName() {
        return WireNames.of(this);
    }

    public static List<String> wireNames() {
        return WireNames.all(TenantSource.class);
    }

    /** The source {@code wire} names, {@link #DEFAULT} when it is null, or null when it names none. */
    public static TenantSource of(String wire) {
        return wire == null ? DEFAULT : WireNames.find(TenantSource.class, wire);
    }
}
