package io.gatehouse;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The suite's one way to wait for a condition: poll it until it holds or a deadline passes, then fail
 * naming what was awaited. Never a fixed sleep where a condition can be awaited.
 */
public final class Eventually {
    /** Generous for a loaded 2-core CI machine; a condition that holds returns at its first poll. */
    public static final Duration DEFAULT = Duration.ofSeconds(15);
    private static final Duration POLL = Duration.ofMillis(5);

    private Eventually() {
    }

    public static void eventually(String what, BooleanSupplier condition) {
        eventually(what, DEFAULT, condition);
    }

    public static void eventually(String what, Duration within, BooleanSupplier condition) {
        eventually(() -> what, within, POLL, condition);
    }

    /**
     * @param what  evaluated only on failure, so it can report the last state seen
     * @param poll  the pause between checks (longer for checks that cost, such as an HTTP call)
     */
    public static void eventually(Supplier<String> what, Duration within, Duration poll, BooleanSupplier condition) {
        value(what, within, poll, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /** Polls {@code value} until it is not null, and returns it. */
    public static <T> T value(String what, Supplier<T> value) {
        return value(() -> what, DEFAULT, POLL, value);
    }

    public static <T> T value(Supplier<String> what, Duration within, Duration poll, Supplier<T> value) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            T v = value.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("waited " + within.toMillis() + " ms for: " + what.get());
            }
            try {
                Thread.sleep(poll.toMillis(), (int) (poll.toNanos() % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what.get(), e);
            }
        }
    }
}
