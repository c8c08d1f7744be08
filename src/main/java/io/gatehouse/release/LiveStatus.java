package io.gatehouse.release;

import java.util.List;

/**
 * Where a release is served: on {@code on} of the {@code of} live instances; {@code lagging} serve something
 * else. {@code pending} is true while any live instance has not applied it yet (a release answer waits a
 * bounded moment for them, {@link Receipts#settle}, and says pending rather than a transient 0).
 */
public record LiveStatus(int on, int of, List<String> lagging, boolean pending) {
    public LiveStatus {
        lagging = List.copyOf(lagging);
    }

    public LiveStatus(int on, int of, List<String> lagging) {
        this(on, of, lagging, on < of);
    }
}
