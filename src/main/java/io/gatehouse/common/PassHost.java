package io.gatehouse.common;

import java.util.List;

/**
 * {@code pass_host}: the Host header the backend gets (APISIX's {@code pass_host}): the client's ({@code pass}, the
 * default), the host's own ({@code node}), or {@code upstream_host} ({@code rewrite}).
 */
public enum PassHost {
    PASS, NODE, REWRITE;

    public static final PassHost DEFAULT = PASS;

    public String wireName() {
        return WireNames.of(this);
    }

    public static List<String> wireNames() {
        return WireNames.all(PassHost.class);
    }

    /** The mode {@code wire} names, {@link #DEFAULT} when it is null, or null when it names none. */
    public static PassHost of(String wire) {
        return wire == null ? DEFAULT : WireNames.find(PassHost.class, wire);
    }
}
