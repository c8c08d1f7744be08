package io.gatehouse.auth;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.function.LongSupplier;

/** Monotonic nanoseconds for {@link LoginThrottle}; tests enable a settable alternative. */
@ApplicationScoped
public class LoginClock implements LongSupplier {
    @Override
    public long getAsLong() {
        return System.nanoTime();
    }
}
