package io.gatehouse.proxy;

import java.time.Duration;

/**
 * Hears what the data plane did: every request once at its end, and every release applied after boot.
 * Called on the proxy's event loops (requests) and on the release sync's thread (releases), so an
 * implementation must be cheap, non-blocking and thread-safe: no locks, no I/O it waits for, no database.
 */
public interface ProxyObserver {

    ProxyObserver NONE = r -> { };

    /** One request, once, after its response ended or its connection closed. */
    void request(ProxiedRequest request);

    /**
     * A release became this instance's live snapshot of {@code gateway/stage}, {@code propagation} after it
     * was created in the database (compared across clocks; never called for the boot load).
     */
    default void releaseApplied(String gateway, String stage, Duration propagation) {
    }

    /**
     * Follow {@code store}, the application's own instance's live snapshots (for health gauges and for
     * dropping series of stages and hosts no longer published). Called once, by ProxyRuntime only.
     */
    default void watch(SnapshotStore store) {
    }
}
