package io.gatehouse.balance;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * The durable state of one host URL in one scope (a gateway stage, see {@link HostRegistry}): requests in
 * flight, the time-decayed EWMA of its latency, and its passive health marks. Owned by
 * {@link HostRegistry}, so it outlives every compiled balancer: a
 * publish rebuilds the pickers but never resets least-conn counts, latencies or health (APISIX keeps
 * its least-conn state outside the picker for the same reason).
 *
 * <p>Thread safety: the in-flight count is a volatile int updated atomically through a
 * {@link java.lang.invoke.VarHandle} (inline rather than an {@code AtomicInteger}, so least-conn's
 * scan over 1000 hosts dereferences one object per host, not two); the EWMA is an immutable
 * {@link Ewma} in a volatile field, replaced by compare-and-set, so a reader always sees a value and
 * its timestamp from the same update; health is a {@link HealthMarks}.
 */
public final class HostState {

    /** Decay time of the latency EWMA, as APISIX's {@code ewma.lua} and Finagle's peak EWMA. */
    public static final long DECAY_NANOS = 10_000_000_000L;

    /**
     * A latency sample folded into the average: {@code value} in nanoseconds as of {@code stamp}.
     * {@code rank} is {@code ln(value) + (stamp - epoch) / decay}; see {@link #rank()}.
     */
    record Ewma(double value, long stamp, double rank) {
    }

    private final String url;
    private final LongSupplier nanoClock;
    private final long epoch;
    private volatile int inFlight;
    private volatile Ewma ewma;
    private final HealthMarks marks;
    private volatile AdminState admin = AdminState.ACTIVE;
    /** When the host last became usable by decision: created (added by a release) or set back to active. */
    private volatile long activeSince;

    HostState(String url, LongSupplier nanoClock, long epoch) {
        this.url = url;
        this.nanoClock = nanoClock;
        this.epoch = epoch;
        this.marks = new HealthMarks(null, nanoClock);
        this.activeSince = nanoClock.getAsLong();
    }

    /**
     * The clock's nanoTime since which the host has been usable in this scope, as far as its own state
     * knows: created here (added by a release), set back to active by an operator, or back up from passive
     * marks. Slow start ramps from it ({@link Members#rampPercent}); active probe recoveries are added there.
     */
    long usableSinceNanos() {
        return Math.max(activeSince, marks.upNanos());
    }

    public String url() {
        return url;
    }

    // ---- operator state -------------------------------------------------------------------------

    /** What an operator set for this host (host states, no release): never measured, only decided. */
    public AdminState admin() {
        return admin;
    }

    /** Whether the operator lets the host take new requests (not draining, not disabled). */
    public boolean admits() {
        return admin == AdminState.ACTIVE;
    }

    void admin(AdminState state) {
        if (admin != state) {
            if (state == AdminState.ACTIVE) {
                activeSince = nanoClock.getAsLong();
            }
            admin = state;
            HealthMarks.changed(); // pools recompute panic over the hosts an operator left in
        }
    }

    // ---- in flight ------------------------------------------------------------------------------

    public int inFlight() {
        return inFlight;
    }

    void started() {
        IN_FLIGHT.getAndAdd(this, 1);
    }

    /** Never below zero, so a stray end (e.g. after the registry forgot and re-created us) cannot skew least-conn. */
    void ended() {
        int n;
        do {
            n = inFlight;
        } while (n > 0 && !IN_FLIGHT.compareAndSet(this, n, n - 1));
    }

    // ---- latency --------------------------------------------------------------------------------

    /** True once a latency sample has been recorded; least response time tries untried hosts first. */
    public boolean tried() {
        return ewma != null;
    }

    /**
     * Folds a latency sample in, weighted by the time since the last one:
     * {@code ewma = ewma * w + sample * (1 - w)} with {@code w = exp(-elapsed / 10 s)}, as APISIX's
     * {@code balancer/ewma.lua} ({@code decay_ewma}) and Finagle's {@code PeakEwma}. The first sample
     * is taken as is.
     */
    void recordLatency(long latencyNanos) {
        double sample = Math.max(0L, latencyNanos);
        while (true) {
            Ewma old = ewma;
            long now = nanoClock.getAsLong();
            double value;
            if (old == null) {
                value = sample;
            } else {
                double w = Math.exp(-Math.max(0L, now - old.stamp) / (double) DECAY_NANOS);
                value = old.value * w + sample * (1.0 - w);
            }
            Ewma next = new Ewma(value, now, Math.log(value) + (now - epoch) / (double) DECAY_NANOS);
            if (EWMA.compareAndSet(this, old, next)) {
                return;
            }
        }
    }

    /**
     * The latency average as of now, in nanoseconds, decayed toward zero since the last sample (so an
     * idle slow host is eventually tried again, as APISIX reads it); 0 when untried.
     */
    public double ewmaNanos() {
        Ewma e = ewma;
        if (e == null) {
            return 0.0;
        }
        return e.value * Math.exp(-Math.max(0L, nanoClock.getAsLong() - e.stamp) / (double) DECAY_NANOS);
    }

    /**
     * A number that orders hosts exactly as their decayed EWMA does at any common "now", without
     * reading the clock or calling {@code exp} per host at pick time:
     * {@code ln(value * exp(-(now - stamp)/decay)) = ln(value) + stamp/decay - now/decay}, and the last
     * term is the same for every host. Least response time adds {@code -ln(weight)} to divide by the
     * weight. {@link Double#NaN} when untried.
     */
    double rank() {
        Ewma e = ewma;
        return e == null ? Double.NaN : e.rank;
    }

    // ---- health ---------------------------------------------------------------------------------

    /** The passive marks of this host in its scope; every balancer of the scope skips it while they say down. */
    public HealthMarks marks() {
        return marks;
    }

    public boolean isUp() {
        return marks.isUp();
    }

    /** A good answer; after {@code healthyThreshold} in a row a down host is up again. True when it turned up. */
    public boolean markSuccess(int healthyThreshold) {
        return marks.success(healthyThreshold);
    }

    /** A failure with no known cause (tests, tools); see {@link #markFailure(int, Outcome, int)}. */
    public boolean markFailure(int unhealthyThreshold) {
        return marks.failure(unhealthyThreshold, null, 0);
    }

    /** A failed attempt; after {@code unhealthyThreshold} in a row an up host is down. True when it turned down. */
    public boolean markFailure(int unhealthyThreshold, Outcome outcome, int status) {
        return marks.failure(unhealthyThreshold, outcome, status);
    }

    /** Wall-clock time (epoch ms) of the last up/down transition, or of this state's creation. */
    public long healthSinceMillis() {
        return marks.sinceMillis();
    }

    public int consecutiveSuccesses() {
        return marks.consecutiveSuccesses();
    }

    public int consecutiveFailures() {
        return marks.consecutiveFailures();
    }

    @Override
    public String toString() {
        return "HostState[" + url + (isUp() ? " up" : " down") + ", inFlight=" + inFlight
                + ", ewmaNanos=" + ewmaNanos() + "]";
    }

    private static final VarHandle EWMA;
    private static final VarHandle IN_FLIGHT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            EWMA = lookup.findVarHandle(HostState.class, "ewma", Ewma.class);
            IN_FLIGHT = lookup.findVarHandle(HostState.class, "inFlight", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
