package io.gatehouse.balance;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The results of every active probe of the process, keyed by the probe's identity
 * ({@link ActiveProbe.Key}: URL, path, interval, timeout, thresholds). Shared by every scope: two
 * gateways that probe a host identically see one result, as it measures the host alone; any other
 * difference makes it another probe with its own marks. The health checker writes here; pools resolve
 * their hosts' probe marks once when built.
 */
public final class Probes {

    private final ConcurrentHashMap<ActiveProbe.Key, HealthMarks> marks = new ConcurrentHashMap<>();

    /** The marks of {@code key}, created (up) on first use. */
    public HealthMarks marks(ActiveProbe.Key key) {
        HealthMarks m = marks.get(key);
        return m != null ? m : marks.computeIfAbsent(key, k -> new HealthMarks(k.probe().path()));
    }

    /** The marks of {@code key} if known, else null; never creates. */
    public HealthMarks find(ActiveProbe.Key key) {
        return marks.get(key);
    }

    /** Forgets every probe not in {@code keys} (no live pool runs it any more). */
    public void retainOnly(Collection<ActiveProbe.Key> keys) {
        Set<ActiveProbe.Key> keep = Set.copyOf(keys);
        marks.keySet().removeIf(k -> !keep.contains(k));
    }

    public Map<ActiveProbe.Key, HealthMarks> view() {
        return Map.copyOf(marks);
    }
}
