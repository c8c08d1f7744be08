package io.gatehouse.balance;

import java.util.Locale;

/**
 * An operator's state for a host, set without a release: {@code active} (the default), {@code draining}
 * (no new requests; those in flight and open WebSocket sessions finish) or {@code disabled} (the same,
 * shown as switched off rather than on its way out). Unlike health, it is a decision, not a measurement:
 * a draining or disabled host is never used, not even in panic (Envoy's {@code DRAINING} health status,
 * nginx's {@code down} parameter).
 */
public enum AdminState {
    ACTIVE,
    DRAINING,
    DISABLED;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** Whether a host in this state may be given new requests. */
    public boolean admitsRequests() {
        return this == ACTIVE;
    }

    /** The state of a wire name, or null when it names none. */
    public static AdminState fromWireName(String wireName) {
        for (AdminState s : values()) {
            if (s.wireName.equals(wireName)) {
                return s;
            }
        }
        return null;
    }
}
