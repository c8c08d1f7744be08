package io.gatehouse.balance;

import java.util.Objects;

/**
 * An active health probe as a pool configures it: {@code GET path} every {@code intervalMs}, a 2xx/3xx
 * within {@code timeoutMs} is a success, thresholds in a row flip the host. Together with a host URL it
 * is a probe's identity ({@link Key}): pools share one probe's results only when every field is equal,
 * because a probe measures the host, not anyone's traffic (and a different path or threshold measures
 * something else). The Host header is always the host's own authority, so the URL fixes it.
 */
public record ActiveProbe(String path, int intervalMs, int timeoutMs, int healthyThreshold, int unhealthyThreshold) {

    public ActiveProbe {
        Objects.requireNonNull(path, "path");
        if (intervalMs < 1 || timeoutMs < 1 || healthyThreshold < 1 || unhealthyThreshold < 1) {
            throw new IllegalArgumentException("probe interval, timeout and thresholds must be positive");
        }
    }

    /** One probe: this probe of one host URL. */
    public record Key(String url, ActiveProbe probe) {
        public Key {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(probe, "probe");
        }
    }
}
