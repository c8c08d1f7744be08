package io.gatehouse.traffic;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last {@link TrafficWindow#SECONDS} seconds of one series of requests (a host, a tenant) in one-second
 * slots: requests, 5xx answers, 429 answers and a latency histogram ({@link TrafficWindow#BOUNDS}).
 * Lock-free: the first request of a new second replaces the slot 60 seconds old with a compare-and-set, so old
 * counts never leak into the new second; the rest are atomic increments in the current slot.
 */
final class SecondWindow {
    private static final int REQUESTS = 0;
    private static final int ERRORS = 1;
    private static final int LIMITED = 2;
    private static final int FIRST_BUCKET = 3;
    private static final int SECONDS = TrafficWindow.SECONDS;

    /** Sums over the window. {@code perSecond}: requests in each second, oldest first, the current one last. */
    record Totals(long requests, long errors, long limited, double p50Millis, double p99Millis, long[] perSecond) {
    }

    private static final class Slot {
        final long second;
        final AtomicLongArray counts = new AtomicLongArray(FIRST_BUCKET + TrafficWindow.BOUNDS.length + 1);

        Slot(long second) {
            this.second = second;
        }
    }

    private final AtomicReferenceArray<Slot> slots = new AtomicReferenceArray<>(SECONDS);

    void record(long second, int status, long nanos) {
        int i = (int) Math.floorMod(second, (long) SECONDS);
        Slot s = slots.get(i);
        while (s == null || s.second < second) {
            Slot fresh = new Slot(second);
            if (slots.compareAndSet(i, s, fresh)) {
                s = fresh;
                break;
            }
            s = slots.get(i);
        }
        if (s.second != second) {
            return; // the clock went back a whole window: too old to show
        }
        s.counts.incrementAndGet(REQUESTS);
        if (status >= 500) {
            s.counts.incrementAndGet(ERRORS);
        } else if (status == 429) {
            s.counts.incrementAndGet(LIMITED);
        }
        s.counts.incrementAndGet(FIRST_BUCKET + TrafficWindow.bucket(nanos));
    }

    boolean idleAt(long now) {
        for (int i = 0; i < SECONDS; i++) {
            Slot s = slots.get(i);
            if (s != null && s.second > now - SECONDS) {
                return false;
            }
        }
        return true;
    }

    Totals read(long now) {
        long requests = 0;
        long errors = 0;
        long limited = 0;
        long[] perSecond = new long[SECONDS];
        long[] buckets = new long[TrafficWindow.BOUNDS.length + 1];
        for (int i = 0; i < SECONDS; i++) {
            Slot s = slots.get(i);
            if (s == null || s.second <= now - SECONDS || s.second > now) {
                continue;
            }
            long n = s.counts.get(REQUESTS);
            requests += n;
            errors += s.counts.get(ERRORS);
            limited += s.counts.get(LIMITED);
            perSecond[(int) (SECONDS - 1 - (now - s.second))] = n;
            for (int b = 0; b < buckets.length; b++) {
                buckets[b] += s.counts.get(FIRST_BUCKET + b);
            }
        }
        return new Totals(requests, errors, limited, TrafficWindow.quantile(buckets, 0.50),
                TrafficWindow.quantile(buckets, 0.99), perSecond);
    }
}
