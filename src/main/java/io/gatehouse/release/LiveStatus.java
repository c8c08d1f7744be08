package io.gatehouse.release;

import java.util.List;

/** Where a release is served: on {@code on} of the {@code of} live instances; {@code lagging} serve something else. */
public record LiveStatus(int on, int of, List<String> lagging) {
    public LiveStatus {
        lagging = List.copyOf(lagging);
    }
}
