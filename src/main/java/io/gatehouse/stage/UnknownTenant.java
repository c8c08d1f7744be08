package io.gatehouse.stage;

import io.gatehouse.common.WireNames;

import java.util.List;

/** {@code unknown_tenant}: what a request without a (valid) tenant gets: the default hosts, or 401. */
public enum UnknownTenant {
    DEFAULT, REJECT;

    public String wireName() {
        return WireNames.of(this);
    }

    public static List<String> wireNames() {
        return WireNames.all(UnknownTenant.class);
    }

    /** The choice {@code wire} names, {@link #DEFAULT} when it is null, or null when it names none. */
    public static UnknownTenant of(String wire) {
        return wire == null ? DEFAULT : WireNames.find(UnknownTenant.class, wire);
    }
}
