package io.gatehouse.balance;

/**
 * How a pool judges its hosts' health.
 *
 * @param probe            the active probe every host of the pool gets, or null (passive marks only)
 * @param panicThreshold   percent 0-100: below this share of healthy weight the pool spreads over all
 *                         its hosts, healthy or not (Envoy's {@code healthy_panic_threshold}); 0 never
 * @param passiveFailures  consecutive failed attempts (see {@link Outcome#failure()}) that take a host out
 * @param passiveSuccesses consecutive good answers that bring a passively downed host back before its
 *                         cool-down ends (it only gets traffic then in panic)
 * @param slowStartMs      how long a host that became usable ramps its weight from 10 % to 100 %; 0 off
 */
public record PoolHealth(ActiveProbe probe, int panicThreshold, int passiveFailures, int passiveSuccesses,
                         int slowStartMs) {

    /** No probe, no panic, 3 failures out and 2 successes back: the plain-Java default (tests, tools). */
    public static final PoolHealth PASSIVE_ONLY = new PoolHealth(null, 0, 3, 2);

    /** Without slow start. */
    public PoolHealth(ActiveProbe probe, int panicThreshold, int passiveFailures, int passiveSuccesses) {
        this(probe, panicThreshold, passiveFailures, passiveSuccesses, 0);
    }

    public PoolHealth {
        if (slowStartMs < 0) {
            throw new IllegalArgumentException("slow start must be at least 0 ms, got: " + slowStartMs);
        }
        if (panicThreshold < 0 || panicThreshold > 100) {
            throw new IllegalArgumentException("panic threshold must be 0-100, got: " + panicThreshold);
        }
        if (passiveFailures < 1 || passiveSuccesses < 1) {
            throw new IllegalArgumentException("passive thresholds must be at least 1");
        }
    }
}
