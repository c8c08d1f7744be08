package io.gatehouse.stage;

import io.gatehouse.common.Violations;

/**
 * {@code health_check}: active HTTP probes of every host. Omitted as a whole, there are none (passive marks still
 * apply), as in APISIX; omitted fields take {@link #DEFAULT}'s.
 */
public record HealthCheck(String path, Integer intervalMs, Integer timeoutMs, Integer healthyThreshold,
                          Integer unhealthyThreshold) {
    public static final int MIN_INTERVAL_MS = 100;
    public static final int MAX_INTERVAL_MS = 3_600_000;
    /** The most probes (or attempts, for passive health) in a row a threshold may ask for. */
    public static final int MAX_THRESHOLD = 100;
    /** Probe {@code /health} every 2 s with a 1 s timeout; 2 good answers bring a host back, 3 failures take it out. */
    public static final HealthCheck DEFAULT = new HealthCheck("/health", 2000, 1000, 2, 3);

    /** This check with every omitted field taken from {@link #DEFAULT}. */
    public HealthCheck withDefaults() {
        return new HealthCheck(path == null ? DEFAULT.path : path, or(intervalMs, DEFAULT.intervalMs),
                or(timeoutMs, DEFAULT.timeoutMs), or(healthyThreshold, DEFAULT.healthyThreshold),
                or(unhealthyThreshold, DEFAULT.unhealthyThreshold));
    }

    /** Adds each broken rule under {@code field} ({@code backend.health_check}). */
    public void validate(String field, Violations v) {
        if (path != null && (!path.startsWith("/") || path.length() > 1024 || !path.matches("[\\x21-\\x7e]+"))) {
            v.add(field + ".path", "must start with / and contain no spaces (at most 1024 characters)");
        }
        v.range(field + ".interval_ms", intervalMs, MIN_INTERVAL_MS, MAX_INTERVAL_MS);
        v.range(field + ".timeout_ms", timeoutMs, 1, Timeouts.MAX_CONNECT_MS);
        v.range(field + ".healthy_threshold", healthyThreshold, 1, MAX_THRESHOLD);
        v.range(field + ".unhealthy_threshold", unhealthyThreshold, 1, MAX_THRESHOLD);
        HealthCheck n = withDefaults();
        if (n.timeoutMs() > n.intervalMs()) {
            v.add(field + ".timeout_ms", "must not be longer than interval_ms");
        }
    }

    private static Integer or(Integer value, Integer fallback) {
        return value == null ? fallback : value;
    }
}
