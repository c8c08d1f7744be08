package io.gatehouse.stage;

import io.gatehouse.common.Violations;

/** {@code timeouts}: to connect to a host, and to wait for its answer's head (and each read after it). */
public record Timeouts(Integer connectMs, Integer readMs) {
    public static final int MAX_CONNECT_MS = 60_000;
    public static final int MAX_READ_MS = 3_600_000;
    /** 2 s to connect, 30 s to read. */
    public static final Timeouts DEFAULT = new Timeouts(2000, 30_000);

    /** These timeouts (null: none given) with every omitted one taken from {@link #DEFAULT}. */
    public static Timeouts withDefaults(Timeouts t) {
        return t == null ? DEFAULT : new Timeouts(t.connectMs == null ? DEFAULT.connectMs : t.connectMs,
                t.readMs == null ? DEFAULT.readMs : t.readMs);
    }

    public void validate(String field, Violations v) {
        v.range(field + ".connect_ms", connectMs, 1, MAX_CONNECT_MS);
        v.range(field + ".read_ms", readMs, 1, MAX_READ_MS);
    }
}
