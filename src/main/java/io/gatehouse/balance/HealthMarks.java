package io.gatehouse.balance;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One up/down state machine with consecutive counters: a host's passive marks in one scope
 * ({@link HostState}) or the results of one active probe ({@link Probes}). Remembers since when and
 * why it is down, for the console and the health API ("connect refused (3 in a row) since 12:03:01").
 *
 * <p>Thread safety: {@code up} is volatile and read lock-free at pick time; transitions, counters and
 * the reason change together under this object's monitor (a few field writes per response or probe).
 * Every transition bumps one process-wide counter, so a pool can cache its panic decision until any
 * host anywhere changes state (see {@link Members#panic()}).
 */
public final class HealthMarks {

    private static final AtomicLong TRANSITIONS = new AtomicLong();

    private final String probePath;
    private final LongSupplier nanoClock;
    private volatile boolean up = true;
    private volatile long upNanos = Long.MIN_VALUE; // never came back up: no slow start owed
    private volatile long sinceMillis = System.currentTimeMillis();
    private Outcome downOutcome; // guarded by this
    private int downStatus;
    private int downCount;
    private String readmitted;
    private int consecutiveSuccesses;
    private int consecutiveFailures;

    /** @param probePath the probed path for an active probe's marks ("probe /health answered 503"), else null */
    HealthMarks(String probePath) {
        this(probePath, System::nanoTime);
    }

    HealthMarks(String probePath, LongSupplier nanoClock) {
        this.probePath = probePath;
        this.nanoClock = nanoClock;
    }

    /** Bumped on every up/down transition of any marks in the process. */
    static long transitions() {
        return TRANSITIONS.get();
    }

    /** Something else that decides which hosts count changed (an operator's host state). */
    static void changed() {
        TRANSITIONS.incrementAndGet();
    }

    public boolean isUp() {
        return up;
    }

    /** @return true when this success turned the host up ({@code healthyThreshold} in a row) */
    public synchronized boolean success(int healthyThreshold) {
        requirePositive(healthyThreshold, "healthyThreshold");
        consecutiveFailures = 0;
        if (consecutiveSuccesses < Integer.MAX_VALUE) {
            consecutiveSuccesses++;
        }
        if (!up && consecutiveSuccesses >= healthyThreshold) {
            turn(true);
            readmitted = null;
            return true;
        }
        return false;
    }

    /** @return true when this failure turned the host down ({@code unhealthyThreshold} in a row) */
    public synchronized boolean failure(int unhealthyThreshold, Outcome outcome, int status) {
        requirePositive(unhealthyThreshold, "unhealthyThreshold");
        consecutiveSuccesses = 0;
        if (consecutiveFailures < Integer.MAX_VALUE) {
            consecutiveFailures++;
        }
        if (up && consecutiveFailures >= unhealthyThreshold) {
            downOutcome = outcome;
            downStatus = status;
            downCount = consecutiveFailures;
            turn(false);
            return true;
        }
        return false;
    }

    /** Up again without successes (a passive ejection's cool-down has passed); false if already up. */
    public synchronized boolean readmit(String why) {
        if (up) {
            return false;
        }
        consecutiveFailures = 0;
        consecutiveSuccesses = 0;
        readmitted = why;
        turn(true);
        return true;
    }

    private void turn(boolean nowUp) {
        sinceMillis = System.currentTimeMillis();
        if (nowUp) {
            upNanos = nanoClock.getAsLong();
        }
        up = nowUp;
        TRANSITIONS.incrementAndGet();
    }

    /** The clock's nanoTime when these marks last turned up (slow start counts from it); MIN_VALUE if never. */
    long upNanos() {
        return upNanos;
    }

    /** Wall-clock time (epoch ms) of the last transition, or of creation when there was none. */
    public long sinceMillis() {
        return sinceMillis;
    }

    /**
     * Why the host is down ({@code connect refused (3 in a row)}, {@code probe /health answered 503}),
     * or, when up, how it came back ({@code re-admitted after a 10000 ms cool-down}), or null.
     */
    public synchronized String reason() {
        if (up) {
            return readmitted;
        }
        if (downOutcome == null) {
            return probePath == null ? "marked down" : "probe " + probePath + " failed";
        }
        String what = downOutcome.describe(downStatus);
        if (probePath != null) {
            return "probe " + probePath + (downOutcome == Outcome.STATUS ? " " : ": ") + what;
        }
        return downCount > 1 ? what + " (" + downCount + " in a row)" : what;
    }

    public synchronized int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }

    private static void requirePositive(int threshold, String name) {
        if (threshold < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got: " + threshold);
        }
    }
}
