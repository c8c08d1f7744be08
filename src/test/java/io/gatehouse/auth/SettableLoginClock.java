package io.gatehouse.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A login clock that stands still until a test moves it; enabled only by {@link LoginThrottleTest}'s profile. */
@Alternative
@ApplicationScoped
public class SettableLoginClock extends LoginClock {
    private final AtomicLong now = new AtomicLong(System.nanoTime());

    @Override
    public long getAsLong() {
        return now.get();
    }

    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
